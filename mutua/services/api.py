"""API endpoints of the services app, mounted under /api/v1/ by mutua.api.api.

The same access functions and actions as the pages: a member reaches only their own bookings,
enrolments, loans, covers and questions (others' ids are 404), and charges only the activities
they manage.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.db.models import Count, Q
from django.http import HttpRequest
from ninja import Router, Schema, Status

from mutua.activities.queries import access_activity
from mutua.core import clock
from mutua.core.inputs import MoneyIn, TextInput
from mutua.core.permissions import Role
from mutua.entities.queries import entity_by_code
from mutua.services import queries
from mutua.services.actions import advice, insurance, loans, training, workspace
from mutua.services.models import Instalment

router = Router(tags=["services"])


def _user(request: HttpRequest) -> Any:
    return request.user


# --- workspace --------------------------------------------------------------------------------


class ResourceOut(Schema):
    id: int
    entity: str
    place: str
    kind: str
    name: str
    hourly_price: Decimal
    daily_price: Decimal
    free_cancellation_hours: int


class BookingIn(Schema):
    resource_id: int
    activity_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime


class BookingOut(Schema):
    id: int
    resource_id: int
    activity_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    price: Decimal
    status: str
    refunded: bool


def _resource_out(r: Any) -> dict[str, Any]:
    return {
        "id": r.pk,
        "entity": r.place.entity.code,
        "place": r.place.name,
        "kind": r.kind,
        "name": r.name,
        "hourly_price": r.hourly_price,
        "daily_price": r.daily_price,
        "free_cancellation_hours": r.free_cancellation_hours,
    }


def _booking_out(b: Any) -> dict[str, Any]:
    fields = ("resource_id", "activity_id", "starts_at", "ends_at", "price", "status")
    return {"id": b.pk, "refunded": b.refund_entry_id is not None} | {
        f: getattr(b, f) for f in fields
    }


@router.get("/services/resources", response=list[ResourceOut])
def resource_list(request: HttpRequest) -> list[dict[str, Any]]:
    found = queries.visible_resources(_user(request)).filter(active=True, place__active=True)
    return [_resource_out(r) for r in found]


@router.get("/services/bookings", response=list[BookingOut])
def booking_list(request: HttpRequest) -> list[dict[str, Any]]:
    user = _user(request)
    mine = queries.visible_bookings(user).filter(activity__participants__person__user=user)
    return [_booking_out(b) for b in mine.order_by("-starts_at")[:500]]


@router.post("/services/bookings", response={201: BookingOut})
def booking_create(request: HttpRequest, payload: BookingIn) -> Status[dict[str, Any]]:
    user = _user(request)
    booking = workspace.book_resource(
        actor=user,
        resource=queries.access_resource(user, payload.resource_id),
        activity=access_activity(user, payload.activity_id),
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
    )
    return Status(201, _booking_out(booking))


@router.post("/services/bookings/{booking_id}/cancel", response=BookingOut)
def booking_cancel(request: HttpRequest, booking_id: int) -> dict[str, Any]:
    user = _user(request)
    booking = workspace.cancel_booking(actor=user, booking=queries.access_booking(user, booking_id))
    return _booking_out(booking)


# --- training ---------------------------------------------------------------------------------


class SessionOut(Schema):
    id: int
    entity: str
    topic: str
    trainer: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str | None
    online_url: str
    capacity: int
    seats_left: int
    price: Decimal


class EnrolIn(Schema):
    activity_id: int | None = None


class EnrolmentOut(Schema):
    id: int
    session_id: int
    activity_id: int | None
    status: str
    price: Decimal
    attended: bool | None


def _enrolment_out(e: Any) -> dict[str, Any]:
    fields = ("session_id", "activity_id", "status", "price", "attended")
    return {"id": e.pk} | {f: getattr(e, f) for f in fields}


@router.get("/services/sessions", response=list[SessionOut])
def session_list(request: HttpRequest) -> list[dict[str, Any]]:
    found = (
        queries.visible_sessions(_user(request))
        .filter(ends_at__gte=clock.now(), cancelled_at__isnull=True)
        .annotate(taken=Count("enrolments", filter=Q(enrolments__status="enrolled")))
    )
    return [
        {
            "id": s.pk,
            "entity": s.entity.code,
            "topic": s.topic,
            "trainer": s.trainer,
            "starts_at": s.starts_at,
            "ends_at": s.ends_at,
            "place": s.place.name if s.place else None,
            "online_url": s.online_url,
            "capacity": s.capacity,
            "seats_left": max(s.capacity - s.taken, 0),
            "price": s.price,
        }
        for s in found
    ]


@router.post("/services/sessions/{session_id}/enrol", response={201: EnrolmentOut})
def session_enrol(
    request: HttpRequest, session_id: int, payload: EnrolIn
) -> Status[dict[str, Any]]:
    user = _user(request)
    activity = access_activity(user, payload.activity_id) if payload.activity_id else None
    enrolment = training.enrol(
        actor=user, session=queries.access_session(user, session_id), activity=activity
    )
    return Status(201, _enrolment_out(enrolment))


@router.get("/services/enrolments", response=list[EnrolmentOut])
def enrolment_list(request: HttpRequest) -> list[dict[str, Any]]:
    user = _user(request)
    return [_enrolment_out(e) for e in queries.visible_enrolments(user).filter(person__user=user)]


@router.post("/services/enrolments/{enrolment_id}/cancel", response=EnrolmentOut)
def enrolment_cancel(request: HttpRequest, enrolment_id: int) -> dict[str, Any]:
    user = _user(request)
    enrolment = training.cancel_enrolment(
        actor=user, enrolment=queries.access_enrolment(user, enrolment_id)
    )
    return _enrolment_out(enrolment)


# --- loans ------------------------------------------------------------------------------------


class LoanIn(Schema):
    activity_id: int
    kind: str
    principal: MoneyIn  # up to 10,000,000.00; the loan terms are the action's rules
    months: int
    method: str = "annuity"
    purpose: Annotated[str, TextInput(max_length=2000, multiline=True)]


class InstalmentOut(Schema):
    number: int
    due_date: dt.date
    principal: Decimal
    interest: Decimal
    amount: Decimal
    paid_on: dt.date | None = None


class LoanOut(Schema):
    id: int
    activity_id: int
    kind: str
    status: str
    principal: Decimal
    annual_rate: Decimal
    file_fee: Decimal
    months: int
    method: str
    disbursed_on: dt.date | None
    schedule: list[InstalmentOut]


def _loan_out(loan: Any, with_schedule: bool = True) -> dict[str, Any]:
    fields = ("activity_id", "kind", "status", "principal", "annual_rate", "file_fee", "months")
    out = {"id": loan.pk, "method": loan.method, "disbursed_on": loan.disbursed_on}
    out |= {f: getattr(loan, f) for f in fields}
    schedule: list[Any] = []
    if with_schedule:
        if loan.disbursed_on:
            schedule = list(Instalment.objects.filter(loan=loan))
        else:
            schedule = loans.schedule_of(loan, clock.today())
    out["schedule"] = [
        {
            "number": i.number,
            "due_date": i.due_date,
            "principal": i.principal,
            "interest": i.interest,
            "amount": i.amount,
            "paid_on": getattr(i, "paid_on", None),
        }
        for i in schedule
    ]
    return out


@router.get("/services/loans", response=list[LoanOut])
def loan_list(request: HttpRequest) -> list[dict[str, Any]]:
    user = _user(request)
    mine = queries.visible_loans(user).filter(activity__participants__person__user=user)
    return [_loan_out(loan, with_schedule=False) for loan in mine]


@router.get("/services/loans/{loan_id}", response=LoanOut)
def loan_detail(request: HttpRequest, loan_id: int) -> dict[str, Any]:
    return _loan_out(queries.access_loan(_user(request), loan_id))


@router.post("/services/loans", response={201: LoanOut})
def loan_create(request: HttpRequest, payload: LoanIn) -> Status[dict[str, Any]]:
    user = _user(request)
    loan = loans.request_loan(
        actor=user,
        activity=access_activity(user, payload.activity_id),
        kind=payload.kind,
        principal=payload.principal,
        months=payload.months,
        method=payload.method,
        purpose=payload.purpose,
    )
    return Status(201, _loan_out(loan))


# --- insurance --------------------------------------------------------------------------------


class PolicyOut(Schema):
    id: int
    entity: str
    name: str
    covers: str
    insurer: str
    policy_number: str
    annual_premium: Decimal


class JoinIn(Schema):
    activity_id: int


class CoverOut(Schema):
    id: int
    policy_id: int
    activity_id: int
    starts_on: dt.date
    ends_on: dt.date
    premium: Decimal


class RatesOut(Schema):
    entity: str
    on: dt.date
    rates: dict[str, Decimal]
    total: Decimal


def _cover_out(c: Any) -> dict[str, Any]:
    fields = ("policy_id", "activity_id", "starts_on", "ends_on", "premium")
    return {"id": c.pk} | {f: getattr(c, f) for f in fields}


@router.get("/services/policies", response=list[PolicyOut])
def policy_list(request: HttpRequest) -> list[dict[str, Any]]:
    fields = ("name", "covers", "insurer", "policy_number", "annual_premium")
    return [
        {"id": p.pk, "entity": p.entity.code} | {f: getattr(p, f) for f in fields}
        for p in queries.visible_policies(_user(request)).filter(active=True)
    ]


@router.post("/services/policies/{policy_id}/join", response={201: CoverOut})
def policy_join(request: HttpRequest, policy_id: int, payload: JoinIn) -> Status[dict[str, Any]]:
    user = _user(request)
    cover = insurance.join_policy(
        actor=user,
        policy=queries.access_policy(user, policy_id),
        activity=access_activity(user, payload.activity_id),
    )
    return Status(201, _cover_out(cover))


@router.get("/services/covers", response=list[CoverOut])
def cover_list(request: HttpRequest) -> list[dict[str, Any]]:
    user = _user(request)
    mine = queries.visible_covers(user).filter(activity__participants__person__user=user)
    return [_cover_out(c) for c in mine]


@router.get("/services/insurance-rates", response=RatesOut)
def insurance_rates(request: HttpRequest, entity: str, on: dt.date | None = None) -> dict[str, Any]:
    """The employer covers' rates on gross pay in force on a date (staff of the entity)."""
    found = queries.access_staff_entity(
        _user(request), entity_by_code(entity).pk, (*queries.LOAN_STAFF, Role.PAYROLL_OFFICER)
    )
    day = on or clock.today()
    rates = insurance.insurance_rates(found, day)
    return {
        "entity": found.code,
        "on": day,
        "rates": rates,
        "total": sum(rates.values(), Decimal(0)),
    }


