"""A payout export killed with SIGKILL before its commit leaves no batch and the next export pays
the same items; killed after its commit, the batch stays whole and nothing is batched twice
(issue 10, item 3)."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest

from mutua.banking.models import Payout, PayoutBatch
from mutua.banking.payouts import export_payouts
from mutua.entities.models import Entity
from mutua.ledger.queries import verify_books
from mutua.payroll.actions import run_payroll
from tests.faults.conftest import (
    Locker,
    kill_when_blocked,
    mutua,
    postgres_only,
    spawn,
    wait_until,
)
from tests.faults.test_kill_payroll import crew
from tests.payroll.conftest import APRIL

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"}


def paid_crew(code: str) -> None:
    run_payroll(entity=crew(code), period=APRIL)


def payments(document: bytes) -> tuple[int, Decimal]:
    """How many transfers the pain.001 holds and their control sum."""
    header = ET.fromstring(document).find(".//p:GrpHdr", NS)
    assert header is not None
    return int(header.findtext("p:NbOfTxs", "0", NS)), Decimal(
        header.findtext("p:CtrlSum", "0", NS)
    )


def straight_export(code: str) -> tuple[int, Decimal]:
    paid_crew(code)
    return payments(export_payouts(entity=Entity.objects.get(code=code)).document)


def test_an_export_killed_before_its_commit_is_done_again_whole(
    locker: Locker, tmp_path: Path
) -> None:
    paid_crew("BE")
    out = tmp_path / "payouts.xml"
    args = ("payouts", "export", "--entity", "BE", "-o", str(out), "--date", "2026-05-04")
    payout, batch = Payout._meta.db_table, PayoutBatch._meta.db_table

    # While collecting the payslips into payout items, then while creating the batch.
    kill_when_blocked(spawn(*args, tmp=tmp_path), locker, f"LOCK TABLE {payout} IN EXCLUSIVE MODE")
    assert not Payout.objects.exists()
    kill_when_blocked(spawn(*args, tmp=tmp_path), locker, f"LOCK TABLE {batch} IN EXCLUSIVE MODE")
    assert not PayoutBatch.objects.exists() and not out.exists()

    assert "6 payment(s)" in mutua(*args, tmp=tmp_path)
    assert "nothing due" in mutua(*args, tmp=tmp_path)
    assert PayoutBatch.objects.count() == 1 and Payout.objects.count() == 6
    assert not Payout.objects.filter(batch__isnull=True).exists()
    assert "The books agree" in mutua("ledger", "verify", tmp=tmp_path)
    assert payments(out.read_bytes()) == straight_export("BE2")
    assert verify_books() == []


def lose_the_file_after_the_commit(out: Path, tmp: Path) -> None:
    """The file is written after the commit: a FIFO at its temporary name blocks that write (no
    reader), so the process is killed with the batch committed and no file."""
    os.mkfifo(out.with_name(out.name + ".part"))
    proc = spawn("payouts", "export", "--entity", "BE", "-o", str(out), tmp=tmp)
    try:
        wait_until(PayoutBatch.objects.exists, "the batch's commit")
    finally:
        proc.kill()
        proc.wait(timeout=10)
    out.with_name(out.name + ".part").unlink()


def test_an_export_killed_after_its_commit_keeps_one_whole_batch(tmp_path: Path) -> None:
    paid_crew("BE")
    out = tmp_path / "payouts.xml"
    lose_the_file_after_the_commit(out, tmp_path)
    assert not out.exists()
    batch = PayoutBatch.objects.get()
    assert Payout.objects.filter(batch=batch).count() == batch.item_count == 6
    assert payments(batch.document.encode()) == straight_export("BE2")
    # Exporting again batches nothing twice.
    assert "nothing due" in mutua(
        "payouts", "export", "--entity", "BE", "-o", str(out), tmp=tmp_path
    )
    assert PayoutBatch.objects.filter(entity__code="BE").count() == 1
    assert "The books agree" in mutua("ledger", "verify", tmp=tmp_path)


def test_the_file_lost_after_the_commit_can_be_written_again(tmp_path: Path) -> None:
    paid_crew("BE")
    out = tmp_path / "payouts.xml"
    lose_the_file_after_the_commit(out, tmp_path)
    batch = PayoutBatch.objects.get()
    again = ("payouts", "file", "--entity", "BE", "--batch", batch.message_id, "-o", str(out))
    mutua(*again, tmp=tmp_path)
    assert out.read_bytes() == batch.document.encode()
