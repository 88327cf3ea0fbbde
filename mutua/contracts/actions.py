"""Contract actions: make the contracts of a confirmed order form, monthly contracts, their
declarations (prepare, send, answer, cancel). The only write path of the contracts app."""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import transaction

from mutua.activities.models import Activity
from mutua.contracts import rules
from mutua.contracts.declarations import PAYLOADS, declaration_sender
from mutua.contracts.models import (
    Contract,
    ContractKind,
    Declaration,
    DeclarationAction,
    DeclarationStatus,
    EntityContractSettings,
    WorkerType,
)
from mutua.core import audit, clock
from mutua.core.audit import action, person_acting
from mutua.core.errors import AccessDenied, InvalidInput, RuleViolation, StateConflict
from mutua.core.pay import EmployerProfile
from mutua.core.permissions import Role
from mutua.engagements.models import ContractRequest, ContractRequestStatus, OrderForm
from mutua.entities.models import Entity
from mutua.members.models import Person
from mutua.members.queries import has_role
from mutua.payroll.payslip import KTerms, chain_for, payroll_rules, situation_of

log = logging.getLogger(__name__)
CONTRACT_STAFF = (Role.ADVISER, Role.PAYROLL_OFFICER, Role.ADMINISTRATOR)


def settings_of(entity: Entity) -> EntityContractSettings | None:
    return EntityContractSettings.objects.filter(entity=entity).first()


def k_terms(entity: Entity) -> KTerms:
    row = settings_of(entity)
    return KTerms(row.employer_charges, row.margin) if row else KTerms()


def default_worker(person: Person, on: dt.date) -> str:
    """An artist when the member holds an arts work certificate valid that day, else employee."""
    until = person.artist_certificate_until
    return WorkerType.ARTIST if until is not None and until >= on else WorkerType.EMPLOYEE


def _check_worker(entity: Entity, worker: str) -> None:
    if worker not in WorkerType.values:
        raise InvalidInput(f"unknown worker type {worker!r}", field="worker")
    if worker == WorkerType.ARTICLE_1BIS:
        row = settings_of(entity)
        if row is None or not row.allows_article_1bis:
            raise RuleViolation(
                f"{entity.code} does not offer article 1bis: use an artist's contract",
                field="worker",
            )


def _check_staff(actor: Any, entity: Entity) -> None:
    """People act through staff roles; the system (None) acts for the order-form hand-off."""
    if actor is not None and not has_role(actor, CONTRACT_STAFF, entity):
        raise AccessDenied("only advisers and payroll officers of the entity make contracts")


def estimated_gross(
    person: Person, entity: Entity, worker: str, category: str, budget: Decimal, on: dt.date
) -> Decimal:
    """The gross a work budget pays on its own (W / k): the contract's indicative pay."""
    situation = _situation(person, worker, category)
    chain = chain_for(entity.country, on, situation, EmployerProfile(), k_terms(entity))
    return chain.gross_for_budget(budget)


def _situation(person: Person, worker: str, category: str) -> Any:
    return situation_of(person, worker=worker, category=category)


# --- from an order form ---------------------------------------------------------------------------
@action("contract.make_contracts")
def make_contracts(
    *,
    request: ContractRequest,
    acting_user: Any = None,
    worker: str | None = None,
    category: str = "non-cadre",
    order_form: OrderForm | None = None,
) -> list[Contract]:
    """Employ the member for a confirmed, invoiced order form: a day contract per working day
    where the country uses them (Belgium), each with its Dimona; elsewhere the variable part of
    the member's monthly contract (France: CESA, made with its DPAE if the member has none).
    The work budget is the invoice net of fee and re-invoiced expenses; a working day must pay
    at least the minimum day pay. Safe to repeat: a done request returns its contracts.
    `order_form`: the hand-off's copy, whose invoice is issued but not saved on it yet."""
    request = ContractRequest.objects.select_for_update().get(pk=request.pk)
    if order_form is not None and order_form.pk == request.order_form_id:
        request.order_form = order_form
    order_form = request.order_form
    entity = order_form.entity
    _check_staff(acting_user, entity)
    if request.status == ContractRequestStatus.DONE:
        audit.record(
            actor=acting_user,
            action="contract.make_contracts.replayed",
            subject=request,
            entity_id=entity.pk,
        )
        return list(request.contracts.order_by("start_date", "id"))
    if request.status == ContractRequestStatus.CANCELLED:
        raise StateConflict("this contract request was cancelled")
    if order_form.invoice is None:
        raise StateConflict(f"order form {order_form.reference} is not invoiced yet")
    worker = worker or default_worker(request.person, request.start_date)
    _check_worker(entity, worker)
    budget = rules.order_form_work_budget(
        invoiced=order_form.invoice.total_net,
        fee=order_form.invoice.fee_amount,
        reinvoiced_expenses=order_form.reinvoiced_expenses,
    )
    country_rules = payroll_rules(entity.country, request.start_date)
    if "day" in country_rules.contract_forms:
        contracts = _day_contracts(request, worker, category, budget, acting_user)
    else:
        contracts = _variable_part(request, worker, category, budget, acting_user)
    request.status = ContractRequestStatus.DONE
    request.save(update_fields=["status"])
    audit.record(
        actor=acting_user,
        action="contract.make_contracts",
        subject=request,
        entity_id=entity.pk,
        after={
            "order_form": order_form.reference,
            "contracts": [c.reference for c in contracts],
            "work_budget": budget,
            "worker": worker,
        },
    )
    return contracts


