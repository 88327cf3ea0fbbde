"""SEPA payouts: payslips become payout items once, each item joins one batch ever, the pain.001
validates against its XSD, a crash leaves nothing, and the statement's debit confirms a batch."""

from __future__ import annotations

import datetime as dt
import io
import os
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sepaxml
import xmlschema
from django.core.management import call_command
from django.db import connection

from mutua.banking import pain001, payouts
from mutua.banking.actions import import_statements
from mutua.banking.models import BatchStatus, Payout, PayoutBatch, StatementLine
from mutua.banking.payouts import collect_payouts, confirm_batches_from_statement, export_payouts
from mutua.core.errors import AccessDenied
from mutua.ledger.models import Entry
from mutua.ledger.queries import account_balance, posting_account, verify_books
from mutua.payroll.actions import run_payroll
from mutua.payroll.models import Payslip
from tests.banking.conftest import coda, paid, statement
from tests.conftest import make_entity
from tests.ledger.test_concurrent_posting import run_in_threads
from tests.payroll.conftest import APRIL, scene

MAY = dt.date(2026, 5, 1)
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"}
XSD = Path(os.path.dirname(sepaxml.__file__)) / "schemas" / "pain.001.001.09.xsd"


@pytest.fixture
def paid_april(db: Any) -> dict[str, Any]:
    """Two members paid in April (a third works in May)."""
    world = scene("BE")
    run_payroll(entity=world["entity"], period=APRIL)
    return world


def export(code: str, path: Path) -> str:
    out = io.StringIO()
    call_command("payouts", "export", "--entity", code, "-o", str(path), stdout=out)
    return out.getvalue()


def transactions(document: bytes) -> dict[str, tuple[str, str, Decimal, str]]:
    root = ET.fromstring(document)
    found = {}
    for tx in root.iterfind(".//p:CdtTrfTxInf", NS):
        found[tx.findtext("p:PmtId/p:EndToEndId", namespaces=NS) or ""] = (
            tx.findtext("p:Cdtr/p:Nm", namespaces=NS) or "",
            tx.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS) or "",
            Decimal(tx.findtext("p:Amt/p:InstdAmt", namespaces=NS) or "0"),
            tx.findtext("p:RmtInf/p:Ustrd", namespaces=NS) or "",
        )
    return found


def test_payslips_become_payout_items_once(paid_april: dict[str, Any]) -> None:
    entity = paid_april["entity"]
    assert collect_payouts(entity=entity) == 2
    assert collect_payouts(entity=entity) == 0
    slips = {f"payslip:{s.pk}": s for s in Payslip.objects.filter(entity=entity)}
    items = {p.key: p for p in Payout.objects.all()}
    assert set(items) == set(slips)
    for key, item in items.items():
        assert (item.amount, item.person_id, item.batch_id) == (
            slips[key].net,
            slips[key].person_id,
            None,
        )


def test_export_writes_a_pain001_valid_against_its_xsd(
    paid_april: dict[str, Any], tmp_path: Path
) -> None:
    entity = paid_april["entity"]
    path = tmp_path / "payouts.xml"
    output = export(entity.code, path)
    batch = PayoutBatch.objects.get()
    assert batch.message_id in output and "2 payment(s)" in output
    document = path.read_bytes()
    xmlschema.XMLSchema(str(XSD)).validate(document.decode())
    assert batch.document.encode() == document
    root = ET.fromstring(document)
    assert root.findtext(".//p:GrpHdr/p:MsgId", namespaces=NS) == batch.message_id
    assert root.findtext(".//p:PmtInf/p:DbtrAcct/p:Id/p:IBAN", namespaces=NS) == entity.iban
    assert root.findtext(".//p:PmtInf/p:BtchBookg", namespaces=NS) == "true"
    slips = Payslip.objects.filter(entity=entity).select_related("person")
    expected = {f"payslip:{s.pk}": (s.person.iban.replace(" ", ""), s.net) for s in slips}
    found = transactions(document)
    assert {key: (iban, amount) for key, (_, iban, amount, _) in found.items()} == expected
    assert all("2026-04" in text for *_, text in found.values())
    total = sum(net for _, net in expected.values())
    assert Decimal(root.findtext(".//p:GrpHdr/p:CtrlSum", namespaces=NS) or "0") == total
    assert (batch.total, batch.item_count, batch.status) == (total, 2, BatchStatus.EXPORTED)
    assert Payout.objects.filter(batch=batch).count() == 2


