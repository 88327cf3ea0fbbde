"""`mutua election count` (DESIGN.md §5): the JSON the product's count gives, clear errors."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from mutua.governance.counting import STV, count_file


def run(*args: str) -> str:
    out = StringIO()
    call_command("election", "count", *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_count_as_json(tmp_path: Path) -> None:
    ballots = tmp_path / "ballots.csv"
    ballots.write_text("A > B\nA > B\nA\nB > C\nC > B\n", encoding="utf-8")
    printed = json.loads(run(str(ballots), "--seats", "2", "--method", "stv", "--json"))
    assert printed == count_file(ballots.read_text(), seats=2, method=STV).as_dict()
    assert printed["elected"] == ["A", "B"]
    assert printed["quota"] == "2.00000"


def test_it_prints_plurality_tallies(tmp_path: Path) -> None:
    ballots = tmp_path / "ballots.csv"
    ballots.write_text("Zoë\nZoë\nYann\n", encoding="utf-8")
    printed = json.loads(run(str(ballots), "--seats", "1", "--method", "plurality", "--json"))
    assert printed["tallies"] == {"Zoë": 2, "Yann": 1}
    assert "elected: Zoë" in run(str(ballots), "--seats", "1", "--method", "plurality")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"A > A\n", "a candidate appears twice"),
        (b"\xff\xfe\x00A", "not a UTF-8 text file"),
    ],
)
def test_it_explains_a_bad_file(tmp_path: Path, content: bytes, message: str) -> None:
    ballots = tmp_path / "ballots.csv"
    ballots.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run(str(ballots), "--seats", "1", "--method", "stv")


def test_it_explains_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file"):
        run(str(tmp_path / "nothing.csv"), "--seats", "1", "--method", "stv")
