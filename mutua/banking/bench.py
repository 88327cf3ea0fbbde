"""Benchmark of statement import and reconciliation (issue 6): import a CODA file of N lines
that pay N issued invoices (by structured reference, invoice number, amount and payer, partly,
beyond the total, or not at all), then import the same file again (nothing new may appear).

The scene (entity, invoices booked in the ledger, a first statement that teaches the payers'
IBANs) is built set-based beforehand and not timed. Never part of the unit tests.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mutua_bank_bench \\
        .venv/bin/python -m mutua.banking.bench --lines 10000
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import time
from dataclasses import replace
from decimal import Decimal
from typing import Any

ON = dt.date(2026, 6, 15)
PAID = dt.date(2026, 6, 20)
CLIENTS = 200


def bench_import(lines: int = 10_000) -> dict[str, Any]:
    from mutua.banking.actions import import_statements
    from mutua.banking.models import Allocation, StatementLine
    from mutua.ledger.models import Entry

    entity, content, warm_up = _scene(lines)
    import_statements(entity=entity, content=warm_up, file_name="warm-up", acting_user=None)
    started = time.perf_counter()
    first = import_statements(entity=entity, content=content, file_name="bench", acting_user=None)
    elapsed = time.perf_counter() - started
    counts = (StatementLine.objects.count(), Allocation.objects.count(), Entry.objects.count())
    started = time.perf_counter()
    again = import_statements(entity=entity, content=content, file_name="bench", acting_user=None)
    elapsed_again = time.perf_counter() - started
    after = (StatementLine.objects.count(), Allocation.objects.count(), Entry.objects.count())
    return {
        "lines": lines,
        "import_seconds": round(elapsed, 2),
        "lines_per_s": round(lines / elapsed),
        "imported": first.imported,
        "matched": first.matched,
        "overpaid": first.overpaid,
        "unmatched": first.unmatched,
        "ambiguous": first.ambiguous,
        "reimport_seconds": round(elapsed_again, 2),
        "reimport_new_rows": sum(after) - sum(counts),
        "reimport_duplicates": again.duplicates,
        "target_seconds": 5,
    }


def _scene(count: int) -> tuple[Any, bytes, bytes]:
    from django.db import transaction

    with transaction.atomic():
        entity, activity = _entity()
        clients = _clients(entity)
        invoices = _invoices(entity, activity, clients, count)
    rng = random.Random(6)  # noqa: S311 (a repeatable data set)
    ibans = {client.pk: iban for client, iban in clients}
    warm_up = _file(entity, [_warm_up_line(i, ibans) for i in invoices[:CLIENTS]], "1", "0.00")
    body = [_line(n, invoice, ibans, rng) for n, invoice in enumerate(invoices[CLIENTS:])]
    opening = sum((line.amount for line in _parsed(warm_up)), start=Decimal("0"))
    return entity, _daily_file(entity, body, opening), warm_up


def _entity() -> tuple[Any, Any]:
    from mutua.activities.models import Activity
    from mutua.demo import identifiers as ids
    from mutua.entities.models import Entity, FeeRate
    from mutua.ledger.actions import set_up_ledger

    n = Entity.objects.count() + 1
    company = ids.be_company_number(7000 + n)
    entity = Entity.objects.create(
        code=f"K{n:03d}",
        name=f"Bank bench {n}",
        legal_name=f"Bank bench {n} SC",
        country="BE",
        currency="EUR",
        languages="fr,nl,en",
        vat_number=f"BE{company}",
        company_number=company,
        iban=ids.iban("BE", random.Random(n)),  # noqa: S311
    )
    FeeRate.objects.create(entity=entity, rate=Decimal("0.065"), valid_from=dt.date(2024, 1, 1))
    set_up_ledger(entity=entity, years=(ON.year,))
    activity = Activity.objects.create(entity=entity, number="A00001", name="Bench")
    return entity, activity


def _clients(entity: Any) -> list[tuple[Any, str]]:
    from mutua.clients.models import Client
    from mutua.demo import identifiers as ids

    rng = random.Random(entity.pk)  # noqa: S311
    made = Client.objects.bulk_create(
        Client(entity=entity, name=f"Client {n:04d}", country="BE") for n in range(CLIENTS)
    )
    return [(client, ids.iban("BE", rng)) for client in made]


def _invoices(entity: Any, activity: Any, clients: list[tuple[Any, str]], count: int) -> list[Any]:
    """Issued invoices, booked in the ledger (receivable on the client, sales on the activity)."""
    from mutua.invoicing.documents.payment import structured_communication
    from mutua.invoicing.models import Invoice
    from mutua.ledger.actions import post_entries_bulk
    from mutua.ledger.drafts import EntryDraft, LineDraft

    total = count + CLIENTS
    invoices = Invoice.objects.bulk_create(
        Invoice(
            entity=entity,
            activity=activity,
            client=clients[seq % CLIENTS][0],
            status="issued",
            number=f"2026-{seq:06d}",
            fiscal_year=2026,
            issue_date=ON,
            due_date=ON + dt.timedelta(days=30),
            currency="EUR",
            payment_reference=structured_communication(26 * 10**8 + seq),
            total_net=Decimal(100 + seq % 900),
            total_gross=Decimal(100 + seq % 900),
        )
        for seq in range(1, total + 1)
    )
    drafts = [
        EntryDraft(
            entity.pk,
            "VEN",
            ON,
            f"Invoice {invoice.number}",
            (
                LineDraft("400000", debit=invoice.total_gross, client_id=invoice.client_id),
                LineDraft("700000", credit=invoice.total_gross, activity_id=activity.pk),
            ),
            invoice.number or "",
        )
        for invoice in invoices
    ]
    keys = [f"invoice:{invoice.pk}" for invoice in invoices]
    post_entries_bulk(drafts, acting_user=None, idempotency_keys=keys)
    return invoices


def _digits(invoice: Any) -> str:
    return "".join(ch for ch in invoice.payment_reference if ch.isdigit())


def _warm_up_line(invoice: Any, ibans: dict[int, str]) -> Any:
    from mutua.banking.formats import StatementLineData

    return StatementLineData(
        PAID,
        PAID,
        invoice.total_gross,
        f"Client {invoice.client_id}",
        ibans[invoice.client_id],
        _digits(invoice),
        "",
        f"W{invoice.pk}",
    )


def _line(n: int, invoice: Any, ibans: dict[int, str], rng: random.Random) -> Any:
    """70 % by reference, 10 % by invoice number, 5 % partly, 5 % beyond the total, 5 % by
    amount and payer, 5 % unknown."""
    from mutua.banking.formats import StatementLineData

    roll, gross = n % 20, invoice.total_gross
    amount, reference, text = gross, _digits(invoice), ""
    if roll in (14, 15):
        reference, text = "", f"Facture {invoice.number}"
    elif roll == 16:
        amount = (gross / 2).quantize(Decimal("0.01"))
    elif roll == 17:
        amount = gross + Decimal("10.00")
    elif roll == 18:
        reference, text = "", "virement"  # amount and payer (ambiguous if the amount recurs)
    elif roll == 19:
        reference, text, amount = "", f"don {n}", Decimal(rng.randrange(100, 99999)) / 100
    iban = ibans[invoice.client_id] if roll != 19 else "BE43068999999501"
    return StatementLineData(
        PAID, PAID, amount, f"Client {invoice.client_id}", iban, reference, text, f"B{n:08d}"
    )


def _statement(entity: Any, lines: list[Any], number: str, start: Decimal, day: dt.date) -> Any:
    from mutua.banking.formats import StatementData

    end = start + sum((line.amount for line in lines), start=Decimal("0"))
    return StatementData(
        entity.iban, "EUR", number, day - dt.timedelta(days=1), start, day, end, tuple(lines)
    )


def _file(entity: Any, lines: list[Any], number: str, opening: str) -> bytes:
    from mutua.banking.writers import coda_file

    return coda_file([_statement(entity, lines, number, Decimal(opening), PAID)], created=PAID)


def _daily_file(entity: Any, lines: list[Any], opening: Decimal) -> bytes:
    """One file of daily statements of 2,500 movements (a CODA statement holds 9,999 at most)."""
    from mutua.banking.writers import coda_file

    statements = []
    for n, start in enumerate(range(0, len(lines), 2_500)):
        day = PAID + dt.timedelta(days=n + 1)
        chunk = [
            replace(line, booking_date=day, value_date=day) for line in lines[start : start + 2_500]
        ]
        statements.append(_statement(entity, chunk, str(n + 2), opening, day))
        opening = statements[-1].closing_balance
    return coda_file(statements, created=PAID)


def _parsed(content: bytes) -> list[Any]:
    from mutua.banking.formats import read_statement_file

    return list(read_statement_file(content).statements[0].lines)


def main() -> None:
    import os

    import django

    parser = argparse.ArgumentParser(prog="python -m mutua.banking.bench", description=__doc__)
    parser.add_argument("--lines", type=int, default=10_000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutua.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    result = bench_import(args.lines)
    result["database"] = connection.vendor
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
