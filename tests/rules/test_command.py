"""`mutua rules`: a dry run checks and compares but stores nothing; a refused file exits non-zero
with each problem and its line; load, approve, list and show."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mutua.core.models import AuditEvent
from mutua.rules.models import ParameterSetUpload, UploadState
from tests.rules.conftest import EMPLOYEE_LINE, OFFICIAL_BE_2027


def rules(*args: str) -> str:
    out = StringIO()
    call_command("rules", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def official_file(tmp_path: Path) -> Path:
    path = tmp_path / "be-2027.yaml"
    path.write_text(OFFICIAL_BE_2027, encoding="utf-8")
    return path


def test_a_dry_run_prints_the_differences_and_stores_nothing(db: Any, official_file: Path) -> None:
    events = AuditEvent.objects.count()
    out = rules("load", str(official_file), "--country", "BE", "--dry-run")
    assert "BE 2027 (official): checked, not stored; 1 difference(s)" in out
    assert "social.employee from 2027-01-01: 0.1307 rate -> 0.135 rate [V]" in out
    data = json.loads(rules("load", str(official_file), "--country", "be", "--dry-run", "--json"))
    assert data["stored"] is False and data["differences"]["changes"][0]["after"] == "0.135 rate"
    assert ParameterSetUpload.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_a_bad_file_exits_non_zero_with_each_problem_and_its_line(db: Any, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        OFFICIAL_BE_2027.replace("status: official", "status: final").replace(
            "employee: {value: 0.135", "employee: {value: 2", 1
        ),
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as caught:
        rules("load", str(bad), "--country", "BE", "--dry-run")
    message = str(caught.value)
    assert "line 5: status must be one of official, provisional" in message
    assert f"line {EMPLOYEE_LINE}: social.employee: 2 is out of range for rate" in message
    with pytest.raises(CommandError, match="not UTF-8"):
        bad.write_bytes(b"\xff\xfe")
        rules("load", str(bad), "--country", "BE", "--dry-run")
    assert ParameterSetUpload.objects.count() == 0


def test_load_then_approve_by_another_person(officer: Any, admin: Any, official_file: Path) -> None:
    with pytest.raises(CommandError, match="--by"):
        rules("load", str(official_file), "--country", "BE")
    out = rules("load", str(official_file), "--country", "BE", "--by", officer.email)
    upload = ParameterSetUpload.objects.get()
    assert f"proposed as #{upload.pk}" in out
    with pytest.raises(CommandError, match="only an administrator decides"):
        rules("approve", str(upload.pk), "--by", officer.email)
    assert f"#{upload.pk} BE 2027 approved" in rules("approve", str(upload.pk), "--by", admin.email)
    upload.refresh_from_db()
    assert upload.state == UploadState.APPROVED
    listed = json.loads(rules("list", "--country", "BE", "--json"))
    assert [(r["id"], r["state"], r["decided_by"]) for r in listed] == [
        (upload.pk, "approved", admin.email)
    ]
    assert "0.1307 rate -> 0.135 rate" in rules("show", str(upload.pk))
    with pytest.raises(CommandError, match="no loaded set"):
        rules("show", "999999")
