"""Write path for order forms (issue 4, item 3; DESIGN.md §2 "order form", §3 the money loop).

The member writes the form, sends it; the client answers by link (confirm, ask for changes, refuse
with a reason); an adviser validates it where the entity requires it; a confirmed (and validated)
form is invoiced and hands off to the contracts module. The state machine is drawn in models.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.utils import translation
from django.utils.translation import gettext as _

from mutua.activities.models import Activity
from mutua.clients.models import Client
from mutua.core import audit, clock
from mutua.core.audit import action
from mutua.core.errors import AccessDenied, DomainError, InvalidInput, RuleViolation, StateConflict
from mutua.core.inputs import ORDER_FORM_DATES, check_date_range
from mutua.core.money import checked_cents
from mutua.core.permissions import Role
from mutua.countries.registry import vat_rules_for
from mutua.engagements import notifications
from mutua.engagements.handoff import ContractRequester, contract_requester
from mutua.engagements.links import make_token, order_form_for_token
from mutua.engagements.models import OrderForm, OrderFormStatus
from mutua.engagements.pricing import amount_for_wanted_net
from mutua.invoicing.access import may_invoice_for
from mutua.invoicing.actions import LineInput, create_draft_invoice, issue_invoice
from mutua.members.queries import has_role

CENT = Decimal("0.01")
MAX_DAYS = Decimal("366")
FORM_FIELDS = (
    "client_id",
    "description",
    "place",
    "start_date",
    "end_date",
    "working_days",
    "amount_excl_vat",
    "reinvoiced_expenses",
    "vat_rate_name",
    "wanted_net",
)
S = OrderFormStatus


@dataclass(frozen=True)
class OrderFormInput:
    """What the member describes. Leave `amount_excl_vat` empty and give `wanted_net` to have
    the amount computed by the salary simulator."""

    client: Client
    description: str
    start_date: dt.date
    end_date: dt.date
    working_days: Decimal
    amount_excl_vat: Decimal | None = None
    reinvoiced_expenses: Decimal = Decimal("0")
    place: str = ""
    vat_rate_name: str = "standard"
    wanted_net: Decimal | None = None


# --- the member writes and sends ------------------------------------------------------------------
@action("order_form.create")
def create_order_form(*, actor: Any, activity: Activity, data: OrderFormInput) -> OrderForm:
    """A draft order form; only members who may invoice for the activity write one."""
    _check_may_invoice(actor, activity)
    order_form = OrderForm(entity=activity.entity, activity=activity, created_by=actor)
    _apply(order_form, data)
    order_form.save()
    audit.record(
        actor=actor,
        action="order_form.create",
        subject=order_form,
        entity_id=order_form.entity_id,
        after=audit.snapshot(order_form, FORM_FIELDS),
    )
    return order_form


@action("order_form.update")
def update_order_form(*, actor: Any, order_form: OrderForm, data: OrderFormInput) -> OrderForm:
    """Change a draft, or a form the client sent back for changes; never one the client holds."""
    order_form = _locked(order_form)
    _check_may_invoice(actor, order_form.activity)
    if not order_form.is_editable:
        raise StateConflict(
            f"order form {order_form.reference} is {order_form.get_status_display()}: "
            "it can no longer be changed"
        )
    before = audit.snapshot(order_form, FORM_FIELDS)
    _apply(order_form, data)
    order_form.save()
    audit.record(
        actor=actor,
        action="order_form.update",
        subject=order_form,
        entity_id=order_form.entity_id,
        before=before,
        after=audit.snapshot(order_form, FORM_FIELDS),
    )
    return order_form


def _apply(order_form: OrderForm, data: OrderFormInput) -> None:
    """Check the input against the rules and copy it onto the form."""
    entity = order_form.activity.entity
    client = data.client
    if client.entity_id != entity.pk:
        raise InvalidInput("the client belongs to another entity", field="client")
    if getattr(client, "blocked", False):
        raise RuleViolation("this client is blocked: ask your adviser", field="client")
    if not data.description.strip():
        raise InvalidInput("describe the work", field="description")
    _check_dates_and_days(data)
    expenses = _cents(data.reinvoiced_expenses, "reinvoiced_expenses", allow_zero=True)
    if data.vat_rate_name not in {r.name for r in vat_rules_for(entity.country).rates}:
        raise InvalidInput(f"unknown VAT rate {data.vat_rate_name!r}", field="vat_rate_name")
    wanted_net = None
    if data.wanted_net is not None:
        wanted_net = _cents(data.wanted_net, "wanted_net")
        amount = amount_for_wanted_net(
            order_form.activity, wanted_net, expenses=expenses, on=data.start_date
        )
    elif data.amount_excl_vat is None:
        raise InvalidInput(
            "give the amount excl. VAT or the net pay wanted", field="amount_excl_vat"
        )
    else:
        amount = _cents(data.amount_excl_vat, "amount_excl_vat")
    order_form.client = client
    order_form.description = data.description.strip()
    order_form.place = data.place.strip()
    order_form.start_date, order_form.end_date = data.start_date, data.end_date
    order_form.working_days = data.working_days
    order_form.amount_excl_vat, order_form.reinvoiced_expenses = amount, expenses
    order_form.vat_rate_name, order_form.wanted_net = data.vat_rate_name, wanted_net


def _check_dates_and_days(data: OrderFormInput) -> None:
    # The order form's window (a year back, two ahead, a year long at most), before anything
    # else: a form dated 0001-01-01..9999-12-31 would be sent and confirmed, then never invoice.
    check_date_range(data.start_date, data.end_date, window=ORDER_FORM_DATES)
    days = data.working_days
    if not isinstance(days, Decimal) or not days.is_finite() or days <= 0:
        raise InvalidInput("working days must be more than zero", field="working_days")
    if days > MAX_DAYS or days != days.quantize(CENT):
        raise InvalidInput("give the working days as a number like 3 or 2.5", field="working_days")
    calendar_days = (data.end_date - data.start_date).days + 1
    if days > calendar_days:
        raise InvalidInput(
            f"{days} working days do not fit in {calendar_days} calendar day(s)",
            field="working_days",
        )


def _cents(value: Decimal, field: str, *, allow_zero: bool = False) -> Decimal:
    return checked_cents(value, field=field, allow_zero=allow_zero)


@action("order_form.send")
def send_order_form(*, actor: Any, order_form: OrderForm, site_url: str) -> str:
    """Send the form to the client; returns the link. Each send gets a new link version, so a
    link to an earlier version stops working. The mail leaves only after the commit."""
    order_form = _locked(order_form)
    _check_may_invoice(actor, order_form.activity)
    if not order_form.is_editable:
        raise StateConflict(f"order form {order_form.reference} is already with the client")
    recipient = getattr(order_form.client, "email", "") or ""
    if not recipient:
        raise InvalidInput("add the client's e-mail address first", field="client")
    order_form.status = S.SENT
    order_form.link_version += 1
    order_form.sent_at = clock.now()
    _clear_response(order_form)
    order_form.save()
    link = client_link(order_form, site_url)
    audit.record(
        actor=actor,
        action="order_form.send",
        subject=order_form,
        entity_id=order_form.entity_id,
        after={"to": recipient, "link_version": order_form.link_version},
    )
    notifications.send_to_client_after_commit(order_form, link)
    return link


def client_link(order_form: OrderForm, site_url: str) -> str:
    from django.urls import reverse

    path = reverse("engagements:confirm", args=[make_token(order_form)])
    return site_url.rstrip("/") + path


def _clear_response(order_form: OrderForm) -> None:
    order_form.responded_at = order_form.response_ip = None
    order_form.response_user_agent = order_form.refusal_reason = order_form.change_request = ""


@action("order_form.cancel")
def cancel_order_form(*, actor: Any, order_form: OrderForm) -> OrderForm:
    """Withdraw a form the client has not confirmed; its link then says so."""
    order_form = _locked(order_form)
    _check_may_invoice(actor, order_form.activity)
    if not order_form.is_cancellable:
        raise StateConflict(f"order form {order_form.reference} can no longer be cancelled")
    before = order_form.status
    order_form.status = S.CANCELLED
    order_form.save()
    _record_status(actor, order_form, before)
    return order_form


# --- the client answers by link -----------------------------------------------------------------
@dataclass(frozen=True)
class Visitor:
    """Where a client's answer came from, recorded with it."""

    ip: str | None
    user_agent: str

    def __str__(self) -> str:
        return f"client by link from {self.ip or 'unknown address'}"