def _day_contracts(
    request: ContractRequest, worker: str, category: str, budget: Decimal, actor: Any
) -> list[Contract]:
    order_form, person = request.order_form, request.person
    entity = order_form.entity
    days = rules.working_days(request.start_date, request.working_days)
    budgets = rules.split_budget(budget, [share for _, share in days])
    gross = estimated_gross(person, entity, worker, category, budget, request.start_date)
    minimum = payroll_rules(entity.country, request.start_date).minimum_day_pay(
        _situation(person, worker, category)
    )
    rules.check_day_pay(
        gross=gross,
        days=request.working_days,
        minimum=minimum,
        worker=worker,
        on=request.start_date,
    )
    gross_parts = rules.split_budget(gross, [share for _, share in days])
    contracts = Contract.objects.bulk_create(
        Contract(
            entity=entity,
            person=person,
            activity=order_form.activity,
            order_form=order_form,
            request=request,
            kind=ContractKind.DAY,
            worker=worker,
            category=category,
            start_date=day,
            end_date=day,
            days=share,
            work_budget=part,
            gross=day_gross,
            currency=entity.currency,
            created_by=person_acting(actor),
        )
        for (day, share), part, day_gross in zip(days, budgets, gross_parts, strict=True)
    )
    _prepare(contracts)
    return contracts


def _variable_part(
    request: ContractRequest, worker: str, category: str, budget: Decimal, actor: Any
) -> list[Contract]:
    """Monthly-contract countries: the order form adds a variable part to the month in which
    the work ends (L7332-3: pay = fixed part + variable part computed on the activity)."""
    order_form, person = request.order_form, request.person
    entity = order_form.entity
    month = request.end_date.replace(day=1)
    parent = monthly_contract_on(person, entity, month)
    made = []
    if parent is None:
        parent = _new_monthly(
            person=person,
            activity=order_form.activity,
            start=month,
            budget=Decimal("0"),
            worker=worker,
            category=category,
            actor=actor,
        )
        made.append(parent)
    variable = Contract.objects.create(
        entity=entity,
        person=person,
        activity=order_form.activity,
        order_form=order_form,
        request=request,
        parent=parent,
        kind=ContractKind.VARIABLE,
        worker=parent.worker,
        category=parent.category,
        start_date=month,
        end_date=request.end_date,
        days=request.working_days,
        work_budget=budget,
        gross=estimated_gross(person, entity, parent.worker, parent.category, budget, month),
        currency=entity.currency,
        created_by=person_acting(actor),
    )
    return [*made, variable]


def monthly_contract_on(person: Person, entity: Entity, month: dt.date) -> Contract | None:
    return (
        Contract.objects.filter(
            person=person,
            entity=entity,
            kind=ContractKind.MONTHLY,
            status="active",
            start_date__lte=month,
        )
        .exclude(end_date__lt=month)
        .order_by("-start_date")
        .first()
    )


