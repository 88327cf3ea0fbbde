"""The refund of approved claims as payout items (mutua.banking pays them by SEPA transfer).

Registered from ExpensesConfig.ready for PayoutSource.EXPENSE: the collector returns unsaved
Payout rows for approved claims that have none yet, keyed `expense:<claim id>`; the payout's
unique key makes a second collection create nothing.

A refund "with the next pay" is the same payout item, due on the next pay date (the first day
of the month after approval) and saying so in its remittance, so the member sees it arrive with
their pay; a refund "by bank transfer" is due the day it is approved.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from mutua.banking.models import Payout, PayoutSource
from mutua.banking.payouts import payout_key
from mutua.entities.models import Entity
from mutua.expenses.models import Claim, ClaimStatus, RefundMode
from mutua.expenses.rules import next_pay_date


def collect_expense_refunds(entity: Entity) -> list[Payout]:
    paid = Payout.objects.filter(source=PayoutSource.EXPENSE, source_id=OuterRef("pk"))
    claims = (
        Claim.objects.filter(entity=entity, status=ClaimStatus.APPROVED, total__gt=0)
        .exclude(Exists(paid))
        .select_related("person")
        .order_by("decided_at", "pk")
    )
    return [_payout(entity, claim) for claim in claims]


def _payout(entity: Entity, claim: Claim) -> Payout:
    approved_on = claim.decided_at.date() if claim.decided_at else None
    assert approved_on is not None  # an approved claim has its decision date
    if claim.refund_mode == RefundMode.WITH_PAY:
        due = next_pay_date(approved_on)
        remittance = f"Expense refund {claim.reference} with your pay of {due:%Y-%m}"
    else:
        due = approved_on
        remittance = f"Expense refund {claim.reference}"
    return Payout(
        entity=entity,
        key=payout_key(PayoutSource.EXPENSE, claim.pk),
        source=PayoutSource.EXPENSE,
        source_id=claim.pk,
        person=claim.person,
        amount=claim.total,
        currency=claim.currency,
        remittance=remittance[:140],
        due_date=due,
    )