def test_exporting_again_exports_nothing(paid_april: dict[str, Any], tmp_path: Path) -> None:
    code = paid_april["entity"].code
    export(code, tmp_path / "first.xml")
    assert "nothing due" in export(code, tmp_path / "second.xml")
    assert not (tmp_path / "second.xml").exists()
    assert PayoutBatch.objects.count() == 1


def test_an_item_is_never_in_two_batches(paid_april: dict[str, Any], tmp_path: Path) -> None:
    entity = paid_april["entity"]
    export(entity.code, tmp_path / "april.xml")
    april = {p.pk: p.batch_id for p in Payout.objects.all()}
    run_payroll(entity=entity, period=MAY)  # the third member's May payslip
    export(entity.code, tmp_path / "may.xml")
    first, second = PayoutBatch.objects.order_by("pk")
    assert {p.pk: p.batch_id for p in Payout.objects.filter(pk__in=april)} == april
    may = Payout.objects.exclude(pk__in=april).get()
    assert may.batch_id == second.pk != first.pk
    keys_first = set(transactions(first.document.encode()))
    keys_second = set(transactions(second.document.encode()))
    assert keys_first.isdisjoint(keys_second) and keys_second == {may.key}
    # Re-running either export or the collector adds nothing anywhere.
    assert export_payouts(entity=entity).nothing_due
    assert Payout.objects.count() == 3


def test_a_member_without_iban_is_skipped_with_a_message(
    paid_april: dict[str, Any], tmp_path: Path
) -> None:
    entity, people = paid_april["entity"], paid_april["people"]
    people[0].iban = ""
    people[0].save(update_fields=["iban"])
    people[1].iban = "BE00 0000 0000 0000"  # fails the check digits
    people[1].save(update_fields=["iban"])
    output = export(entity.code, tmp_path / "none.xml")
    assert "has no IBAN" in output and "is not valid" in output
    assert str(people[0]) in output and "nothing due" in output
    assert PayoutBatch.objects.count() == 0 and not (tmp_path / "none.xml").exists()
    people[1].iban = "BE68539007547034"
    people[1].save(update_fields=["iban"])
    output = export(entity.code, tmp_path / "one.xml")
    assert "has no IBAN" in output and "1 payment(s)" in output
    found = transactions((tmp_path / "one.xml").read_bytes())
    assert [iban for _, iban, _, _ in found.values()] == ["BE68539007547034"]
    assert Payout.objects.get(person=people[0]).batch_id is None


def test_the_statement_debit_confirms_the_batch_and_clears_net_pay(
    paid_april: dict[str, Any], tmp_path: Path
) -> None:
    entity = paid_april["entity"]
    export(entity.code, tmp_path / "april.xml")
    batch = PayoutBatch.objects.get()
    debit = paid(
        f"-{batch.total}", text=f"SEPA batch {batch.message_id}", name=entity.name, iban=""
    )
    wrong_amount = paid(f"-{batch.total - 1}", text=batch.message_id, name=entity.name, iban="")
    no_reference = paid(f"-{batch.total}", text="salaries", name=entity.name, iban="")
    content = coda(statement(entity, wrong_amount, no_reference, debit, opening="50000.00"))
    result = import_statements(entity=entity, content=content, file_name="s.cod", acting_user=None)
    assert result.payout_batches == 1  # the import confirms the batch itself
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PAID and batch.paid_on == dt.date(2026, 3, 10)
    assert batch.statement_line is not None and "SEPA batch" in batch.statement_line.free_text
    assert batch.statement_line.status == "matched"
    # The net pay owed to the members is paid: the payable is back to zero, per member too.
    payable = posting_account(entity, "net_pay_payable")
    assert account_balance(payable) == 0
    assert verify_books() == []
    lines = list(StatementLine.objects.select_related("account", "account__journal"))
    assert confirm_batches_from_statement(lines=lines) == []  # already confirmed
    again = import_statements(entity=entity, content=content, file_name="s.cod", acting_user=None)
    assert (again.imported, again.payout_batches) == (0, 0)
    assert Entry.objects.filter(idempotency_key=f"payout-batch:{batch.pk}").count() == 1
    out = io.StringIO()
    call_command("payouts", "confirm", "--entity", entity.code, stdout=out)
    assert "0 batch(es) confirmed" in out.getvalue()


