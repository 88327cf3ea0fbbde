"""Loans to activities: investment loans (interest and a file fee, from the entity's dated
terms) and interest-free bridge loans, with their repayment schedule drawn from the budget.

Disbursement: Dr activity_loans / Cr activity_budget, both on the activity's dimension, so the
activity's budget grows by the principal and the ledger shows what it still owes. Each instalment:
Dr activity_budget (activity) / Cr activity_loans (activity) for the capital and Cr
interest_income for the interest, once per instalment (idempotency key), by `collect_instalments`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from mutua.activities.models import Activity
from mutua.core import audit, clock
from mutua.core.audit import action
from mutua.core.errors import AccessDenied, InvalidInput, StateConflict
from mutua.core.money import checked_cents
from mutua.entities.models import Entity
from mutua.ledger.actions import post_entries_bulk, post_entry
from mutua.ledger.drafts import EntryDraft, LineDraft
from mutua.ledger.models import Account, Balance, Entry, JournalKind
from mutua.ledger.queries import journal_for, posting_account
from mutua.members.queries import staff_entities
from mutua.services.charges import charge_activity
from mutua.services.models import (
    Instalment,
    Loan,
    LoanKind,
    LoanStatus,
    LoanTerms,
    RepaymentMethod,
)
from mutua.services.queries import LOAN_STAFF, MANAGING_ROLES
from mutua.services.schedule import ScheduledInstalment, add_months, repayment_schedule

CENT = Decimal("0.01")
BRIDGE_MAX_MONTHS = 24


def terms_on(entity: Entity, on: dt.date) -> LoanTerms | None:
    return (
        LoanTerms.objects.filter(entity=entity, valid_from__lte=on).order_by("-valid_from").first()
    )


@action("services.set_loan_terms")
def set_loan_terms(
    *,
    actor: Any,
    entity: Entity,
    valid_from: dt.date,
    investment_rate: Decimal,
    file_fee_rate: Decimal,
    max_months: int = 60,
) -> LoanTerms:
    _require_loan_staff(actor, entity.pk)
    if not (0 <= investment_rate < 1 and 0 <= file_fee_rate < 1):
        raise InvalidInput(_("Rates are fractions between 0 and 1 (3 % is 0.03)."))
    terms, _created = LoanTerms.objects.update_or_create(
        entity=entity,
        valid_from=valid_from,
        defaults={
            "investment_rate": investment_rate,
            "file_fee_rate": file_fee_rate,
            "max_months": max_months,
        },
    )
    audit.record(
        actor=actor,
        action="services.set_loan_terms",
        subject=terms,
        entity_id=entity.pk,
        after={"rate": investment_rate, "file_fee_rate": file_fee_rate, "from": valid_from},
    )
    return terms


def offer(
    entity: Entity, kind: str, principal: Decimal, on: dt.date
) -> tuple[Decimal, Decimal, int]:
    """(yearly rate, file fee, longest term) the entity offers for such a loan on `on`."""
    if kind == LoanKind.BRIDGE:
        return Decimal("0"), Decimal("0"), BRIDGE_MAX_MONTHS
    terms = terms_on(entity, on)
    if terms is None:
        raise StateConflict(_("This entity does not offer investment loans yet."))
    fee = (principal * terms.file_fee_rate).quantize(CENT, rounding=ROUND_HALF_UP)
    return terms.investment_rate, fee, terms.max_months


@action("services.request_loan")
def request_loan(
    *,
    actor: Any,
    activity: Activity,
    kind: str,
    principal: Decimal,
    months: int,
    method: str,
    purpose: str,
    now: dt.datetime | None = None,
) -> Loan:
    """A manager of the activity asks for a loan at the entity's current terms."""
    now = now or clock.now()
    if not activity.participants.filter(person__user=actor, role__in=MANAGING_ROLES).exists():
        raise AccessDenied(_("Only a manager of the activity may ask for a loan."))
    if kind not in LoanKind.values:
        raise InvalidInput(_("Choose the kind of loan."), field="kind")
    if method not in RepaymentMethod.values:
        raise InvalidInput(_("Choose how the loan is repaid."), field="method")
    principal = checked_cents(principal, field="principal", allow_zero=False)
    if not purpose.strip():
        raise InvalidInput(_("Say what the loan is for."), field="purpose")
    rate, fee, longest = offer(activity.entity, kind, principal, timezone.localdate(now))
    if not 1 <= months <= longest:
        raise InvalidInput(
            _("The term is between 1 and %(months)d months.") % {"months": longest}, field="months"
        )
    loan = Loan.objects.create(
        entity=activity.entity,
        activity=activity,
        kind=kind,
        principal=principal,
        months=months,
        method=method,
        purpose=purpose.strip(),
        annual_rate=rate,
        file_fee=fee,
        requested_by=actor,
    )
    audit.record(
        actor=actor,
        action="services.request_loan",
        subject=loan,
        entity_id=loan.entity_id,
        after={"kind": kind, "principal": principal, "months": months, "rate": rate, "fee": fee},
    )
    return loan


