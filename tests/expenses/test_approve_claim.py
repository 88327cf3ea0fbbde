"""Approval: an adviser of the entity, never the claimant (unless the entity allows small
self-approved claims), within the role's limit; it posts one balanced entry."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from mutua.core.errors import AccessDenied, NotFound, RuleViolation, StateConflict
from mutua.core.permissions import Role
from mutua.expenses import actions
from mutua.expenses.models import ApprovalLimit, ClaimStatus, ExpenseRules
from mutua.ledger.drafts import EntryDraft, LineDraft
from mutua.ledger.models import Entry, Line
from mutua.ledger.queries import activity_balance, verify_books
from mutua.members.models import StaffRole
from tests.conftest import make_staff
from tests.expenses.conftest import draft, meal, mileage, other_entity, submitted
from tests.ledger.conftest import post


def test_approval_posts_expense_vat_and_the_members_refund(world: dict[str, Any]) -> None:
    claim = submitted(world["alice"], world["activity"], meal("121.00"), mileage("100"))
    before = activity_balance(world["activity"])
    claim = actions.approve_claim(actor=world["adviser"], claim=claim)
    assert claim.status == ClaimStatus.APPROVED and claim.decided_by == world["adviser"]
    assert claim.entry_id is not None
    entry = Entry.objects.select_related("journal").get(pk=claim.entry_id)
    assert entry.journal.kind == "expenses" and entry.date == dt.date(2026, 1, 12)
    lines = {
        line.account.code: line
        for line in Line.objects.filter(entry=entry).select_related("account")
    }
    assert lines["612000"].debit == Decimal("144.49")  # 121.00 + 44.49 - 21.00
    assert lines["612000"].activity_id == world["activity"].pk
    assert lines["411000"].debit == Decimal("21.00")
    assert lines["489100"].credit == Decimal("165.49")
    assert lines["489100"].member_id == world["alice"].person.pk
    assert sum(x.debit for x in lines.values()) == sum(x.credit for x in lines.values())
    assert activity_balance(world["activity"]) == before - Decimal("144.49")
    assert verify_books([world["entity"]]) == []


def test_nobody_approves_their_own_claim(world: dict[str, Any]) -> None:
    StaffRole.objects.create(
        user=world["alice"].person.user, role=Role.ADVISER, entity=world["entity"]
    )
    claim = submitted(world["alice"], world["activity"])
    with pytest.raises(AccessDenied, match="own expense claim"):
        actions.approve_claim(actor=world["alice"].person.user, claim=claim)
    claim.refresh_from_db()
    assert (
        claim.status == ClaimStatus.SUBMITTED
        and not Entry.objects.filter(journal__kind="expenses").exists()
    )


def test_self_approval_below_the_threshold_where_the_entity_allows_it(
    world: dict[str, Any],
) -> None:
    ExpenseRules.objects.create(
        entity=world["entity"],
        valid_from=dt.date(2025, 1, 1),
        mileage_rate=Decimal("0.4449"),
        per_diem_full=Decimal("20.80"),
        per_diem_travel=Decimal("20.80"),
        accommodation_ceiling=Decimal("156.05"),
        deadline_month=1,
        deadline_day=15,
        self_approval_allowed=True,
        self_approval_threshold=Decimal("50.00"),
        retention_years=7,
    )
    user = world["alice"].person.user
    small = actions.approve_claim(actor=user, claim=submitted(world["alice"], world["activity"]))
    assert small.status == ClaimStatus.APPROVED and small.decided_by == user
    big = submitted(world["alice"], world["activity"], meal("50.00"))
    with pytest.raises(AccessDenied):
        actions.approve_claim(actor=user, claim=big)


def test_above_the_role_limit_only_an_administrator_approves(world: dict[str, Any]) -> None:
    ApprovalLimit.objects.create(
        entity=world["entity"],
        role=Role.ADVISER,
        limit=Decimal("100.00"),
        valid_from=dt.date(2025, 1, 1),
    )
    claim = submitted(world["alice"], world["activity"], meal("100.01"))
    with pytest.raises(RuleViolation, match="above your approval limit"):
        actions.approve_claim(actor=world["adviser"], claim=claim)
    admin = make_staff(world["entity"], Role.ADMINISTRATOR)
    assert actions.approve_claim(actor=admin, claim=claim).status == ClaimStatus.APPROVED


def test_staff_of_another_entity_and_other_roles_cannot_decide(world: dict[str, Any]) -> None:
    claim = submitted(world["alice"], world["activity"])
    _, foreign_adviser = other_entity()
    accountant = make_staff(world["entity"], Role.ACCOUNTANT)
    for actor in (foreign_adviser, accountant, world["bob"].person.user):
        with pytest.raises(NotFound):
            actions.approve_claim(actor=actor, claim=claim)
        with pytest.raises(NotFound):
            actions.reject_claim(actor=actor, claim=claim, reason="no")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED


def test_a_draft_or_a_decided_claim_cannot_be_approved(world: dict[str, Any]) -> None:
    claim = draft(world["alice"], world["activity"])
    with pytest.raises(StateConflict):
        actions.approve_claim(actor=world["adviser"], claim=claim)
    claim = actions.submit_claim(actor=world["alice"].person.user, claim=claim)
    actions.approve_claim(actor=world["adviser"], claim=claim)
    with pytest.raises(StateConflict):
        actions.approve_claim(actor=world["adviser"], claim=claim)
    assert Entry.objects.filter(journal__kind="expenses").count() == 1


def test_approval_rechecks_the_budget_spent_meanwhile(world: dict[str, Any]) -> None:
    claim = submitted(world["alice"], world["activity"], meal("605.00"))  # charges 500.00
    spend = EntryDraft(
        entity_id=world["entity"].pk,
        journal="OD",
        date=dt.date(2026, 1, 5),
        label="Supplier paid from the activity",
        lines=(
            LineDraft("610000", debit=Decimal("600.00"), activity_id=world["activity"].pk),
            LineDraft("550000", credit=Decimal("600.00")),
        ),
    )
    post(spend)
    with pytest.raises(RuleViolation, match=r"above what the activity has available \(400.00"):
        actions.approve_claim(actor=world["adviser"], claim=claim)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED and claim.entry_id is None
    assert not Entry.objects.filter(journal__kind="expenses").exists()


def test_refund_only_from_money_clients_have_paid(world: dict[str, Any]) -> None:
    from mutua.invoicing.models import Invoice

    ExpenseRules.objects.create(
        entity=world["entity"],
        valid_from=dt.date(2025, 1, 1),
        mileage_rate=Decimal("0.4449"),
        per_diem_full=Decimal("20.80"),
        per_diem_travel=Decimal("20.80"),
        deadline_month=1,
        deadline_day=15,
        refund_only_collected=True,
        retention_years=7,
    )
    client = world["activity"].entity.clients.create(name="Late payer", country="BE")
    Invoice.objects.create(
        entity=world["entity"],
        activity=world["activity"],
        client=client,
        status="issued",
        number="2025-000001",
        currency="EUR",
        total_net=Decimal("800.00"),
        fee_amount=Decimal("0.00"),
        total_gross=Decimal("968.00"),
    )
    # 1,000.00 booked, 800.00 of it not collected: 200.00 may be spent.
    with pytest.raises(RuleViolation, match=r"paid by clients \(200.00"):
        submitted(world["alice"], world["activity"], meal("242.01"))
    assert submitted(world["alice"], world["activity"], meal("242.00")).status == "submitted"


def test_a_claim_submitted_in_time_is_approved_after_the_deadline(
    world: dict[str, Any], _frozen: Any
) -> None:
    claim = submitted(world["alice"], world["activity"])
    _frozen.move_to("2026-01-20 09:00:00")
    assert actions.approve_claim(actor=world["adviser"], claim=claim).status == "approved"


def test_a_claim_whose_month_was_closed_meanwhile_is_posted_on_the_approval_day(
    world: dict[str, Any],
) -> None:
    from mutua.ledger.actions import close_period
    from mutua.ledger.models import Period

    claim = submitted(world["alice"], world["activity"])
    december = Period.objects.get(entity=world["entity"], start=dt.date(2025, 12, 1))
    close_period(period=december, acting_user=None)
    claim = actions.approve_claim(actor=world["adviser"], claim=claim)
    assert claim.entry_id is not None
    entry = Entry.objects.get(pk=claim.entry_id)
    assert (entry.date, entry.piece_date) == (dt.date(2026, 1, 12), dt.date(2025, 12, 10))
