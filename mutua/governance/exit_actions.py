"""Actions of holders leaving the register: withdrawal (in the statutes' window), exclusion and
death, settled against the last approved accounts (repayment capped, or postponed when the
solvency or liquidity test fails), and the repayments owed through mutua.banking's payouts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum

from mutua.banking.models import Payout, PayoutSource
from mutua.core import audit
from mutua.core.audit import action, snapshot
from mutua.core.errors import (
    InvalidInput,
    NotFound,
    RuleViolation,
    StateConflict,
)
from mutua.entities.models import Entity
from mutua.governance import share_rules
from mutua.governance.common import parse_amount, replayed, require_role
from mutua.governance.models import (
    ApprovedAccounts,
    Exit,
    ExitKind,
    ExitStatus,
    MovementKind,
    Shareholder,
    ShareMovement,
)
from mutua.governance.queries import (
    BOARD_ROLES,
    capital_paid_up,
    latest_accounts,
    rules_of,
)
from mutua.ledger.actions import post_entry
from mutua.ledger.drafts import EntryDraft, LineDraft
from mutua.ledger.models import FiscalYear
from mutua.ledger.queries import journal_for, posting_account

EXIT_MOVEMENT = {
    ExitKind.WITHDRAWAL: MovementKind.WITHDRAWAL,
    ExitKind.EXCLUSION: MovementKind.EXCLUSION,
    ExitKind.DEATH: MovementKind.DEATH,
}


# --- leaving: withdrawal, exclusion, death -----------------------------------------------------
@action("governance.request_exit")
def request_exit(
    *, holder: Shareholder, kind: str, on: dt.date, acting_user: Any, reason: str = ""
) -> Exit:
    """A holder leaves with all their shares. A withdrawal is asked by the holder in the window
    of the statutes (first six months of the financial year by default, 6:120); exclusion (on
    the statutes' grounds, which the board states) and death (6:121) are recorded by the board."""
    entity = holder.entity
    own = holder.person is not None and holder.person.user_id == getattr(acting_user, "pk", None)
    if kind == ExitKind.WITHDRAWAL:
        if not own:
            require_role(acting_user, BOARD_ROLES, entity, "a holder withdraws for themselves")
        _check_window(entity, on)
    elif kind in (ExitKind.EXCLUSION, ExitKind.DEATH):
        require_role(acting_user, BOARD_ROLES, entity, "only the board records this")
        if kind == ExitKind.EXCLUSION and not reason.strip():
            raise InvalidInput("state the statutory ground of the exclusion", field="reason")
    else:
        raise InvalidInput("withdrawal, exclusion or death", field="kind")
    if not ShareMovement.objects.filter(holder=holder).aggregate(n=Sum("quantity"))["n"]:
        raise StateConflict("this holder holds no shares")
    if Exit.objects.filter(holder=holder).exclude(status=ExitStatus.SETTLED).exists():
        raise StateConflict("a withdrawal of this holder is already under way")
    try:
        with transaction.atomic():
            leaving = Exit.objects.create(
                entity=entity, holder=holder, kind=kind, requested_on=on, reason=reason.strip()
            )
    except IntegrityError as exc:  # the same request sent twice at once
        raise StateConflict("a withdrawal of this holder is already under way") from exc
    audit.record(
        actor=acting_user,
        action="governance.request_exit",
        subject=leaving,
        entity_id=entity.pk,
        after=snapshot(leaving, ["kind", "requested_on", "reason"]),
    )
    return leaving


def _check_window(entity: Entity, on: dt.date) -> None:
    year = FiscalYear.objects.filter(entity=entity, start__lte=on, end__gte=on).first()
    start = year.start if year else dt.date(on.year, 1, 1)
    months = rules_of(entity).withdrawal_window_months
    if not share_rules.withdrawal_window_open(on, start, months):
        raise RuleViolation(
            f"withdrawals are accepted only in the first {months} months of the financial year",
            field="on",
        )


@action("governance.record_approved_accounts")
def record_approved_accounts(
    *,
    entity: Entity,
    year: int,
    approved_on: dt.date,
    net_assets: Decimal,
    solvency_test_passed: bool,
    liquidity_test_passed: bool,
    acting_user: Any,
) -> ApprovedAccounts:
    require_role(acting_user, BOARD_ROLES, entity, "only the board records the accounts")
    accounts, _ = ApprovedAccounts.objects.update_or_create(
        entity=entity,
        year=year,
        defaults={
            "approved_on": approved_on,
            "net_assets": parse_amount(net_assets, "net_assets", signed=True),
            "solvency_test_passed": solvency_test_passed,
            "liquidity_test_passed": liquidity_test_passed,
        },
    )
    audit.record(
        actor=acting_user,
        action="governance.record_approved_accounts",
        subject=accounts,
        entity_id=entity.pk,
        after=snapshot(
            accounts, ["year", "net_assets", "solvency_test_passed", "liquidity_test_passed"]
        ),
    )
    return accounts


@action("governance.settle_exit")
def settle_exit(*, leaving: Exit, on: dt.date, acting_user: Any) -> Exit:
    """Cancel the holder's shares and owe the repayment: at most the paid-up amount, capped at
    net asset value, and only if the last solvency and liquidity tests passed; otherwise the
    exit is postponed (6:115-6:116, 6:120). Posts Dr share capital / Cr shares payable."""
    entity = leaving.entity
    require_role(acting_user, BOARD_ROLES, entity, "only the board settles withdrawals")
    locked = Exit.objects.select_for_update().get(pk=leaving.pk)
    if locked.status == ExitStatus.SETTLED:
        return replayed(acting_user, "governance.settle_exit", locked)
    accounts = latest_accounts(entity, on)
    if accounts is None:
        raise RuleViolation("record the last approved accounts first (net asset value)")
    if not (accounts.solvency_test_passed and accounts.liquidity_test_passed):
        return _postpone(locked, accounts, acting_user)
    capital = capital_paid_up(entity)
    per_class = _cancel_shares(locked, on, accounts.net_assets, capital)
    total = sum((repaid for _, repaid in per_class), Decimal("0.00"))
    paid_up = sum((paid for paid, _ in per_class), Decimal("0.00"))
    if total > 0 or (paid_up > total and _reserves_account(entity)):
        entry = post_entry(
            _repayment_draft(locked, paid_up, total, on),
            acting_user=acting_user,
            idempotency_key=f"shares:exit:{locked.pk}",
        )
        locked.entry_id = entry.pk
    locked.status, locked.settled_on, locked.repayment = ExitStatus.SETTLED, on, total
    locked.save(update_fields=["status", "settled_on", "repayment", "entry_id"])
    audit.record(
        actor=acting_user,
        action="governance.settle_exit",
        subject=locked,
        entity_id=entity.pk,
        after=snapshot(locked, ["status", "settled_on", "repayment", "entry_id"]),
    )
    return locked


def _postpone(leaving: Exit, accounts: ApprovedAccounts, actor: Any) -> Exit:
    leaving.status = ExitStatus.POSTPONED
    leaving.note = f"tests of the {accounts.year} accounts not passed: repayment postponed"
    leaving.save(update_fields=["status", "note"])
    audit.record(
        actor=actor,
        action="governance.postpone_exit",
        subject=leaving,
        entity_id=leaving.entity_id,
        after={"status": leaving.status, "accounts": accounts.year},
    )
    return leaving


def _cancel_shares(
    leaving: Exit, on: dt.date, net_assets: Decimal, capital: Decimal
) -> list[tuple[Decimal, Decimal]]:
    """Cancel the holder's shares per class; return (paid up, repaid) per class."""
    sums = (
        ShareMovement.objects.filter(holder=leaving.holder)
        .values("share_class")
        .annotate(quantity=Sum("quantity"), paid_up=Sum("paid_up"))
        .order_by("share_class")
    )
    repaid: list[tuple[Decimal, Decimal]] = []
    for row in sums:
        if not row["quantity"]:
            continue
        paid_up = Decimal(row["paid_up"]).quantize(Decimal("0.01"))
        amount = share_rules.repayment(paid_up, net_assets, capital)
        ShareMovement.objects.create(
            entity=leaving.entity,
            holder=leaving.holder,
            share_class_id=row["share_class"],
            kind=EXIT_MOVEMENT[ExitKind(leaving.kind)],
            quantity=-row["quantity"],
            paid_up=-paid_up,
            amount_paid=amount,
            date=on,
            key=f"exit:{leaving.pk}:{row['share_class']}",
        )
        repaid.append((paid_up, amount))
    return repaid


def _repayment_draft(leaving: Exit, paid_up: Decimal, total: Decimal, on: dt.date) -> EntryDraft:
    """Dr share capital (the paid-up capital cancelled) / Cr shares payable (the repayment).

    Capital not repaid (net asset value below paid-up) becomes reserves when the chart has a
    `reserves` event; otherwise only the repayment leaves share capital (see the report)."""
    entity, holder = leaving.entity, leaving.holder
    capital = posting_account(entity, "share_capital")
    payable = posting_account(entity, "shares_payable")
    reserves = _reserves_account(entity) if paid_up > total else None
    cancelled = paid_up if reserves is not None else total
    lines = [
        LineDraft(capital.code, debit=cancelled, member_id=holder.person_id),
        LineDraft(payable.code, credit=total, member_id=holder.person_id),
    ]
    if reserves is not None:
        lines.append(LineDraft(reserves, credit=paid_up - total))
    return EntryDraft(
        entity_id=entity.pk,
        journal=journal_for(entity, "miscellaneous").code,
        date=on,
        label=f"Shares repaid ({leaving.get_kind_display()}) {holder.name}"[:200],
        lines=tuple(line for line in lines if line.debit or line.credit),
    )


def _reserves_account(entity: Entity) -> str | None:
    try:
        return posting_account(entity, "reserves").code
    except NotFound:
        return None


def collect_share_repayments(entity: Entity) -> list[Payout]:
    """Payout items for settled exits with a repayment and no item yet (mutua.banking)."""
    known = Payout.objects.filter(entity=entity, source=PayoutSource.SHARES).values("source_id")
    exits = (
        Exit.objects.filter(entity=entity, status=ExitStatus.SETTLED, repayment__gt=0)
        .exclude(pk__in=known)
        .select_related("holder")
        .order_by("settled_on", "pk")
    )
    return [
        _payout(leaving) for leaving in exits if leaving.holder.person_id or leaving.holder.iban
    ]


def _payout(leaving: Exit) -> Payout:
    holder = leaving.holder
    return Payout(
        entity=leaving.entity,
        key=f"{PayoutSource.SHARES}:{leaving.pk}",
        source=PayoutSource.SHARES,
        source_id=leaving.pk,
        person_id=holder.person_id,
        amount=leaving.repayment,
        currency=leaving.entity.currency,
        remittance=f"Shares repaid, register n. {holder.number}",
        due_date=leaving.settled_on or leaving.requested_on,
        creditor_name="" if holder.person_id else holder.name[:70],
        creditor_iban="" if holder.person_id else holder.iban,
    )