# --- advice -----------------------------------------------------------------------------------


class AdviceIn(Schema):
    entity: str
    topic: str
    subject: Annotated[str, TextInput(max_length=200)]
    body: Annotated[str, TextInput(max_length=20000, multiline=True)]


class MessageIn(Schema):
    body: Annotated[str, TextInput(max_length=20000, multiline=True)]


class MessageOut(Schema):
    from_staff: bool
    body: str
    created_at: dt.datetime
    files: list[str]


class AdviceOut(Schema):
    id: int
    entity: str
    topic: str
    subject: str
    status: str
    created_at: dt.datetime
    due_at: dt.datetime
    first_response_at: dt.datetime | None
    rating: int | None
    messages: list[MessageOut]


def _advice_out(r: Any, with_messages: bool = True) -> dict[str, Any]:
    fields = ("topic", "subject", "status", "created_at", "due_at", "first_response_at", "rating")
    out = {"id": r.pk, "entity": r.entity.code} | {f: getattr(r, f) for f in fields}
    thread = r.messages.prefetch_related("files") if with_messages else []
    out["messages"] = [
        {
            "from_staff": m.from_staff,
            "body": m.body,
            "created_at": m.created_at,
            "files": [f.name for f in m.files.all()],
        }
        for m in thread
    ]
    return out


