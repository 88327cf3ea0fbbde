"""Demo activities, clients and invoices in several states, through the product's actions."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from mutua.activities.actions import open_activity
from mutua.banking.demo import build_bank_demo
from mutua.clients.actions import ClientDetails, add_client
from mutua.core import clock
from mutua.demo import identifiers as ids
from mutua.engagements.actions import (
    OrderFormInput,
    confirm_order_form_by_client,
    create_order_form,
    refuse_order_form_by_client,
    send_order_form,
)
from mutua.engagements.links import make_token
from mutua.entities.models import Entity
from mutua.expenses.demo import build_expenses_demo
from mutua.fund.demo import build_fund_demo
from mutua.governance.demo import build_governance_demo
from mutua.invoicing.actions import (
    LineInput,
    create_draft_invoice,
    issue_credit_note,
    issue_invoice,
)
from mutua.invoicing.dunning import dispute_invoice
from mutua.ledger.actions import set_up_ledger
from mutua.members.models import Membership
from mutua.services.demo import build_services_demo

ACTIVITY_NAMES = [
    ("Studio photo", "photography"),
    ("Compagnie de théâtre", "performing arts"),
    ("Atelier de céramique", "crafts"),
    ("Formation en ligne", "education"),
    ("Groupe de jazz", "music"),
    ("Traductions", "translation"),
    ("Graphisme", "design"),
    ("Vidéo et montage", "audiovisual"),
]
# Invented organisations with checksum-valid, invented numbers (demo.identifiers).
CLIENTS = {
    "BE": [
        ("Théâtre des Tilleuls", "fr", ids.be_company_number(101)),
        ("Stadsschouwburg Oostkust", "nl", ids.be_company_number(102)),
        ("Zaal De Verrekijker", "nl", ids.be_company_number(103)),
        ("Commune de Vieuxbois", "fr", ""),
    ],
    "FR": [
        ("Compagnie des Lucioles", "fr", ids.fr_siren(201)),
        ("Mairie de Bellerive", "fr", ""),
        ("Festival des Marées", "fr", ids.fr_siren(202)),
    ],
    "SE": [("Kulturhus Norrbacka", "en", ""), ("Teater Sjöstaden", "en", "")],
}
WORK = ["Concert", "Workshop", "Photo shoot", "Translation", "Design", "Performance", "Training"]


def build_money_loop(entity: Entity, rng: random.Random) -> dict[str, int]:
    """Books for last year and this year, then activities, clients and invoices per member."""
    today = clock.today()
    set_up_ledger(entity=entity, years=(today.year - 1, today.year))
    members = list(
        Membership.objects.filter(entity=entity, status="active")
        .select_related("person__user")
        .order_by("number")
    )
    counts = {"activities": 0, "invoices": 0, "order_forms": 0}
    for index, membership in enumerate(members):
        user = membership.person.user
        activity = _activity(entity, user, index)
        clients = _clients(entity, user, rng)
        counts["activities"] += 1
        counts["invoices"] += _invoices(activity, clients, user, rng, today)
        counts["order_forms"] += _order_forms(activity, clients, user, rng, today)
    counts.update(build_bank_demo(entity, rng))
    counts.update(build_fund_demo(entity, rng))
    counts.update(build_expenses_demo(entity, rng))
    counts.update(build_services_demo(entity, rng))
    counts.update(build_governance_demo(entity, rng))
    return counts


def _activity(entity: Entity, user: Any, index: int) -> Any:
    name, sector = ACTIVITY_NAMES[index % len(ACTIVITY_NAMES)]
    return open_activity(actor=user, entity=entity, name=name, sector=sector)


def _clients(entity: Entity, user: Any, rng: random.Random) -> list[Any]:
    chosen = rng.sample(CLIENTS[entity.country], k=min(2, len(CLIENTS[entity.country])))
    clients = []
    for name, language, company in chosen:
        details = ClientDetails(
            name=name,
            country=entity.country,
            language=language,
            company_number=company,
            vat_number=_vat(entity.country, company),
            kind="company",
            email=f"invoices@{name.split()[0].lower()}.example",
        )
        clients.append(add_client(actor=user, entity=entity, details=details)[0])
    return clients


def _vat(country: str, company: str) -> str:
    if not company:
        return ""
    if country == "BE":
        return f"BE{company}"
    if country == "FR":
        return ids.fr_vat(company)
    return ""


def _invoices(
    activity: Any, clients: list[Any], user: Any, rng: random.Random, today: dt.date
) -> int:
    """Five invoices: paid-age, recent, overdue, cancelled, and a draft."""
    plans = [("issued", 300), ("issued", 120), ("overdue", 75), ("credited", 200), ("draft", 0)]
    for state, days_ago in plans:
        invoice = create_draft_invoice(
            actor=user,
            activity=activity,
            client=rng.choice(clients),
            lines=[
                LineInput(
                    rng.choice(WORK),
                    Decimal(rng.choice([1, 1, 2, 3])),
                    Decimal(rng.randrange(25000, 180000)) / 100,
                )
            ],
        )
        if state == "draft":
            continue
        on = today - dt.timedelta(days=days_ago)
        invoice = issue_invoice(actor=user, invoice=invoice, on=on)
        if state == "credited":
            issue_credit_note(actor=user, invoice=invoice, reason="event cancelled", on=on)
        elif state == "overdue" and rng.random() < 0.3:
            dispute_invoice(actor=user, invoice=invoice, reason="number of hours contested")
    return len(plans)


def _order_forms(
    activity: Any, clients: list[Any], user: Any, rng: random.Random, today: dt.date
) -> int:
    """A draft, one waiting for the client, one the client confirmed, one refused."""
    outcomes = ["draft", "sent", "confirmed", "refused"]
    for outcome in outcomes:
        start = today + dt.timedelta(days=rng.randint(3, 40))
        days = Decimal(rng.choice([1, 2, 3, 5]))
        form = create_order_form(
            actor=user,
            activity=activity,
            data=OrderFormInput(
                client=rng.choice(clients),
                description=f"{rng.choice(WORK)} ({outcome})",
                start_date=start,
                end_date=start + dt.timedelta(days=int(days) - 1),
                working_days=days,
                amount_excl_vat=days * Decimal(rng.randrange(30000, 60000)) / 100,
                place=activity.entity.city or "",
            ),
        )
        if outcome == "draft":
            continue
        send_order_form(actor=user, order_form=form, site_url=DEMO_SITE)
        form.refresh_from_db()
        token = make_token(form)
        if outcome == "confirmed":
            confirm_order_form_by_client(token=token, ip="127.0.0.1", user_agent="demo")
        elif outcome == "refused":
            refuse_order_form_by_client(
                token=token, reason="budget not approved", ip="127.0.0.1", user_agent="demo"
            )
    return len(outcomes)


DEMO_SITE = "http://127.0.0.1:8000"
