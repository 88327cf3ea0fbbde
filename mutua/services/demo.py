"""Demo services for one entity, built through the real actions: places and resources with a few
bookings, training sessions (one full, with a waiting list), the employer's covers and a group
policy one activity joined, two loans (one to decide, one lent) and advice requests (one
answered, one overdue). The rates and prices here are demo values, not legal figures.

Call after the money loop (activities need a budget): build_services_demo(entity, rng).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from mutua.activities.models import Activity
from mutua.core import clock
from mutua.core.errors import DomainError
from mutua.core.permissions import Role
from mutua.entities.models import Entity
from mutua.ledger.queries import activity_balance
from mutua.members.models import StaffRole
from mutua.services.actions import advice, insurance, loans, training, workspace
from mutua.services.models import Place

PLACES = {
    "BE": [("Bruxelles, La Vallée", "Rue Adolphe Lavallée 39, 1080 Bruxelles")],
    "FR": [("Paris, Atelier Belleville", "12 rue de Belleville, 75020 Paris")],
    "SE": [("Stockholm, Kulturhuset", "Sergels torg 3, 111 57 Stockholm")],
}
RESOURCES = [
    ("desk", "Hot desk", "8.00", "25.00", 12),
    ("room", "Meeting room Agora", "20.00", "120.00", 24),
    ("studio", "Photo studio", "35.00", "210.00", 48),
    ("equipment", "Video camera kit", "15.00", "60.00", 24),
]
SESSIONS = [
    ("Invoicing your work through the cooperative", "Claire Martin", 12, "0"),
    ("Pricing a creative project", "Hugo Peeters", 2, "45.00"),
    ("Copyright and neighbouring rights", "Sofia Lind", 20, "30.00"),
]
EMPLOYER_COVERS = [
    ("work_accident", "0.0110", True),
    ("liability", "0.0020", False),
    ("private_accident", "0.0015", False),
]


def build_services_demo(entity: Entity, rng: random.Random) -> dict[str, int]:
    """Returns what was created, by kind. An entity that already has places is left as it is."""
    if Place.objects.filter(entity=entity).exists():
        return {"places": 0}
    staff = _adviser(entity)
    if staff is None:  # services are run by an adviser: an entity without one gets none
        return {"places": 0}
    funded = [a for a in _activities(entity) if activity_balance(a) >= Decimal("500")]
    counts = {"places": 0, "resources": 0, "bookings": 0, "sessions": 0, "enrolments": 0}
    place = _workspace(entity, staff, counts)
    _bookings(entity, place, funded, rng, counts)
    _training(entity, staff, place, funded, counts)
    counts.update(_insurance(entity, staff, funded))
    counts.update(_loans(entity, staff, funded))
    counts.update(_advice(entity, staff, rng))
    return counts


def _adviser(entity: Entity) -> Any:
    role = StaffRole.objects.filter(entity=entity, role=Role.ADVISER).select_related("user").first()
    return role.user if role is not None else None


def _activities(entity: Entity) -> list[Activity]:
    return list(
        Activity.objects.filter(entity=entity, participants__role="holder", closed_at__isnull=True)
        .select_related("entity")
        .order_by("number")
        .distinct()
    )


def _holder(activity: Activity) -> Any:
    return activity.participants.select_related("person__user").get(role="holder").person.user


def _slot(days: int, hour: int, hours: int) -> tuple[dt.datetime, dt.datetime]:
    day = clock.today() + dt.timedelta(days=days)
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
    return start, start + dt.timedelta(hours=hours)


def _workspace(entity: Entity, staff: Any, counts: dict[str, int]) -> Place:
    name, address = PLACES.get(entity.country, PLACES["BE"])[0]
    place = workspace.add_place(actor=staff, entity=entity, name=name, address=address)
    counts["places"] += 1
    for kind, label, hourly, daily, notice in RESOURCES:
        workspace.add_resource(
            actor=staff,
            place=place,
            kind=kind,
            name=label,
            hourly_price=Decimal(hourly),
            daily_price=Decimal(daily),
            free_cancellation_hours=notice,
        )
        counts["resources"] += 1
    return place


def _bookings(
    entity: Entity, place: Place, funded: list[Activity], rng: random.Random, counts: dict[str, int]
) -> None:
    resources = list(place.resources.order_by("id"))
    for n, activity in enumerate(funded[:4]):
        start, end = _slot(days=2 + n, hour=rng.choice([9, 10, 14]), hours=rng.choice([2, 3, 4]))
        try:
            workspace.book_resource(
                actor=_holder(activity),
                resource=resources[n % len(resources)],
                activity=activity,
                starts_at=start,
                ends_at=end,
            )
        except DomainError:
            continue
        counts["bookings"] += 1


def _training(
    entity: Entity, staff: Any, place: Place, funded: list[Activity], counts: dict[str, int]
) -> None:
    for n, (topic, trainer, seats, price) in enumerate(SESSIONS):
        start, end = _slot(days=7 + 7 * n, hour=10, hours=3)
        session = training.schedule_session(
            actor=staff,
            entity=entity,
            topic=topic,
            trainer=trainer,
            starts_at=start,
            ends_at=end,
            capacity=seats,
            price=Decimal(price),
            place=place if n % 2 == 0 else None,
            online_url="" if n % 2 == 0 else "https://meet.mutua.test/training",
        )
        counts["sessions"] += 1
        for activity in funded[:4]:  # four members: the two-seat session gets a waiting list
            try:
                training.enrol(actor=_holder(activity), session=session, activity=activity)
            except DomainError:
                continue
            counts["enrolments"] += 1


def _insurance(entity: Entity, staff: Any, funded: list[Activity]) -> dict[str, int]:
    start = dt.date(clock.today().year - 1, 1, 1)
    for kind, rate, mandatory in EMPLOYER_COVERS:
        insurance.set_employer_cover(
            actor=staff,
            entity=entity,
            kind=kind,
            rate=Decimal(rate),
            valid_from=start,
            insurer="Mutual Insurance Co-op",
            mandatory=mandatory,
            policy_number=f"{entity.code}-{kind.upper()[:3]}-001",
        )
    policy = insurance.add_policy(
        actor=staff,
        entity=entity,
        name="Equipment all risks",
        covers="Cameras, instruments, computers and tools: theft, breakage and fire, worldwide.",
        insurer="Mutual Insurance Co-op",
        policy_number=f"{entity.code}-EQ-2026",
        annual_premium=Decimal("96.00"),
    )
    joined = 0
    for activity in funded[:2]:
        try:
            insurance.join_policy(actor=_holder(activity), policy=policy, activity=activity)
        except DomainError:
            continue
        joined += 1
    return {"employer_covers": len(EMPLOYER_COVERS), "policies": 1, "covers": joined}


def _loans(entity: Entity, staff: Any, funded: list[Activity]) -> dict[str, int]:
    loans.set_loan_terms(
        actor=staff,
        entity=entity,
        valid_from=dt.date(2024, 1, 1),
        investment_rate=Decimal("0.04"),
        file_fee_rate=Decimal("0.03"),  # SMart's published file fee (business-model.md)
    )
    if len(funded) < 2:
        return {"loans": 0}
    requested = loans.request_loan(
        actor=_holder(funded[0]),
        activity=funded[0],
        kind="investment",
        principal=Decimal("4000.00"),
        months=24,
        method="annuity",
        purpose="A second camera body and two lenses.",
    )
    bridge = loans.request_loan(
        actor=_holder(funded[1]),
        activity=funded[1],
        kind="bridge",
        principal=Decimal("1500.00"),
        months=6,
        method="linear",
        purpose="Bridge until the festival's grant is paid.",
    )
    loans.disburse_loan(actor=staff, loan=bridge)
    return {"loans": 2, "loan_requests": 1 if requested.pk else 0}


def _advice(entity: Entity, staff: Any, rng: random.Random) -> dict[str, int]:
    holders = [_holder(a) for a in _activities(entity)[:2]]
    if not holders:
        return {"advice_requests": 0}
    now = clock.now()
    answered = advice.ask_advice(
        actor=holders[0],
        entity=entity,
        topic="tax",
        subject="VAT on an invoice to a client abroad",
        body="My client is a company in another EU country. Do I charge VAT?",
        now=now - dt.timedelta(days=3),
    )
    advice.assign_advice(actor=staff, request=answered, adviser=staff)
    advice.reply_advice(
        actor=staff,
        request=answered,
        body="No: the reverse charge applies. Give the client's VAT number on the order form.",
        now=now - dt.timedelta(days=2),
    )
    advice.ask_advice(
        actor=holders[-1],
        entity=entity,
        topic=rng.choice(["social", "legal"]),
        subject="Unemployment benefits between two contracts",
        body="Can I keep my benefits on the days I do not work?",
        now=now - dt.timedelta(days=6),
    )
    return {"advice_requests": 2}