@router.get("/services/advice", response=list[AdviceOut])
def advice_list(request: HttpRequest) -> list[dict[str, Any]]:
    user = _user(request)
    mine = queries.visible_advice(user).filter(person__user=user)
    return [_advice_out(r, with_messages=False) for r in mine]


@router.post("/services/advice", response={201: AdviceOut})
def advice_create(request: HttpRequest, payload: AdviceIn) -> Status[dict[str, Any]]:
    asked = advice.ask_advice(
        actor=_user(request),
        entity=entity_by_code(payload.entity),
        topic=payload.topic,
        subject=payload.subject,
        body=payload.body,
    )
    return Status(201, _advice_out(asked))


@router.get("/services/advice/{request_id}", response=AdviceOut)
def advice_detail(request: HttpRequest, request_id: int) -> dict[str, Any]:
    return _advice_out(queries.access_advice(_user(request), request_id))


@router.post("/services/advice/{request_id}/messages", response={201: AdviceOut})
def advice_reply(
    request: HttpRequest, request_id: int, payload: MessageIn
) -> Status[dict[str, Any]]:
    user = _user(request)
    item = queries.access_advice(user, request_id)
    advice.reply_advice(actor=user, request=item, body=payload.body)
    return Status(201, _advice_out(queries.access_advice(user, request_id)))
