"""Payroll benchmarks. The simulator: time N simulations per country and mode (target ≤ 2 ms
each), pure (no database):

    .venv/bin/python -c "from mutua.payroll.bench import bench_simulator; print(bench_simulator())"

The payroll run (`bench_payroll_run`): a month of N members on the configured database
(target ≤ 20 s for 20,000 on PostgreSQL, 2 cores). `mutua/bench/` can call both and add the
dicts to its report; neither is part of the unit tests.
"""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal
from typing import Any

from mutua.core.pay import Situation
from mutua.payroll.simulator import SimulationRequest, simulate

TARGET_MS = 2.0


def bench_simulator(n: int = 300, on: dt.date = dt.date(2026, 2, 1)) -> dict[str, object]:
    """Milliseconds per simulation, for every country and mode, and whether all meet the target."""
    timings: dict[str, float] = {}
    situation = Situation(marital="married", partner_income=False, children=2)
    for country in ("BE", "FR", "SE"):
        for mode in ("gross", "invoiced", "net"):
            requests = [
                SimulationRequest(
                    country, on, mode, Decimal(1500 + 7 * i) + Decimal("0.37"), situation=situation
                )
                for i in range(n)
            ]
            start = time.perf_counter()
            for request in requests:
                simulate(request)
            timings[f"{country}_{mode}"] = round((time.perf_counter() - start) * 1000 / n, 3)
    worst = max(timings.values())
    return {
        "simulations": n * len(timings),
        "ms_per_simulation": timings,
        "worst_ms": worst,
        "target_ms": TARGET_MS,
        "ok": worst <= TARGET_MS,
    }


# --- payroll run ------------------------------------------------------------------------------
RUN_TARGET_S = 20.0
APRIL = dt.date(2026, 4, 1)


def bench_payroll_run(members: int = 20_000, days: int = 3) -> dict[str, object]:
    """A month's payroll run of `members` members with `days` day contracts each, on the
    configured database (PostgreSQL for the target): computed, stored and posted. The scene
    (people, funded activities, contracts) is built set-based beforehand and not timed.

        DATABASE_URL=postgres://... .venv/bin/python -c "import django, os; \\
          os.environ['DJANGO_SETTINGS_MODULE'] = 'mutua.settings'; django.setup(); \\
          from django.core.management import call_command; call_command('migrate', verbosity=0); \\
          from mutua.payroll.bench import bench_payroll_run; print(bench_payroll_run())"
    """
    from mutua.ledger.queries import verify_books
    from mutua.payroll.actions import run_payroll, run_report

    entity = _payroll_scene(members, days)
    started = time.perf_counter()
    run = run_payroll(entity=entity, period=APRIL)
    elapsed = time.perf_counter() - started
    report = run_report(run).as_json()
    return {
        "members": members,
        "contracts": members * days,
        "payslips": report["payslips"],
        "refused": report["refused"],
        "seconds": round(elapsed, 2),
        "ms_per_payslip": round(elapsed * 1000 / max(members, 1), 3),
        "target_s": RUN_TARGET_S * members / 20_000,
        "ok": elapsed <= RUN_TARGET_S * members / 20_000,
        "books_verified": verify_books([entity]) == [],
        "totals": report["totals"],
    }


def _payroll_scene(members: int, days: int) -> Any:
    from django.db import transaction

    from mutua.activities.models import Activity
    from mutua.contracts.models import Contract
    from mutua.demo import identifiers as ids
    from mutua.entities.models import Entity, FeeRate
    from mutua.ledger.actions import post_entries_bulk, set_up_ledger
    from mutua.ledger.drafts import EntryDraft, LineDraft
    from mutua.members.models import Membership, Person

    n = Entity.objects.count() + 1
    code = f"P{n:03d}"
    company = ids.be_company_number(8000 + n)
    entity = Entity.objects.create(
        code=code,
        name=f"Payroll bench {code}",
        legal_name=f"Payroll bench {code} SC",
        country="BE",
        currency="EUR",
        languages="fr,nl,en",
        vat_number=f"BE{company}",
        company_number=company,
        iban="BE68539007547034",
    )
    FeeRate.objects.create(entity=entity, rate=Decimal("0.065"), valid_from=dt.date(2024, 1, 1))
    set_up_ledger(entity=entity, years=(2026,))
    with transaction.atomic():
        people = Person.objects.bulk_create(
            Person(
                first_name="Member",
                last_name=f"{i:06d}",
                country="BE",
                preferred_language=("fr", "nl", "en")[i % 3],
                marital_status=("single", "married", "cohabiting")[i % 3],
                partner_has_income=bool(i % 2),
                dependent_children=i % 4,
            )
            for i in range(members)
        )
        Membership.objects.bulk_create(
            Membership(person=person, entity=entity, number=f"{code}-{i:06d}", status="active")
            for i, person in enumerate(people)
        )
        activities = Activity.objects.bulk_create(
            Activity(entity=entity, number=f"B{i:06d}", name="Bench", activity_type="arts")
            for i in range(members)
        )
        Contract.objects.bulk_create(
            Contract(
                entity=entity,
                person=person,
                activity=activity,
                kind="day",
                start_date=APRIL + dt.timedelta(days=d + i % 20),
                end_date=APRIL + dt.timedelta(days=d + i % 20),
                days=Decimal("1"),
                work_budget=Decimal(300 + (i * 37) % 500) + Decimal("0.25"),
                currency="EUR",
            )
            for i, (person, activity) in enumerate(zip(people, activities, strict=True))
            for d in range(min(days, 8))
        )
    funding = [
        EntryDraft(
            entity_id=entity.pk,
            journal="VEN",
            date=dt.date(2026, 3, 31),
            label="Client payment",
            lines=(
                LineDraft("400000", debit=Decimal("5000.00")),
                LineDraft("700000", credit=Decimal("5000.00"), activity_id=activity.pk),
            ),
        )
        for activity in activities
    ]
    with transaction.atomic():
        post_entries_bulk(
            funding,
            acting_user=None,
            idempotency_keys=[f"bench-fund:{a.pk}" for a in activities],
        )
    return entity