def schedule_of(loan: Loan, disbursed_on: dt.date) -> list[ScheduledInstalment]:
    """Monthly instalments due from the first day of the month after the disbursement."""
    first_due = add_months(disbursed_on.replace(day=1), 1)
    return repayment_schedule(
        principal=loan.principal,
        annual_rate=loan.annual_rate,
        months=loan.months,
        method=loan.method,
        first_due=first_due,
    )


@action("services.refuse_loan")
def refuse_loan(*, actor: Any, loan: Loan, reason: str) -> Loan:
    _require_loan_staff(actor, loan.entity_id)
    loan = _locked(loan, LoanStatus.REQUESTED)
    if not reason.strip():
        raise InvalidInput(_("Give the reason for the refusal."), field="reason")
    loan.status = LoanStatus.REFUSED
    loan.refusal_reason = reason.strip()
    loan.decided_by, loan.decided_at = actor, clock.now()
    loan.save(update_fields=["status", "refusal_reason", "decided_by", "decided_at"])
    audit.record(actor=actor, action="services.refuse_loan", subject=loan, entity_id=loan.entity_id)
    return loan


@action("services.disburse_loan")
def disburse_loan(*, actor: Any, loan: Loan, on: dt.date | None = None) -> Loan:
    """Lend: the principal goes to the activity's budget, the file fee is charged to it, and
    the schedule is fixed. Staff only; nobody grants a loan to an activity they manage."""
    on = on or clock.today()
    _require_loan_staff(actor, loan.entity_id)
    loan = _locked(loan, LoanStatus.REQUESTED)
    if loan.activity.participants.filter(person__user=actor).exists():
        raise AccessDenied(_("You take part in this activity: another colleague decides."))
    entity = loan.entity
    loan.disbursement_entry_id = post_entry(
        _disbursement(loan, on), acting_user=actor, idempotency_key=f"services:loan:{loan.pk}"
    ).pk
    loan.fee_entry_id = charge_activity(
        actor=actor,
        activity=loan.activity,
        amount=loan.file_fee,
        label=f"Loan file fee ({loan.activity.number})",
        key=f"services:loan-fee:{loan.pk}",
        on=on,
    )
    Instalment.objects.bulk_create(
        Instalment(
            loan=loan,
            number=i.number,
            due_date=i.due_date,
            principal=i.principal,
            interest=i.interest,
            amount=i.amount,
        )
        for i in schedule_of(loan, on)
    )
    loan.status = LoanStatus.DISBURSED
    loan.disbursed_on, loan.decided_by, loan.decided_at = on, actor, clock.now()
    loan.save()
    audit.record(
        actor=actor,
        action="services.disburse_loan",
        subject=loan,
        entity_id=entity.pk,
        after={"principal": loan.principal, "fee": loan.file_fee, "on": on},
    )
    return loan


def _disbursement(loan: Loan, on: dt.date) -> EntryDraft:
    entity = loan.entity
    return EntryDraft(
        entity_id=entity.pk,
        journal=journal_for(entity, JournalKind.MISCELLANEOUS).code,
        date=on,
        label=f"Loan to activity {loan.activity.number}",
        lines=(
            LineDraft(
                posting_account(entity, "activity_loans").code,
                debit=loan.principal,
                activity_id=loan.activity_id,
            ),
            LineDraft(
                posting_account(entity, "activity_budget").code,
                credit=loan.principal,
                activity_id=loan.activity_id,
            ),
        ),
    )


def _locked(loan: Loan, status: str) -> Loan:
    locked = (
        Loan.objects.select_for_update(of=("self",))
        .select_related("entity", "activity")
        .get(pk=loan.pk)
    )
    if locked.status != status:
        raise StateConflict(_("This loan is %(status)s.") % {"status": locked.get_status_display()})
    return locked


def _require_loan_staff(actor: Any, entity_id: int) -> None:
    if not staff_entities(actor, LOAN_STAFF).filter(pk=entity_id).exists():
        raise AccessDenied(
            _("Only the entity's advisers, accountants and administrators decide loans.")
        )


# --- collection ---------------------------------------------------------------------------