@action("order_form.client_confirm")
def confirm_order_form_by_client(
    *, token: str, ip: str | None, user_agent: str, contracts: ContractRequester | None = None
) -> OrderForm:
    """The client agrees. Without adviser validation, the form is invoiced at once; if that
    fails (e.g. a closed period) the confirmation still stands and staff retry from the queue."""
    order_form, visitor = _answering(token, ip, user_agent)
    order_form.status = S.CONFIRMED
    _record_response(order_form, visitor, "order_form.client_confirm")
    if not order_form.entity.order_forms_need_validation:
        _try_invoice(order_form.created_by, order_form, contracts)
    notifications.tell_member_after_commit(order_form)
    return order_form


@action("order_form.client_request_changes")
def request_changes_by_client(
    *, token: str, message: str, ip: str | None, user_agent: str
) -> OrderForm:
    """The client asks for changes; the member edits the form and sends it again."""
    if not message.strip():
        raise InvalidInput("say what should change", field="message")
    order_form, visitor = _answering(token, ip, user_agent)
    order_form.status = S.CHANGES_REQUESTED
    order_form.change_request = message.strip()
    _record_response(order_form, visitor, "order_form.client_request_changes")
    notifications.tell_member_after_commit(order_form)
    return order_form


@action("order_form.client_refuse")
def refuse_order_form_by_client(
    *, token: str, reason: str, ip: str | None, user_agent: str
) -> OrderForm:
    """The client refuses; a reason is required so the member knows what went wrong."""
    if not reason.strip():
        raise InvalidInput("give a reason for refusing", field="reason")
    order_form, visitor = _answering(token, ip, user_agent)
    order_form.status = S.REFUSED
    order_form.refusal_reason = reason.strip()
    _record_response(order_form, visitor, "order_form.client_refuse")
    notifications.tell_member_after_commit(order_form)
    return order_form


