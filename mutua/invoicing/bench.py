"""Benchmark of the invoicing pipeline on the configured database (issue 4): issue N invoices
through the real action (gapless number, VAT, fee, ledger posting) and build each one's Peppol
UBL. Drafts are prepared set-based beforehand and are not timed. Never part of the unit tests.
"""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from mutua.activities.models import Activity, ActivityParticipant
from mutua.clients.models import Client
from mutua.demo import identifiers as ids
from mutua.entities.models import Entity, FeeRate
from mutua.invoicing.actions import issue_invoice
from mutua.invoicing.documents.en16931 import ubl_xml
from mutua.invoicing.models import Invoice, InvoiceLine
from mutua.invoicing.rendering import document_of
from mutua.ledger.actions import set_up_ledger
from mutua.members.models import Person

ON = dt.date(2026, 6, 15)


def bench_issue_invoices(count: int = 10_000, *, per_transaction: int = 1) -> dict[str, Any]:
    """Issue `count` invoices and build their UBL. `per_transaction=1` is the interactive path
    (one commit per invoice, so bounded by the disk's commit latency); a larger value issues that
    many invoices per transaction, as a bulk job would (each issue stays its own savepoint)."""
    user, activity, client = _scene()
    drafts = _drafts(activity, client, user, count)
    started = time.perf_counter()
    for start in range(0, count, per_transaction):
        with transaction.atomic():
            for draft in drafts[start : start + per_transaction]:
                issued = issue_invoice(actor=user, invoice=draft, on=ON)
                ubl_xml(document_of(issued))
    elapsed = time.perf_counter() - started
    return {
        "invoices": count,
        "per_transaction": per_transaction,
        "seconds": round(elapsed, 2),
        "invoices_per_s": round(count / elapsed, 1),
        "ms_per_invoice": round(elapsed * 1000 / count, 2),
    }


def _scene() -> tuple[Any, Activity, Client]:
    code = f"B{Entity.objects.count() + 1:03d}"[:8]
    company = ids.be_company_number(9000 + Entity.objects.count())
    entity = Entity.objects.create(
        code=code,
        name=f"Bench {code}",
        legal_name=f"Bench {code} SC",
        country="BE",
        currency="EUR",
        languages="fr,nl,en",
        vat_number=f"BE{company}",
        company_number=company,
        iban="BE68539007547034",
        street="Rue Coenraets 72",
        postcode="1060",
        city="Saint-Gilles",
    )
    FeeRate.objects.create(entity=entity, rate=Decimal("0.065"), valid_from=dt.date(2024, 1, 1))
    set_up_ledger(entity=entity, years=(ON.year,))
    user = get_user_model().objects.create(username=f"bench-{code}", email=f"{code}@bench.test")
    person = Person.objects.create(user=user, first_name="Bench", last_name=code, country="BE")
    activity = Activity.objects.create(entity=entity, number="A00001", name="Bench")
    ActivityParticipant.objects.create(activity=activity, person=person, role="holder")
    client = Client.objects.create(
        entity=entity, name="Atelier", country="BE", vat_number="BE0403170701"
    )
    return user, activity, client


@transaction.atomic
def _drafts(activity: Activity, client: Client, user: Any, count: int) -> list[Invoice]:
    drafts = Invoice.objects.bulk_create(
        Invoice(
            entity=activity.entity,
            activity=activity,
            client=client,
            currency="EUR",
            language="fr",
            created_by=user,
        )
        for _ in range(count)
    )
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=draft,
            position=1,
            description="Prestation",
            quantity=Decimal("1"),
            unit_price=Decimal(100 + n % 900),
        )
        for n, draft in enumerate(drafts)
    )
    return drafts
