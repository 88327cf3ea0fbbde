"""Income smoothing: a member on a monthly contract chooses their monthly gross (or work
budget) from next month on (issue 6 item 5). Each choice is a dated amendment (MonthlyAmount);
payroll pays the amount in force for the month, and the forecast shows how long the activity's
budget pays it before the member confirms.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from typing import Any

from django.db.models import QuerySet

from mutua.activities.models import Activity
from mutua.contracts.actions import CONTRACT_STAFF, _situation, k_terms
from mutua.contracts.forecast import SmoothingForecast, add_months, smoothing_forecast
from mutua.contracts.models import AmountBasis, Contract, ContractKind, MonthlyAmount
from mutua.core import audit, clock
from mutua.core.audit import action, person_acting
from mutua.core.errors import InvalidAmount, NotFound, RuleViolation, StateConflict
from mutua.core.pay import CENT, EmployerProfile
from mutua.ledger.queries import activity_balance
from mutua.members.queries import has_role
from mutua.payroll.payslip import chain_for


# --- reads --------------------------------------------------------------------------------------
def amounts_in_force(contract_ids: list[int], month: dt.date) -> dict[int, Decimal]:
    """The work budget each contract pays in a month, for those with an amendment: one query
    (the rows come oldest first, so the latest starting on or before the month wins)."""
    rows = (
        MonthlyAmount.objects.filter(contract_id__in=contract_ids, valid_from__lte=month)
        .order_by("contract_id", "valid_from", "id")
        .values_list("contract_id", "work_budget")
    )
    return dict(rows)


def work_budget_in_force(contract: Contract, month: dt.date) -> Decimal:
    return amounts_in_force([contract.pk], month).get(contract.pk, contract.work_budget)


def monthly_contracts_of(activity: Activity, month: dt.date) -> QuerySet[Contract]:
    return Contract.objects.filter(
        activity=activity, kind=ContractKind.MONTHLY, status="active", start_date__lte=month
    ).exclude(end_date__lt=month)


def monthly_budgets(activity: Activity, month: dt.date) -> dict[int, Decimal]:
    """What each monthly contract of the activity pays in a month (amendments applied)."""
    contracts = dict(monthly_contracts_of(activity, month).values_list("id", "work_budget"))
    contracts.update(amounts_in_force(list(contracts), month))
    return contracts


def member_monthly_contracts(user: Any) -> QuerySet[Contract]:
    if not getattr(user, "is_authenticated", False):
        return Contract.objects.none()
    return (
        Contract.objects.filter(person__user=user, kind=ContractKind.MONTHLY, status="active")
        .select_related("activity", "entity")
        .order_by("start_date", "id")
    )


def access_own_monthly_contract(user: Any, contract_id: int) -> Contract:
    """The member's own monthly contract; anything else (another member's) is not found."""
    contract = member_monthly_contracts(user).filter(pk=contract_id).first()
    if contract is None:
        raise NotFound("no such contract")
    return contract


# --- the preview --------------------------------------------------------------------------------
@dataclass(frozen=True)
class AmountPreview:
    month: dt.date  # the first month paid with the new amount
    work_budget: Decimal
    gross: Decimal
    forecast: SmoothingForecast

    @property
    def pays_one_month(self) -> bool:
        return self.forecast.full_months >= 1


def next_month(today: dt.date) -> dt.date:
    return add_months(today.replace(day=1), 1)


def _checked_amount(amount: Decimal) -> Decimal:
    if not amount.is_finite() or amount <= 0:
        raise InvalidAmount("give a monthly amount above zero", field="amount")
    if amount != amount.quantize(CENT):
        raise InvalidAmount("give the amount in cents", field="amount")
    return amount


def preview_monthly_amount(
    contract: Contract, amount: Decimal, basis: str, today: dt.date | None = None
) -> AmountPreview:
    """What the amount means from next month: work budget, gross and the forecast of the
    activity's budget with it (the activity's other monthly contracts included). No writes."""
    if basis not in AmountBasis.values:
        raise InvalidAmount("choose a gross or a work budget", field="basis")
    amount = _checked_amount(amount)
    month = next_month(today or clock.today())
    if contract.end_date is not None and contract.end_date < month:
        raise StateConflict(f"{contract.reference} ends before {month:%Y-%m}")
    situation = _situation(contract.person, contract.worker, contract.category)
    chain = chain_for(
        contract.entity.country, month, situation, EmployerProfile(), k_terms(contract.entity)
    )
    if basis == AmountBasis.GROSS:
        # The least budget in cents that pays this gross (W / k rounded down gives it back).
        budget = chain.budget_for_gross(amount).quantize(CENT, rounding=ROUND_CEILING)
    else:
        budget = amount
    budgets = monthly_budgets(contract.activity, month)
    budgets[contract.pk] = budget
    forecast = smoothing_forecast(
        budget=activity_balance(contract.activity),
        monthly_work_budgets=list(budgets.values()),
        next_month=month,
    )
    assert forecast is not None  # the contract itself costs more than zero
    return AmountPreview(month, budget, chain.gross_for_budget(budget), forecast)


# --- the action ---------------------------------------------------------------------------------
@action("contract.choose_monthly_amount")
def choose_monthly_amount(
    *,
    acting_user: Any,
    contract: Contract,
    amount: Decimal,
    basis: str = AmountBasis.GROSS,
    today: dt.date | None = None,
) -> MonthlyAmount:
    """The member (or staff for them) sets what their monthly contract pays from next month
    on; refused when the activity's budget cannot pay one month of it. Past months keep their
    amount: this adds a dated amendment and never edits one."""
    contract = (
        Contract.objects.select_for_update()
        .select_related("entity", "activity", "person")
        .get(pk=contract.pk)
    )
    own = getattr(acting_user, "pk", None) == contract.person.user_id
    if (
        acting_user is not None
        and not own
        and not has_role(acting_user, CONTRACT_STAFF, contract.entity)
    ):
        raise NotFound("no such contract")
    if contract.kind != ContractKind.MONTHLY or contract.status != "active":
        raise StateConflict(f"{contract.reference} is not an active monthly contract")
    preview = preview_monthly_amount(contract, amount, basis, today)
    if not preview.pays_one_month:
        raise RuleViolation(
            f"the activity's budget cannot pay one month of {preview.work_budget:.2f} "
            f"(with its other monthly contracts): choose less or invoice first",
            field="amount",
        )
    before = work_budget_in_force(contract, preview.month)
    row = MonthlyAmount.objects.create(
        contract=contract,
        valid_from=preview.month,
        basis=basis,
        chosen=amount,
        work_budget=preview.work_budget,
        gross=preview.gross,
        created_by=person_acting(acting_user),
    )
    audit.record(
        actor=acting_user,
        action="contract.choose_monthly_amount",
        subject=contract,
        entity_id=contract.entity_id,
        before={"work_budget": before},
        after={
            "from": preview.month,
            "basis": basis,
            "chosen": amount,
            "work_budget": preview.work_budget,
            "months_paid": preview.forecast.full_months,
        },
    )
    return row
