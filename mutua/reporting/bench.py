"""Benchmark of the staff dashboard (issue 9): every query of an entity's indicators on a large
entity — 100,000 members, 1,000,000 invoices, 200,000 contracts, 240,000 payslips (20,000 a
month), 500,000 bank allocations, on top of the 10,000,000-line ledger of the BIG entity —
timed 20 times each after a warm-up; target p95 ≤ 200 ms per query.

The data set is written by set-based SQL (mutua.bench.clone) once and kept with --reuse.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Max, Min

from mutua.activities.models import Activity
from mutua.banking.models import Allocation, BankAccount, Statement, StatementLine
from mutua.bench.clone import clone_rows
from mutua.clients.models import Client
from mutua.contracts.models import Contract
from mutua.entities.models import Entity, NumberSequence
from mutua.invoicing.models import Invoice
from mutua.ledger.queries import journal_for, posting_account
from mutua.members.models import Membership, Person
from mutua.payroll.models import PayrollRun, Payslip
from mutua.reporting import delays, indicators
from mutua.reporting.models import PaymentDelayMonth
from mutua.reporting.transparency import transparency

YEAR = 2025
TARGET_MS = 200
SECTORS = "ARRAY['music','theatre','dance','film','design','teaching','writing','photography']"


def _range(model: Any, **filters: Any) -> tuple[int, int]:
    bounds = model.objects.filter(**filters).aggregate(low=Min("pk"), high=Max("pk"))
    return bounds["low"], bounds["high"]


def _consecutive(model: Any, count: int, **filters: Any) -> int:
    """The first id of `count` rows just inserted in one go (identity ids, no gap expected)."""
    low, high = _range(model, **filters)
    if low is None or high - low + 1 != count:
        raise RuntimeError(f"{model.__name__}: generated ids are not consecutive")
    return int(low)


def build_data(entity: Entity, *, members: int, invoices: int, paid_members: int) -> None:
    if not Membership.objects.filter(entity=entity).exists():
        _generate(entity, members=members, invoices=invoices, paid_members=paid_members)
    _aggregates(entity)


def _aggregates(entity: Entity) -> None:
    """What the actions keep up to date as they go, written once for the generated rows: the
    invoice number sequence of the year and the payment-delay months."""
    issued = Invoice.objects.filter(entity=entity, kind="invoice", fiscal_year=YEAR).count()
    NumberSequence.objects.update_or_create(
        entity=entity, key="invoice", year=YEAR, defaults={"last": issued}
    )
    if not PaymentDelayMonth.objects.filter(entity=entity).exists():
        delays.rebuild(entity.pk)


def _generate(entity: Entity, *, members: int, invoices: int, paid_members: int) -> None:
    started = time.perf_counter()
    marker = f"BENCH-{entity.code}-"
    person = Person(first_name="Bench", last_name="Member", country="BE")
    clone_rows(person, members, {"national_number": f"'{marker}' || g", "user_id": "NULL"})
    first_person = _consecutive(Person, members, national_number__startswith=marker)
    membership = Membership(entity=entity, person_id=first_person, status="active")
    clone_rows(
        membership,
        members,
        {
            "person_id": "%(p)s + g - 1",
            "number": "'M' || g",
            "status": "CASE WHEN g %% 10 = 0 THEN 'left' ELSE 'active' END",
            "applied_at": "TIMESTAMPTZ '2015-01-01' + (g %% 3650) * INTERVAL '1 day'",
            "decided_at": "TIMESTAMPTZ '2015-01-02' + (g %% 3650) * INTERVAL '1 day'",
            "ended_at": "CASE WHEN g %% 10 = 0 THEN TIMESTAMPTZ '2025-01-01' "
            "+ (g %% 365) * INTERVAL '1 day' END",
        },
        params={"p": first_person},
    )
    activities = _range(Activity, entity=entity)
    clients = _range(Client, entity=entity)
    with connection.cursor() as cursor:
        cursor.execute(  # the sector list is a constant of this module
            f"UPDATE activities_activity SET sector = ({SECTORS})[1 + id %% 8] "  # noqa: S608
            "WHERE entity_id = %s",
            [entity.pk],
        )
    _invoices(entity, invoices, activities, clients)
    _work(entity, first_person, paid_members, activities)
    _payments(entity, invoices // 2)
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE members_membership, invoicing_invoice, contracts_contract, payroll_payslip, "
            "banking_statementline, banking_allocation, activities_activity"
        )
    print(f"  reporting data set ready in {time.perf_counter() - started:.0f} s", flush=True)


def _invoices(
    entity: Entity, count: int, activities: tuple[int, int], clients: tuple[int, int]
) -> None:
    template = Invoice(
        entity=entity,
        activity_id=activities[0],
        client_id=clients[0],
        currency="EUR",
        fiscal_year=YEAR,
    )
    net = "(((g::bigint * 7919) %% 500000 + 100)::numeric / 100)"
    clone_rows(
        template,
        count,
        {
            "activity_id": "%(a0)s + g %% %(an)s",
            "client_id": "%(c0)s + g %% %(cn)s",
            "kind": "CASE WHEN g %% 20 = 0 THEN 'credit_note' ELSE 'invoice' END",
            "status": "(ARRAY['paid','sent','partly_paid','paid'])[1 + g %% 4]",
            "number": "'B' || g",
            "issue_date": "DATE '2025-01-01' + (g %% 365)",
            "due_date": "DATE '2025-01-31' + (g %% 365)",
            "total_net": net,
            "total_vat": f"round({net} * 0.21, 2)",
            "total_gross": f"{net} + round({net} * 0.21, 2)",
            "fee_amount": f"round({net} * 0.065, 2)",
            "issued_at": "TIMESTAMPTZ '2025-01-01' + (g %% 365) * INTERVAL '1 day'",
        },
        params={
            "a0": activities[0],
            "an": activities[1] - activities[0] + 1,
            "c0": clients[0],
            "cn": clients[1] - clients[0] + 1,
        },
    )


def _work(entity: Entity, first_person: int, paid: int, activities: tuple[int, int]) -> None:
    contract = Contract(
        entity=entity,
        person_id=first_person,
        activity_id=activities[0],
        kind="day",
        start_date=dt.date(YEAR, 1, 1),
        end_date=dt.date(YEAR, 1, 1),
        days=Decimal("1"),
        work_budget=Decimal("300.00"),
        gross=Decimal("200.00"),
        currency="EUR",
    )
    span = {"p": first_person, "n": paid, "a0": activities[0]}
    clone_rows(
        contract,
        10 * paid,
        {
            "person_id": "%(p)s + g %% %(n)s",
            "activity_id": "%(a0)s + g %% 10000",
            "start_date": "DATE '2025-01-01' + (g %% 365)",
            "end_date": "DATE '2025-01-01' + (g %% 365)",
        },
        params=span,
    )
    runs = [
        PayrollRun.objects.create(entity=entity, period=dt.date(YEAR, m, 1)) for m in range(1, 13)
    ]
    slip = Payslip(
        run=runs[0],
        entity=entity,
        person_id=first_person,
        period=dt.date(YEAR, 1, 1),
        currency="EUR",
        days=Decimal("10"),
        work_budget=Decimal("3000.00"),
        gross=Decimal("2000.00"),
        employee_contributions=Decimal("261.40"),
        work_bonus=Decimal("0.00"),
        taxable=Decimal("1738.60"),
        withholding_tax=Decimal("300.00"),
        special_contribution=Decimal("10.00"),
        net=Decimal("1428.60"),
        employer_contributions=Decimal("500.00"),
        cooperative=Decimal("500.00"),
    )
    clone_rows(
        slip,
        12 * paid,
        {
            "run_id": "%(r0)s + (g - 1) / %(n)s",
            "person_id": "%(p)s + (g - 1) %% %(n)s",
            "period": "(DATE '2025-01-01' + ((g - 1) / %(n)s) * INTERVAL '1 month')::date",
        },
        params={**span, "r0": runs[0].pk},
    )


def _payments(entity: Entity, count: int) -> None:
    account = BankAccount.objects.create(
        entity=entity,
        iban=entity.iban,
        currency="EUR",
        ledger_account=posting_account(entity, "bank"),
        journal=journal_for(entity, "bank"),
    )
    statement = Statement.objects.create(
        account=account,
        number="1",
        opening_date=dt.date(YEAR, 1, 1),
        closing_date=dt.date(YEAR, 12, 31),
        opening_balance=Decimal("0.00"),
        closing_balance=Decimal("0.00"),
        file_format="camt053",
        file_digest="0" * 64,
    )
    line = StatementLine(
        account=account,
        statement=statement,
        position=1,
        booking_date=dt.date(YEAR, 1, 1),
        value_date=dt.date(YEAR, 1, 1),
        amount=Decimal("100.00"),
        currency="EUR",
        natural_key="x",
        status="matched",
    )
    day = "DATE '2025-01-15' + (g %% 350)"
    clone_rows(
        line,
        count,
        {"position": "g", "natural_key": "md5(g::text)", "booking_date": day, "value_date": day},
    )
    first_line = _consecutive(StatementLine, count, statement=statement)
    first_invoice, _last = _range(Invoice, entity=entity)
    clone_rows(
        Allocation(line_id=first_line, invoice_id=first_invoice, amount=Decimal("100.00")),
        count,
        {
            "line_id": "%(l0)s + g - 1",
            "invoice_id": "%(i0)s + (g - 1) * 2",
            "method": "'reference'",
        },
        params={"l0": first_line, "i0": first_invoice},
    )


# --- timing -------------------------------------------------------------------------------------
def _timed(fn: Callable[[], Any], runs: int = 20) -> tuple[float, float]:
    fn()  # warm-up: plans and caches, as a dashboard that is in use
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def bench_dashboard(entity: Entity) -> dict[str, Any]:
    start, end = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
    result = indicators.Indicators(entity.code, entity.name, entity.currency, YEAR)
    parts: dict[str, Callable[[], Any]] = {
        "members": lambda: indicators._members(result, entity, start, end),
        "invoices and sectors": lambda: indicators._invoices(result, entity, start, end),
        "contracts and payslips": lambda: indicators._work(result, entity, start, end),
        "ledger flows, positions, months": lambda: indicators._ledger(result, entity, start, end),
        "payment delays": lambda: indicators._collection(result, entity, start, end),
        "transparency spending": lambda: transparency(entity, YEAR),
        "whole dashboard": lambda: indicators.entity_indicators(entity, YEAR),
    }
    figures = {name: _timed(fn) for name, fn in parts.items()}
    sizes = {
        "members": Membership.objects.filter(entity=entity).count(),
        "invoices": Invoice.objects.filter(entity=entity).count(),
        "payslips": Payslip.objects.filter(entity=entity).count(),
        "allocations": Allocation.objects.filter(invoice__entity=entity).count(),
    }
    return {"ms": figures, "sizes": sizes, "target_ms": TARGET_MS}