def _answering(token: str, ip: str | None, user_agent: str) -> tuple[OrderForm, Visitor]:
    """The form behind a valid link, locked, provided it still waits for the client's answer."""
    order_form = order_form_for_token(token, for_update=True)
    if order_form.status != S.SENT:
        raise StateConflict(already_answered(order_form))
    return order_form, Visitor(ip or None, (user_agent or "")[:300])


def already_answered(order_form: OrderForm) -> str:
    if order_form.status in (S.CONFIRMED, S.VALIDATED, S.INVOICED):
        when = order_form.responded_at.date().isoformat() if order_form.responded_at else ""
        return f"this order form was already confirmed on {when}"
    if order_form.status == S.CANCELLED:
        return "this order form was withdrawn"
    return f"this order form is {order_form.status}: there is nothing to answer"


def _record_response(order_form: OrderForm, visitor: Visitor, name: str) -> None:
    order_form.responded_at = clock.now()
    order_form.response_ip, order_form.response_user_agent = visitor.ip, visitor.user_agent
    order_form.save()
    audit.record(
        actor=visitor,
        action=name,
        subject=order_form,
        entity_id=order_form.entity_id,
        after={
            "status": order_form.status,
            "link_version": order_form.link_version,
            "user_agent": visitor.user_agent,
            "reason": order_form.refusal_reason or order_form.change_request,
        },
        ip_address=visitor.ip,
    )


# --- the adviser validates; the form is invoiced ----------------------------------------------
@action("order_form.validate")
def validate_order_form(
    *, actor: Any, order_form: OrderForm, contracts: ContractRequester | None = None
) -> OrderForm:
    """An adviser of the entity approves a confirmed form (where the entity requires it), then
    it is invoiced. Nobody validates a form they wrote or an activity they take part in."""
    order_form = _locked(order_form)
    if not has_role(actor, [Role.ADVISER], order_form.entity):
        raise AccessDenied("only an adviser of the entity validates order forms")
    if (
        actor.pk == order_form.created_by_id
        or order_form.activity.participants.filter(person__user=actor).exists()
    ):
        raise RuleViolation("nobody validates their own order form: ask another adviser")
    if order_form.status != S.CONFIRMED:
        raise StateConflict(f"order form {order_form.reference} is not waiting for validation")
    order_form.status = S.VALIDATED
    order_form.validated_by, order_form.validated_at = actor, clock.now()
    order_form.save()
    _record_status(actor, order_form, S.CONFIRMED)
    _try_invoice(actor, order_form, contracts)
    return order_form


