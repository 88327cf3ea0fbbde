"""The share register: subscriptions paid and issued, transfers, withdrawals and their caps."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from mutua.banking.models import Payout
from mutua.banking.payouts import collect_payouts
from mutua.core.errors import AccessDenied, InvalidInput, RuleViolation, StateConflict
from mutua.core.permissions import Role
from mutua.entities.models import Entity
from mutua.governance.exit_actions import record_approved_accounts, request_exit, settle_exit
from mutua.governance.models import (
    ExitStatus,
    GovernanceRules,
    MovementKind,
    ShareClass,
    ShareMovement,
    SubscriptionStatus,
)
from mutua.governance.queries import holdings, register_rows, shares_held
from mutua.governance.share_actions import (
    confirm_share_payment,
    register_shareholder,
    request_subscription,
    transfer_shares,
)
from mutua.invoicing.documents.payment import ogm_digits
from mutua.ledger.queries import account_balance, posting_account
from mutua.members.models import Membership
from tests.conftest import make_entity, make_staff
from tests.governance.conftest import DAY, shareholder, subscribe

pytestmark = pytest.mark.django_db


def balance(entity: Entity, event: str) -> Decimal:
    return account_balance(posting_account(entity, event))


def test_it_issues_shares_on_payment_and_books_the_capital(
    alice: Membership, class_a: ShareClass, board_be: Any
) -> None:
    subscription = subscribe(alice, class_a, 4)
    assert subscription.amount == Decimal("120.00")
    assert ogm_digits(subscription.payment_reference)  # a valid Belgian structured reference
    assert shares_held(subscription.holder) == 0

    confirm_share_payment(subscription=subscription, paid_on=DAY, acting_user=board_be)
    again = confirm_share_payment(subscription=subscription, paid_on=DAY, acting_user=board_be)

    assert again.status == SubscriptionStatus.ISSUED
    assert [(h.quantity, h.paid_up) for h in holdings(subscription.holder)] == [
        (4, Decimal("120.00"))
    ]
    entity = alice.entity
    assert balance(entity, "bank") == Decimal("120.00")
    assert balance(entity, "share_capital") == Decimal("-120.00")


def test_a_deduction_from_pay_is_booked_on_what_the_member_is_owed(
    alice: Membership, class_a: ShareClass, board_be: Any
) -> None:
    subscription = subscribe(alice, class_a, 2, method="payroll")
    confirm_share_payment(subscription=subscription, paid_on=DAY, acting_user=board_be)
    assert balance(alice.entity, "members_payable") == Decimal("60.00")
    assert balance(alice.entity, "bank") == 0


def test_a_member_acts_only_for_themselves(
    alice: Membership, bob: Membership, class_a: ShareClass
) -> None:
    subscription = subscribe(alice, class_a, 1)
    with pytest.raises(AccessDenied):
        confirm_share_payment(subscription=subscription, paid_on=DAY, acting_user=alice.person.user)
    with pytest.raises(AccessDenied):
        request_subscription(
            entity=alice.entity,
            share_class=class_a,
            quantity=1,
            method="transfer",
            on=DAY,
            acting_user=bob.person.user,
            holder=subscription.holder,
        )
    assert shares_held(subscription.holder) == 0


def test_staff_of_another_entity_cannot_confirm(alice: Membership, class_a: ShareClass) -> None:
    other_board = make_staff(make_entity("BE2", country="BE"), Role.BOARD)
    subscription = subscribe(alice, class_a, 1)
    with pytest.raises(AccessDenied):
        confirm_share_payment(subscription=subscription, paid_on=DAY, acting_user=other_board)


def test_bad_quantities_are_refused(alice: Membership, class_a: ShareClass) -> None:
    with pytest.raises(InvalidInput, match="1 to 100,000"):
        subscribe(alice, class_a, 0)


def test_a_sister_entity_holds_shares_as_a_legal_person(
    entity_be: Entity, class_a: ShareClass, board_be: Any
) -> None:
    sister = make_entity("FR", country="FR")
    holder = register_shareholder(
        entity=entity_be, on=DAY, acting_user=board_be, sister_entity=sister
    )
    assert (holder.kind, holder.company_number) == ("legal", sister.company_number)
    with pytest.raises(InvalidInput, match="company number"):
        register_shareholder(entity=entity_be, on=DAY, acting_user=board_be, name="Client SRL")


def test_a_transfer_moves_shares_and_paid_up_capital(
    alice: Membership, bob: Membership, class_a: ShareClass, board_be: Any
) -> None:
    giver = shareholder(alice, class_a, 3, board_be)
    taker = shareholder(bob, class_a, 1, board_be)
    transfer_shares(
        source=giver, target=taker, share_class=class_a, quantity=2, on=DAY, acting_user=board_be
    )
    assert shares_held(giver) == 1 and shares_held(taker) == 3
    with pytest.raises(InvalidInput, match="has 1 shares"):
        transfer_shares(
            source=giver,
            target=taker,
            share_class=class_a,
            quantity=2,
            on=DAY,
            acting_user=board_be,
        )
    rows = {row.holder.pk: row for row in register_rows(alice.entity)}
    assert rows[taker.pk].paid_up == Decimal("90.00")


def test_withdrawals_only_in_the_first_six_months(
    alice: Membership, class_a: ShareClass, board_be: Any
) -> None:
    holder = shareholder(alice, class_a, 1, board_be)
    user = alice.person.user
    with pytest.raises(RuleViolation, match="first 6 months"):
        request_exit(holder=holder, kind="withdrawal", on=dt.date(2026, 7, 1), acting_user=user)
    GovernanceRules.objects.create(entity=alice.entity, withdrawal_window_months=7)
    leaving = request_exit(
        holder=holder, kind="withdrawal", on=dt.date(2026, 7, 1), acting_user=user
    )
    assert leaving.status == ExitStatus.REQUESTED
    with pytest.raises(StateConflict, match="already under way"):
        request_exit(holder=holder, kind="withdrawal", on=dt.date(2026, 7, 1), acting_user=user)


def test_a_member_cannot_withdraw_another_members_shares(
    alice: Membership, bob: Membership, class_a: ShareClass, board_be: Any
) -> None:
    holder = shareholder(alice, class_a, 1, board_be)
    with pytest.raises(AccessDenied):
        request_exit(holder=holder, kind="withdrawal", on=DAY, acting_user=bob.person.user)


def test_repayment_is_capped_at_net_asset_value_and_owed_by_payout(
    alice: Membership, bob: Membership, class_a: ShareClass, board_be: Any
) -> None:
    holder = shareholder(alice, class_a, 2, board_be)  # 60.00 paid up
    shareholder(bob, class_a, 8, board_be)  # capital 300.00
    entity = alice.entity
    record_approved_accounts(
        entity=entity,
        year=2025,
        approved_on=dt.date(2026, 2, 1),
        net_assets=Decimal("250.00"),
        solvency_test_passed=True,
        liquidity_test_passed=True,
        acting_user=board_be,
    )
    leaving = request_exit(holder=holder, kind="withdrawal", on=DAY, acting_user=alice.person.user)
    settled = settle_exit(leaving=leaving, on=DAY, acting_user=board_be)

    assert settled.repayment == Decimal("50.00")  # 60 x 250 / 300: net assets below capital
    assert shares_held(holder) == 0
    out = ShareMovement.objects.get(holder=holder, kind=MovementKind.WITHDRAWAL)
    assert (out.quantity, out.amount_paid) == (-2, Decimal("50.00"))
    assert balance(entity, "shares_payable") == Decimal("-50.00")
    # The Belgian chart has reserves: the 10.00 not repaid leave share capital for them, so the
    # ledger's capital (240.00) equals the register's paid-up capital of the remaining holders.
    assert balance(entity, "share_capital") == Decimal("-240.00")
    assert balance(entity, "reserves") == Decimal("-10.00")

    accountant = make_staff(entity, Role.ACCOUNTANT)
    collect_payouts(entity=entity, acting_user=accountant)
    collect_payouts(entity=entity, acting_user=accountant)
    payout = Payout.objects.get(source="shares")
    assert (payout.amount, payout.person_id) == (Decimal("50.00"), alice.person_id)


def test_repayment_never_exceeds_paid_up(
    alice: Membership, class_a: ShareClass, board_be: Any
) -> None:
    holder = shareholder(alice, class_a, 2, board_be)
    record_approved_accounts(
        entity=alice.entity,
        year=2025,
        approved_on=dt.date(2026, 2, 1),
        net_assets=Decimal("9000.00"),
        solvency_test_passed=True,
        liquidity_test_passed=True,
        acting_user=board_be,
    )
    leaving = request_exit(holder=holder, kind="death", on=DAY, acting_user=board_be)
    assert settle_exit(leaving=leaving, on=DAY, acting_user=board_be).repayment == Decimal("60.00")


def test_repayment_is_postponed_when_the_solvency_test_fails(
    alice: Membership, class_a: ShareClass, board_be: Any
) -> None:
    holder = shareholder(alice, class_a, 2, board_be)
    record_approved_accounts(
        entity=alice.entity,
        year=2025,
        approved_on=dt.date(2026, 2, 1),
        net_assets=Decimal("9000.00"),
        solvency_test_passed=False,
        liquidity_test_passed=True,
        acting_user=board_be,
    )
    leaving = request_exit(holder=holder, kind="withdrawal", on=DAY, acting_user=alice.person.user)
    postponed = settle_exit(leaving=leaving, on=DAY, acting_user=board_be)
    assert postponed.status == ExitStatus.POSTPONED
    assert shares_held(holder) == 2
    assert balance(alice.entity, "shares_payable") == 0


def test_an_exclusion_states_its_ground_and_is_the_boards(
    alice: Membership, class_a: ShareClass, board_be: Any
) -> None:
    holder = shareholder(alice, class_a, 1, board_be)
    with pytest.raises(AccessDenied):
        request_exit(
            holder=holder, kind="exclusion", on=DAY, acting_user=alice.person.user, reason="x"
        )
    with pytest.raises(InvalidInput, match="ground"):
        request_exit(holder=holder, kind="exclusion", on=dt.date(2026, 9, 1), acting_user=board_be)
    leaving = request_exit(
        holder=holder,
        kind="exclusion",
        on=dt.date(2026, 9, 1),
        acting_user=board_be,
        reason="Statutes art. 12: serious breach",
    )
    assert leaving.kind == "exclusion"


def test_capital_not_repaid_becomes_reserves_when_the_chart_has_them(
    alice: Membership, bob: Membership, class_a: ShareClass, board_be: Any
) -> None:
    from mutua.ledger.queries import posting_account

    entity = alice.entity
    reserves = posting_account(entity, "reserves")  # 133000, in the Belgian chart
    holder = shareholder(alice, class_a, 2, board_be)
    shareholder(bob, class_a, 8, board_be)
    record_approved_accounts(
        entity=entity,
        year=2025,
        approved_on=dt.date(2026, 2, 1),
        net_assets=Decimal("150.00"),
        solvency_test_passed=True,
        liquidity_test_passed=True,
        acting_user=board_be,
    )
    leaving = request_exit(holder=holder, kind="withdrawal", on=DAY, acting_user=alice.person.user)
    assert settle_exit(leaving=leaving, on=DAY, acting_user=board_be).repayment == Decimal("30.00")
    # The ledger's capital equals the register's (240.00 paid up by Bob).
    assert balance(entity, "share_capital") == Decimal("-240.00")
    assert balance(entity, "shares_payable") == Decimal("-30.00")
    assert account_balance(reserves) == Decimal("-30.00")