# --- monthly contracts ----------------------------------------------------------------------------
@action("contract.make_monthly_contract")
def make_monthly_contract(
    *,
    acting_user: Any,
    person: Person,
    activity: Activity,
    start: dt.date,
    monthly_work_budget: Decimal,
    worker: str = WorkerType.EMPLOYEE,
    category: str = "non-cadre",
    end: dt.date | None = None,
) -> Contract:
    """An open-ended (or fixed-term) monthly contract that pays `monthly_work_budget` from the
    activity each month: income smoothing anywhere, the fixed part of a French CESA. Starts on
    the first of a month; one monthly contract at a time per member and entity."""
    entity = activity.entity
    _check_staff(acting_user, entity)
    _check_worker(entity, worker)
    if "monthly" not in payroll_rules(entity.country, start).contract_forms:
        raise RuleViolation(f"{entity.code} does not make monthly contracts", field="start")
    if start.day != 1:
        raise InvalidInput("a monthly contract starts on the first of a month", field="start")
    if end is not None and end < start:
        raise InvalidInput("the contract ends before it starts", field="end")
    if monthly_work_budget < 0 or monthly_work_budget != monthly_work_budget.quantize(
        Decimal("0.01")
    ):
        raise InvalidInput("give the monthly work budget in cents", field="monthly_work_budget")
    if monthly_contract_on(person, entity, start) is not None:
        raise StateConflict(f"{person} already has a monthly contract in {entity.code}")
    contract = _new_monthly(
        person=person,
        activity=activity,
        start=start,
        budget=monthly_work_budget,
        worker=worker,
        category=category,
        actor=acting_user,
        end=end,
    )
    audit.record(
        actor=acting_user,
        action="contract.make_monthly_contract",
        subject=contract,
        entity_id=entity.pk,
        after={"start": start, "end": end, "monthly_work_budget": monthly_work_budget},
    )
    return contract


def _new_monthly(
    *,
    person: Person,
    activity: Activity,
    start: dt.date,
    budget: Decimal,
    worker: str,
    category: str,
    actor: Any,
    end: dt.date | None = None,
) -> Contract:
    entity = activity.entity
    contract = Contract.objects.create(
        entity=entity,
        person=person,
        activity=activity,
        kind=ContractKind.MONTHLY,
        worker=worker,
        category=category,
        start_date=start,
        end_date=end,
        work_budget=budget,
        gross=estimated_gross(person, entity, worker, category, budget, start),
        currency=entity.currency,
        created_by=person_acting(actor),
    )
    _prepare([contract])
    return contract


