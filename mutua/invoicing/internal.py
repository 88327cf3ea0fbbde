"""Internal charges between two activities of one entity (SMart: no invoice, no fee, no VAT)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from mutua.activities.models import Activity
from mutua.core import audit, clock
from mutua.core.audit import action, person_acting
from mutua.core.errors import AccessDenied, InvalidInput, RuleViolation
from mutua.entities.queries import take_number
from mutua.invoicing.access import may_invoice_for
from mutua.invoicing.models import InternalCharge
from mutua.ledger.actions import post_entry
from mutua.ledger.drafts import EntryDraft, LineDraft
from mutua.ledger.models import Journal, JournalKind
from mutua.ledger.queries import activity_balance, posting_account


@action("invoice.internal_charge")
def charge_activity(
    *,
    actor: Any,
    seller: Activity,
    buyer: Activity,
    description: str,
    amount: Decimal,
    on: dt.date | None = None,
) -> InternalCharge:
    """The buying activity's manager moves `amount` from its budget to the selling activity's.
    Refused across entities, to the same activity, above the buyer's available budget."""
    if not may_invoice_for(actor, buyer):
        raise AccessDenied("only a manager of the paying activity may charge it")
    if seller.entity_id != buyer.entity_id or seller.pk == buyer.pk:
        raise InvalidInput("choose another activity of the same entity", field="seller")
    if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput("give a positive amount in cents", field="amount")
    if not description.strip():
        raise InvalidInput("describe the work", field="description")
    if activity_balance(buyer) < amount:
        raise RuleViolation("the paying activity's budget is too small", field="amount")
    on = on or clock.today()
    entity = buyer.entity
    number = f"INT-{on.year}-{take_number(entity, 'internal', on.year):06d}"
    draft = EntryDraft(
        entity_id=entity.pk,
        journal=Journal.objects.get(entity=entity, kind=JournalKind.MISCELLANEOUS).code,
        date=on,
        label=f"Internal charge {number}: {description.strip()}"[:200],
        lines=(
            LineDraft(
                posting_account(entity, "purchases").code, debit=amount, activity_id=buyer.pk
            ),
            LineDraft(posting_account(entity, "sales").code, credit=amount, activity_id=seller.pk),
        ),
        piece_ref=number,
    )
    entry = post_entry(draft, acting_user=actor, idempotency_key=f"internal:{entity.pk}:{number}")
    charge = InternalCharge.objects.create(
        entity=entity,
        number=number,
        seller=seller,
        buyer=buyer,
        description=description.strip(),
        amount=amount,
        date=on,
        ledger_entry_id=entry.pk,
        created_by=person_acting(actor),
    )
    audit.record(
        actor=actor,
        action="invoice.internal_charge",
        subject=charge,
        entity_id=entity.pk,
        after={"number": number, "amount": amount, "seller": seller.pk, "buyer": buyer.pk},
    )
    return charge
