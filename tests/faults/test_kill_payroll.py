"""A payroll run killed with SIGKILL at several points resumes to the same payslips and totals as
an uninterrupted run, with no duplicate, and the books agree (issue 10, item 3)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mutua.entities.models import Entity
from mutua.ledger.models import Entry
from mutua.ledger.queries import verify_books
from mutua.payroll.actions import run_payroll, run_totals
from mutua.payroll.models import PaidPeriod, PayrollRun, Payslip, RunChunk
from tests.conftest import make_member
from tests.faults.conftest import Locker, kill_when_blocked, mutua, postgres_only, spawn
from tests.ledger.conftest import books, make_activity
from tests.payroll.conftest import APRIL, day_contracts, fund

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]
MEMBERS = 6


def crew(code: str) -> Entity:
    """MEMBERS members with April day contracts paid from funded activities."""
    entity: Entity = books(code, years=(2026,))
    for n in range(MEMBERS):
        person = make_member(entity).person
        activity = make_activity(entity, holder=person)
        fund(activity, "6000.00")
        day_contracts(person, activity, [f"{400 + 37 * n}.00", "450.00"])
    return entity


def launch(code: str, tmp: Path) -> Any:
    args = ("payroll", "run", "--entity", code, "--period", "2026-04", "--chunk-size", "1")
    return spawn(*args, tmp=tmp)


def test_a_payroll_run_killed_three_times_resumes_to_the_uninterrupted_totals(
    locker: Locker, tmp_path: Path
) -> None:
    entity = crew("BE")
    chunks, entries = RunChunk._meta.db_table, Entry._meta.db_table

    # 1. While the run is being opened (its chunks not yet stored): nothing remains.
    kill_when_blocked(launch("BE", tmp_path), locker, f"LOCK TABLE {chunks} IN EXCLUSIVE MODE")
    assert not PayrollRun.objects.exists() and not Payslip.objects.exists()

    # 2. In the first chunk, its payslips written but not yet posted: the chunk is undone.
    kill_when_blocked(launch("BE", tmp_path), locker, f"LOCK TABLE {entries} IN EXCLUSIVE MODE")
    run = PayrollRun.objects.get()
    assert (run.members_total, run.chunks.filter(done_at__isnull=False).count()) == (MEMBERS, 0)
    assert not Payslip.objects.exists() and verify_books() == []

    # 3. Between chunks, three of them done (the fourth is locked before the process reaches it).
    fourth = RunChunk.objects.get(run=run, index=3).pk
    lock_fourth = f"SELECT 1 FROM {chunks} WHERE id = {fourth} FOR UPDATE"
    kill_when_blocked(launch("BE", tmp_path), locker, lock_fourth)
    assert Payslip.objects.count() == run.chunks.filter(done_at__isnull=False).count() == 3

    # Resume to the end, then once more: the second launch changes nothing.
    mutua("payroll", "run", "--entity", "BE", "--period", "2026-04", tmp=tmp_path)
    slips = sorted(Payslip.objects.values_list("person_id", "gross", "net"))
    run_payroll(entity=entity, period=APRIL)
    assert sorted(Payslip.objects.values_list("person_id", "gross", "net")) == slips
    assert PayrollRun.objects.count() == 1 and Payslip.objects.count() == MEMBERS
    assert Payslip.objects.values("person").distinct().count() == MEMBERS
    assert Entry.objects.filter(journal__kind="payroll").count() == MEMBERS
    assert PaidPeriod.objects.filter(payslip__run=run).count() == 2 * MEMBERS
    assert "The books agree" in mutua("ledger", "verify", tmp=tmp_path)

    # The same month in a twin entity, run without interruption, in this process.
    straight = run_payroll(entity=crew("BE2"), period=APRIL)
    assert run_totals(PayrollRun.objects.get(pk=run.pk)) == run_totals(straight)
    assert verify_books() == []