@action("contract.end_monthly_contract")
def end_monthly_contract(*, acting_user: Any, contract: Contract, end: dt.date) -> Contract:
    """Set the last day of an open-ended contract; Belgium declares the end (Dimona OUT)."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    _check_staff(acting_user, contract.entity)
    if contract.kind != ContractKind.MONTHLY or contract.end_date is not None:
        raise StateConflict(f"{contract.reference} is not an open-ended monthly contract")
    if end < contract.start_date:
        raise InvalidInput("the contract ends before it starts", field="end")
    contract.end_date = end
    contract.save(update_fields=["end_date"])
    scheme = payroll_rules(contract.entity.country, contract.start_date).hiring_declaration
    if scheme == "dimona":
        out = Declaration.objects.create(
            contract=contract,
            entity=contract.entity,
            scheme=scheme,
            action=DeclarationAction.OUT,
            payload={"contract": contract.reference, "end_date": end.isoformat()},
        )
        _send_after_commit([out.pk])
    audit.record(
        actor=acting_user,
        action="contract.end_monthly_contract",
        subject=contract,
        entity_id=contract.entity_id,
        after={"end": end},
    )
    return contract


# --- declarations ---------------------------------------------------------------------------------
def _prepare(contracts: list[Contract]) -> list[Declaration]:
    """Prepare the hiring declaration (IN) of each contract, where the country has one, and
    send them once the transaction commits."""
    if not contracts:
        return []
    entity = contracts[0].entity
    scheme = payroll_rules(entity.country, contracts[0].start_date).hiring_declaration
    if not scheme:
        return []
    employer = settings_of(entity)
    payload = PAYLOADS[scheme]
    declarations = Declaration.objects.bulk_create(
        Declaration(
            contract=contract,
            entity=entity,
            scheme=scheme,
            action=DeclarationAction.IN,
            payload=payload(contract, employer),
        )
        for contract in contracts
    )
    _send_after_commit([d.pk for d in declarations])
    return declarations


def _send_after_commit(ids: list[int]) -> None:
    # robust: a transport failure after commit is logged; the rows stay "prepared" for a retry.
    transaction.on_commit(lambda: send_declarations(declaration_ids=ids), robust=True)


@action("contract.send_declarations")
def send_declarations(
    *,
    declaration_ids: list[int] | None = None,
    entity: Entity | None = None,
    acting_user: Any = None,
) -> list[Declaration]:
    """Hand the prepared declarations to the configured sender and record what it says."""
    prepared = (
        Declaration.objects.select_for_update(of=("self",))
        .select_related("entity", "cancels")
        .filter(status=DeclarationStatus.PREPARED)
    )
    if declaration_ids is not None:
        prepared = prepared.filter(pk__in=declaration_ids)
    if entity is not None:
        prepared = prepared.filter(entity=entity)
    sender = declaration_sender()
    sent = []
    for declaration in prepared.order_by("id"):
        receipt = sender.send(declaration)
        declaration.status = DeclarationStatus.SENT
        declaration.transport, declaration.transport_ref = receipt.transport, receipt.transport_ref
        declaration.reference = receipt.reference or declaration.reference
        declaration.sent_at = clock.now()
        declaration.save(
            update_fields=["status", "transport", "transport_ref", "reference", "sent_at"]
        )
        sent.append(declaration)
    audit.record(
        actor=acting_user,
        action="contract.send_declarations",
        entity_id=entity.pk if entity else None,
        after={"sent": [d.pk for d in sent]},
    )
    return sent


@action("contract.record_declaration_answer")
def record_declaration_answer(
    *,
    declaration: Declaration,
    accepted: bool,
    reference: str = "",
    error: str = "",
    acting_user: Any = None,
) -> Declaration:
    """The government service answered: accepted with its reference, or refused with a reason."""
    declaration = Declaration.objects.select_for_update().get(pk=declaration.pk)
    if declaration.status != DeclarationStatus.SENT:
        raise StateConflict(f"declaration {declaration.pk} is {declaration.status}, not sent")
    if accepted and not reference.strip():
        raise InvalidInput("an accepted declaration has a reference", field="reference")
    declaration.status = DeclarationStatus.ACCEPTED if accepted else DeclarationStatus.REFUSED
    declaration.reference, declaration.error = reference.strip(), error.strip()[:300]
    declaration.answered_at = clock.now()
    declaration.save(update_fields=["status", "reference", "error", "answered_at"])
    audit.record(
        actor=acting_user,
        action="contract.record_declaration_answer",
        subject=declaration,
        entity_id=declaration.entity_id,
        after={"status": declaration.status, "reference": declaration.reference},
    )
    return declaration


@action("contract.cancel_contract")
def cancel_contract(*, acting_user: Any, contract: Contract, reason: str) -> Contract:
    """Cancel a contract not yet paid: a declaration not sent yet is dropped; one already sent
    or accepted gets a cancellation declaration quoting its reference."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    _check_staff(acting_user, contract.entity)
    if not reason.strip():
        raise InvalidInput("say why the contract is cancelled", field="reason")
    if contract.status != "active":
        raise StateConflict(f"{contract.reference} is already cancelled")
    paid = apps.get_model("payroll", "PaidPeriod")
    if paid.objects.filter(contract=contract).exists():
        raise StateConflict(f"{contract.reference} is already on a payslip: correct the pay")
    contract.status, contract.cancelled_at = "cancelled", clock.now()
    contract.save(update_fields=["status", "cancelled_at"])
    cancellations = []
    for declaration in contract.declarations.select_for_update().exclude(
        action=DeclarationAction.CANCEL
    ):
        if declaration.status == DeclarationStatus.PREPARED:
            declaration.status = DeclarationStatus.CANCELLED
            declaration.save(update_fields=["status"])
        elif declaration.status in (DeclarationStatus.SENT, DeclarationStatus.ACCEPTED):
            cancellations.append(
                Declaration.objects.create(
                    contract=contract,
                    entity=contract.entity,
                    scheme=declaration.scheme,
                    action=DeclarationAction.CANCEL,
                    cancels=declaration,
                    payload={"contract": contract.reference, "reason": reason.strip()},
                )
            )
    _send_after_commit([d.pk for d in cancellations])
    audit.record(
        actor=acting_user,
        action="contract.cancel_contract",
        subject=contract,
        entity_id=contract.entity_id,
        after={"reason": reason.strip(), "cancellations": [d.pk for d in cancellations]},
    )
    return contract