def test_the_confirm_command_confirms_a_batch_imported_before_its_export(
    paid_april: dict[str, Any], tmp_path: Path
) -> None:
    entity = paid_april["entity"]
    export(entity.code, tmp_path / "april.xml")
    batch = PayoutBatch.objects.get()
    # The debit arrives, but the batch is (say) marked exported only later: simulate by
    # importing while it is still unknown to the matcher, then confirming by command.
    PayoutBatch.objects.filter(pk=batch.pk).update(total=batch.total + 1)
    debit = paid(f"-{batch.total}", text=batch.message_id, name=entity.name, iban="")
    import_statements(
        entity=entity,
        content=coda(statement(entity, debit, opening="50000.00")),
        file_name="s.cod",
        acting_user=None,
    )
    PayoutBatch.objects.filter(pk=batch.pk).update(total=batch.total)
    out = io.StringIO()
    call_command("payouts", "confirm", "--entity", entity.code, stdout=out)
    assert "1 batch(es) confirmed" in out.getvalue()
    assert account_balance(posting_account(entity, "net_pay_payable")) == 0
    assert verify_books() == []


def test_a_crash_during_the_export_leaves_nothing(
    paid_april: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entity = paid_april["entity"]
    built = []
    real = pain001.credit_transfer

    def build_then_crash(**kwargs: Any) -> bytes:
        built.append(real(**kwargs))  # the XML is built (and validated)...
        raise RuntimeError("power cut")  # ...and the process dies before the commit

    monkeypatch.setattr(payouts.pain001, "credit_transfer", build_then_crash)
    with pytest.raises(RuntimeError, match="power cut"):
        export(entity.code, tmp_path / "crash.xml")
    assert len(built) == 1
    assert PayoutBatch.objects.count() == 0
    assert Payout.objects.filter(batch__isnull=False).count() == 0
    assert not (tmp_path / "crash.xml").exists()
    monkeypatch.setattr(payouts.pain001, "credit_transfer", real)
    assert "2 payment(s)" in export(entity.code, tmp_path / "ok.xml")


def test_a_non_euro_entity_is_refused(db: Any, tmp_path: Path) -> None:
    from django.core.management import CommandError

    entity = make_entity("SE")
    with pytest.raises(CommandError, match="euro"):
        export(entity.code, tmp_path / "se.xml")


def test_a_member_cannot_export_payouts(paid_april: dict[str, Any]) -> None:
    member_user = paid_april["people"][0].user
    with pytest.raises(AccessDenied):
        export_payouts(entity=paid_april["entity"], acting_user=member_user)
    assert PayoutBatch.objects.count() == 0 and Payout.objects.count() == 0


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)"
)
def test_four_exports_at_once_batch_each_item_once(transactional_db: Any) -> None:
    world = scene("BE")
    entity = world["entity"]
    run_payroll(entity=entity, period=APRIL)

    def work(n: int) -> None:
        export_payouts(entity=entity, acting_user=None)

    assert run_in_threads(work) == []
    batch = PayoutBatch.objects.get()
    assert Payout.objects.count() == 2
    assert set(Payout.objects.values_list("batch_id", flat=True)) == {batch.pk}
