import datetime as dt
import json
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mutua.invoicing.actions import LineInput, create_draft_invoice, issue_invoice
from mutua.invoicing.documents.validation import xsd_errors
from tests.conftest import make_member
from tests.ledger.conftest import books, make_activity, make_client


@pytest.fixture
def invoices(db: Any) -> Any:
    entity = books("BE", years=(2026,))
    member = make_member(entity)
    activity = make_activity(entity, holder=member.person)
    client = make_client(entity, "Théâtre de Namur")
    made = []
    for amount in ("100.00", "250.00"):
        made.append(
            create_draft_invoice(
                actor=member.person.user,
                activity=activity,
                client=client,
                lines=[LineInput("Workshop", Decimal("1"), Decimal(amount))],
            )
        )
    issue_invoice(actor=member.person.user, invoice=made[0], on=dt.date(2026, 2, 2))
    return entity, made


def run(*args: str) -> str:
    out = StringIO()
    call_command("invoice", *args, stdout=out)
    return out.getvalue()


def test_list_prints_the_documented_json(invoices: Any) -> None:
    rows = json.loads(run("list", "--entity", "BE", "--json"))
    issued = next(r for r in rows if r["status"] == "issued")
    assert issued["number"] == "2026-000001"
    assert issued["client"] == {"name": "Théâtre de Namur", "country": "BE", "vat": ""}
    assert (issued["total_excl_vat"], issued["total_incl_vat"]) == ("100.00", "121.00")
    assert issued["amount_due"] == "121.00" and issued["structured_reference"].startswith("+++")
    drafts = json.loads(run("list", "--entity", "BE", "--status", "draft", "--json"))
    assert [d["number"] for d in drafts] == [None]


def test_ubl_and_pdf_are_written(invoices: Any, tmp_path: Path) -> None:
    run("ubl", "2026-000001", "-o", str(tmp_path / "i.xml"))
    assert xsd_errors((tmp_path / "i.xml").read_bytes()) == []
    run("pdf", "2026-000001", "-o", str(tmp_path / "i.pdf"))
    assert (tmp_path / "i.pdf").read_bytes().startswith(b"%PDF")


def test_bad_input_is_a_clear_error(invoices: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no issued invoice"):
        run("ubl", "2026-999999", "-o", str(tmp_path / "x.xml"))
    with pytest.raises(CommandError, match="unknown status"):
        run("list", "--entity", "BE", "--status", "lost")
    with pytest.raises(CommandError, match="no entity"):
        run("list", "--entity", "XX")
    assert not (tmp_path / "x.xml").exists()


def test_remind_sends_due_reminders_once(invoices: Any) -> None:
    due = json.loads(run("remind", "--entity", "BE", "--on", "2026-03-20", "--json"))
    assert due == {"reminders": {"3": 0, "2": 0, "1": 1}, "total": 1}
    again = json.loads(run("remind", "--entity", "BE", "--on", "2026-03-20", "--json"))
    assert again["total"] == 0