@dataclass
class Collection:
    collected: int = 0
    amount: Decimal = Decimal("0")
    short: list[int] = field(default_factory=list)  # instalments the budget could not pay yet

    def as_dict(self) -> dict[str, Any]:
        amount = self.amount.quantize(CENT)
        return {"collected": self.collected, "amount": str(amount), "short": self.short}


@action("services.collect_instalments")
def collect_instalments(*, entity: Entity, on: dt.date, acting_user: Any = None) -> Collection:
    """Draw every instalment due by `on` from its activity's budget, oldest first. Safe to run
    again: a paid instalment is never drawn twice (locked rows, one ledger key per instalment);
    one the budget cannot pay stays due and is tried at the next run."""
    due = list(
        Instalment.objects.select_for_update(of=("self",))
        .filter(loan__entity=entity, loan__status=LoanStatus.DISBURSED, entry_id__isnull=True)
        .filter(due_date__lte=on)
        .select_related("loan")
        .order_by("due_date", "loan_id", "number")
    )
    activity_ids = sorted({i.loan.activity_id for i in due})
    list(Activity.objects.select_for_update().filter(pk__in=activity_ids))  # budgets held still
    budgets = budgets_of(entity, activity_ids)
    result, payable = Collection(), []
    for instalment in due:
        if budgets[instalment.loan.activity_id] < instalment.amount:
            result.short.append(instalment.pk)
            continue
        budgets[instalment.loan.activity_id] -= instalment.amount
        payable.append(instalment)
    _post_instalments(entity, payable, on, acting_user)
    result.collected = len(payable)
    result.amount = sum((i.amount for i in payable), Decimal("0"))
    _close_repaid(entity)
    audit.record(
        actor=acting_user,
        action="services.collect_instalments",
        entity_id=entity.pk,
        after={**result.as_dict(), "on": on},
    )
    return result


def budgets_of(entity: Entity, activity_ids: list[int]) -> dict[int, Decimal]:
    """Available budgets of many activities in one query (ledger.queries.activity_balance)."""
    budget_accounts = Account.objects.filter(entity=entity, counts_in_budget=True)
    rows = (
        Balance.objects.filter(
            dimension="activity", dimension_id__in=activity_ids, account__in=budget_accounts
        )
        .values("dimension_id")
        .annotate(d=Sum("debit"), c=Sum("credit"))
    )
    found: dict[int, Decimal] = defaultdict(Decimal)
    for row in rows:
        found[row["dimension_id"]] = (_dec(row["c"]) - _dec(row["d"])).quantize(CENT)
    return found


def _dec(value: Decimal | None) -> Decimal:
    return value if value is not None else Decimal("0")


def _post_instalments(
    entity: Entity, payable: list[Instalment], on: dt.date, acting_user: Any
) -> None:
    if not payable:
        return
    journal = journal_for(entity, JournalKind.MISCELLANEOUS).code
    codes = {e: posting_account(entity, e).code for e in ("activity_budget", "activity_loans")}
    interest_code = posting_account(entity, "interest_income").code
    drafts = [_instalment_draft(entity, i, on, journal, codes, interest_code) for i in payable]
    keys = [f"services:instalment:{i.pk}" for i in payable]
    post_entries_bulk(drafts, acting_user=acting_user, idempotency_keys=keys)
    entries = dict(
        Entry.objects.filter(entity=entity, idempotency_key__in=keys).values_list(
            "idempotency_key", "pk"
        )
    )
    for instalment, key in zip(payable, keys, strict=True):
        instalment.entry_id, instalment.paid_on = entries[key], on
    Instalment.objects.bulk_update(payable, ["entry_id", "paid_on"])


def _instalment_draft(
    entity: Entity,
    instalment: Instalment,
    on: dt.date,
    journal: str,
    codes: dict[str, str],
    interest_code: str,
) -> EntryDraft:
    activity_id = instalment.loan.activity_id
    lines = [
        LineDraft(codes["activity_budget"], debit=instalment.amount, activity_id=activity_id),
        LineDraft(codes["activity_loans"], credit=instalment.principal, activity_id=activity_id),
    ]
    if instalment.interest > 0:
        lines.append(LineDraft(interest_code, credit=instalment.interest))
    return EntryDraft(
        entity_id=entity.pk,
        journal=journal,
        date=on,
        label=f"Loan instalment {instalment.number}/{instalment.loan.months}",
        lines=tuple(lines),
    )


def _close_repaid(entity: Entity) -> None:
    unpaid = Instalment.objects.filter(loan=OuterRef("pk"), entry_id__isnull=True)
    Loan.objects.filter(entity=entity, status=LoanStatus.DISBURSED).filter(~Exists(unpaid)).update(
        status=LoanStatus.REPAID
    )
