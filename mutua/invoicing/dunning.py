"""Dunning: reminders at the entity's delays after the due date, in the client's language.

Stages: 1 = first reminder, 2 = second reminder, 3 = formal notice (the entity's
`dunning_delays`, e.g. 7, 21 and 35 days after the due date). A paid, cancelled or disputed invoice
gets no reminder. Each (invoice, stage) is recorded once, so running the job twice on the same day,
or after a crash, sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from mutua.core import audit, clock
from mutua.core.audit import action
from mutua.core.errors import InvalidInput, StateConflict
from mutua.entities.models import Entity
from mutua.fund.models import WriteOff
from mutua.invoicing.access import may_invoice_for
from mutua.invoicing.models import DunningReminder, Invoice, InvoiceKind
from mutua.invoicing.queries import OPEN_STATUSES, amount_due


def overdue_invoices(entity: Entity, on: dt.date) -> QuerySet[Invoice]:
    """Open invoices past their due date; a debt written off (mutua.fund) is chased no more."""
    return (
        Invoice.objects.filter(
            entity=entity, kind=InvoiceKind.INVOICE, status__in=OPEN_STATUSES, due_date__lt=on
        )
        .exclude(Exists(WriteOff.objects.filter(invoice=OuterRef("pk"))))
        .select_related("client", "activity")
    )


def dunning_ended(invoice: Invoice) -> bool:
    """The last reminder stage (the formal notice) was sent: staff may write the debt off."""
    return invoice.dunning_stage >= len(invoice.entity.dunning_days)


def due_for_stage(entity: Entity, on: dt.date, stage: int, days: int) -> QuerySet[Invoice]:
    """Open, undisputed invoices that reached `stage` (1-based) on `on` and did not get it yet."""
    return overdue_invoices(entity, on).filter(
        dunning_stage=stage - 1, disputed_at__isnull=True, due_date__lte=on - dt.timedelta(days)
    )


@dataclass(frozen=True)
class DunningRun:
    reminders: dict[int, int]  # stage -> count sent

    @property
    def total(self) -> int:
        return sum(self.reminders.values())


@action("invoice.run_dunning")
def run_dunning(
    *, entity: Entity, on: dt.date | None = None, acting_user: Any = None
) -> DunningRun:
    """Send every reminder that is due, set-based per stage; safe to re-run."""
    on = on or clock.today()
    sent: dict[int, int] = {}
    # Highest stage first, so one run moves an invoice by one stage at most.
    for stage, days in reversed(list(enumerate(entity.dunning_days, start=1))):
        invoices = list(due_for_stage(entity, on, stage, days).select_for_update())
        DunningReminder.objects.bulk_create(
            [
                DunningReminder(
                    invoice=i, stage=stage, sent_on=on, language=i.language, email=i.client.email
                )
                for i in invoices
            ]
        )
        Invoice.objects.filter(pk__in=[i.pk for i in invoices]).update(dunning_stage=stage)
        for invoice in invoices:
            transaction.on_commit(lambda i=invoice, s=stage: _mail_reminder(i, s))  # type: ignore[misc]
        sent[stage] = len(invoices)
    audit.record(
        actor=acting_user,
        action="invoice.run_dunning",
        entity_id=entity.pk,
        after={"on": on, "reminders": sent},
    )
    return DunningRun(sent)


def _mail_reminder(invoice: Invoice, stage: int) -> None:
    if not invoice.client.email:
        return  # recorded for staff, who follow up by post or phone
    with translation.override(invoice.language):
        titles = {
            1: _("Reminder: invoice %(number)s"),
            2: _("Second reminder: invoice %(number)s"),
            3: _("Formal notice: invoice %(number)s"),
        }
        subject = titles.get(stage, titles[3]) % {"number": invoice.number}
        body = _(
            "Invoice %(number)s was due on %(due)s: %(amount)s %(currency)s is still to be paid. "
            "Please pay it with the reference %(reference)s."
        ) % {
            "number": invoice.number,
            "amount": amount_due(invoice),
            "currency": invoice.currency,
            "due": invoice.due_date,
            "reference": invoice.payment_reference,
        }
    send_mail(subject, body, None, [invoice.client.email])


@action("invoice.dispute")
def dispute_invoice(*, actor: Any, invoice: Invoice, reason: str) -> Invoice:
    """The client contests the invoice: reminders stop until the dispute is resolved."""
    if not may_invoice_for(actor, invoice.activity):
        raise InvalidInput("you may not change this invoice")
    if not reason.strip():
        raise InvalidInput("describe the dispute", field="reason")
    if invoice.disputed_at is not None:
        raise StateConflict("this invoice is already disputed")
    invoice.disputed_at, invoice.dispute_reason = clock.now(), reason.strip()
    invoice.save(update_fields=["disputed_at", "dispute_reason"])
    audit.record(
        actor=actor,
        action="invoice.dispute",
        subject=invoice,
        entity_id=invoice.entity_id,
        after={"reason": invoice.dispute_reason},
    )
    return invoice


@action("invoice.resolve_dispute")
def resolve_dispute(*, actor: Any, invoice: Invoice) -> Invoice:
    if not may_invoice_for(actor, invoice.activity):
        raise InvalidInput("you may not change this invoice")
    if invoice.disputed_at is None:
        raise StateConflict("this invoice is not disputed")
    before = {"reason": invoice.dispute_reason}
    invoice.disputed_at, invoice.dispute_reason = None, ""
    invoice.save(update_fields=["disputed_at", "dispute_reason"])
    audit.record(
        actor=actor,
        action="invoice.resolve_dispute",
        subject=invoice,
        entity_id=invoice.entity_id,
        before=before,
    )
    return invoice