@action("order_form.invoice")
def invoice_order_form(
    *,
    actor: Any,
    order_form: OrderForm,
    on: dt.date | None = None,
    contracts: ContractRequester | None = None,
) -> OrderForm:
    """Create and issue the invoice of a confirmed (and, where required, validated) form, then
    ask the contracts module for the work contract(s). One invoice per form, ever."""
    order_form = _locked(order_form)
    before = order_form.status
    if before not in ready_states(order_form):
        raise StateConflict(f"order form {order_form.reference} is not ready to invoice")
    invoice = create_draft_invoice(
        actor=actor,
        activity=order_form.activity,
        client=order_form.client,
        lines=invoice_lines(order_form),
    )
    order_form.invoice = issue_invoice(actor=actor, invoice=invoice, on=on)
    (contracts or contract_requester()).request_contracts(order_form)
    order_form.status, order_form.invoicing_error = S.INVOICED, ""
    order_form.save()
    _record_status(actor, order_form, before, invoice=order_form.invoice.pk)
    return order_form


def ready_states(order_form: OrderForm) -> tuple[str, ...]:
    if order_form.entity.order_forms_need_validation:
        return (S.VALIDATED,)
    return (S.CONFIRMED, S.VALIDATED)


def invoice_lines(order_form: OrderForm) -> list[LineInput]:
    """The work, then the re-invoiced expenses (same VAT rate: they follow the main supply)."""
    language = getattr(order_form.client, "language", "") or order_form.entity.language_list[0]
    with translation.override(language):
        work = _("%(description)s: %(days)s working day(s), %(start)s to %(end)s") % {
            "description": order_form.description,
            "days": f"{order_form.working_days.normalize():f}",
            "start": order_form.start_date.isoformat(),
            "end": order_form.end_date.isoformat(),
        }
        expenses = _("Expenses re-invoiced (order form %(ref)s)") % {"ref": order_form.reference}
    lines = [
        LineInput(work[:500], Decimal("1"), order_form.amount_excl_vat, order_form.vat_rate_name)
    ]
    if order_form.reinvoiced_expenses > 0:
        lines.append(
            LineInput(
                expenses, Decimal("1"), order_form.reinvoiced_expenses, order_form.vat_rate_name
            )
        )
    return lines


def _try_invoice(actor: Any, order_form: OrderForm, contracts: ContractRequester | None) -> None:
    """Invoice in a savepoint: a failure keeps the confirmation and says why on the form."""
    try:
        invoice_order_form(actor=actor, order_form=order_form, contracts=contracts)
    except (DomainError, ObjectDoesNotExist) as exc:
        message = getattr(exc, "message", "") or str(exc) or exc.__class__.__name__
        OrderForm.objects.filter(pk=order_form.pk).update(invoicing_error=message[:300])
        order_form.invoicing_error = message[:300]
    else:
        order_form.refresh_from_db()


# --- helpers ------------------------------------------------------------------------------------
def _locked(order_form: OrderForm) -> OrderForm:
    return (
        OrderForm.objects.select_for_update(of=("self",))
        .select_related("entity", "activity", "client", "created_by")
        .get(pk=order_form.pk)
    )


def _check_may_invoice(actor: Any, activity: Activity) -> None:
    if not may_invoice_for(actor, activity):
        raise AccessDenied("you may not write order forms for this activity")


def _record_status(actor: Any, order_form: OrderForm, before: str, **extra: Any) -> None:
    audit.record(
        actor=actor,
        action=f"order_form.{order_form.status}",
        subject=order_form,
        entity_id=order_form.entity_id,
        before={"status": before},
        after={"status": order_form.status, **extra},
    )
