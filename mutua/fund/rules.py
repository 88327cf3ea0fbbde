"""Guarantee fund rules: eligibility, limits, cover plans, releases, write-off splits, ageing.
Pure: no ORM, fed by plain dataclasses (DESIGN.md §4).

Where the rules come from (reference/business-model.md, Guarantee): the salary is paid within
N working days after the work (7 in Belgium) even if the client has not paid; Smart's published
conditions are that the client formally confirmed the order and is established in the EU; a
blocked client is not covered; the fund is fed by part of the fees. Limits per client and per
activity bound the fund's exposure.

Rounding: an invoice's share for its activity is (net − fee) × due / gross, rounded half up to
the cent (the one rounding point); a fully unpaid invoice gives exactly net − fee.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0")
CENT = Decimal("0.01")
AGE_BUCKETS = ("0-30", "31-60", "61-90", "90+")


@dataclass(frozen=True)
class Policy:
    """The entity's guarantee policy in force on a date (a copy of fund.models.FundPolicy)."""

    pay_within_working_days: int = 7
    require_confirmed_order: bool = True
    require_eu_client: bool = True
    limit_per_client: Decimal | None = None  # None: no limit
    limit_per_activity: Decimal | None = None
    fee_share: Decimal = ZERO
    order_advance_share: Decimal = ZERO
    guarantees: bool = True  # False when the entity has no policy: the fund covers nothing


NO_POLICY = Policy(guarantees=False)


@dataclass(frozen=True)
class OpenInvoice:
    """An unpaid invoice as the fund sees it: the activity's share still to collect."""

    invoice_id: int
    number: str
    activity_id: int
    client_id: int
    uncollected: Decimal  # the activity's share of what is still due
    advanced: Decimal  # open advances of the fund on it
    confirmed_order: bool
    client_in_eu: bool
    client_blocked: bool
    disputed: bool


def activity_share(net: Decimal, fee: Decimal, gross: Decimal, due: Decimal) -> Decimal:
    """The activity's part of `due` on an invoice of `gross` (net − fee of the whole)."""
    if gross <= 0 or due <= 0:
        return ZERO
    if due >= gross:
        return net - fee
    return ((net - fee) * due / gross).quantize(CENT, rounding=ROUND_HALF_UP)


def why_not_covered(policy: Policy, invoice: OpenInvoice) -> str | None:
    """None when the fund may cover the invoice, else the reason in a few words."""
    if not policy.guarantees:
        return "the entity has no guarantee policy"
    if invoice.client_blocked:
        return "the client is blocked"
    if invoice.disputed:
        return "the invoice is disputed"
    if policy.require_eu_client and not invoice.client_in_eu:
        return "the client is not established in the EU"
    if policy.require_confirmed_order and not invoice.confirmed_order:
        return "the client did not confirm an order form"
    return None


@dataclass(frozen=True)
class Cover:
    """Part of a payslip's work budget the fund advances against one invoice."""

    activity_id: int
    invoice_id: int
    client_id: int
    amount: Decimal


def _room(limit: Decimal | None, used: Decimal) -> Decimal:
    return Decimal("Infinity") if limit is None else max(limit - used, ZERO)


@dataclass
class CoverBook:
    """What the fund can still advance, per activity, during one payroll chunk. `plan` tries a
    payslip's needs without changing the book; `take` books a plan once the payslip is paid."""

    policy: Policy
    invoices: dict[int, list[OpenInvoice]]  # by activity, oldest first
    used_by_client: dict[int, Decimal] = field(default_factory=dict)
    used_by_activity: dict[int, Decimal] = field(default_factory=dict)
    taken: dict[int, Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))

    def uncollected(self, activity_id: int) -> Decimal:
        return sum((i.uncollected for i in self.invoices.get(activity_id, [])), start=ZERO)

    def advanced(self, activity_id: int) -> Decimal:
        return sum((i.advanced for i in self.invoices.get(activity_id, [])), start=ZERO)

    def plan(self, needs: list[tuple[int, Decimal]]) -> list[Cover] | None:
        """Covers for each (activity, amount needed), oldest invoices first; None if the fund
        cannot cover all of them within the policy."""
        by_client = defaultdict(lambda: ZERO, self.used_by_client)
        by_activity = defaultdict(lambda: ZERO, self.used_by_activity)
        taken = defaultdict(lambda: ZERO, self.taken)
        covers: list[Cover] = []
        for activity_id, needed in needs:
            rest = needed
            for invoice in self.invoices.get(activity_id, []):
                if rest <= 0:
                    break
                if why_not_covered(self.policy, invoice) is not None:
                    continue
                room = min(
                    invoice.uncollected - invoice.advanced - taken[invoice.invoice_id],
                    _room(self.policy.limit_per_client, by_client[invoice.client_id]),
                    _room(self.policy.limit_per_activity, by_activity[activity_id]),
                    rest,
                )
                if room <= 0:
                    continue
                covers.append(Cover(activity_id, invoice.invoice_id, invoice.client_id, room))
                taken[invoice.invoice_id] += room
                by_client[invoice.client_id] += room
                by_activity[activity_id] += room
                rest -= room
            if rest > 0:
                return None
        return covers

    def take(self, covers: list[Cover]) -> None:
        for cover in covers:
            self.taken[cover.invoice_id] += cover.amount
            self.used_by_client[cover.client_id] = (
                self.used_by_client.get(cover.client_id, ZERO) + cover.amount
            )
            self.used_by_activity[cover.activity_id] = (
                self.used_by_activity.get(cover.activity_id, ZERO) + cover.amount
            )

    def guaranteed(self, activity_id: int) -> Decimal:
        """What the fund could still advance for the activity alone."""
        room = ZERO
        for invoice in self.invoices.get(activity_id, []):
            if why_not_covered(self.policy, invoice) is None:
                room += max(invoice.uncollected - invoice.advanced, ZERO)
        room -= sum(
            (self.taken[i.invoice_id] for i in self.invoices.get(activity_id, [])), start=ZERO
        )
        by_activity = _room(
            self.policy.limit_per_activity, self.used_by_activity.get(activity_id, ZERO)
        )
        return max(min(room, by_activity), ZERO)

    def not_covered(self, activity_id: int, limit: int = 3) -> list[str]:
        """Why unpaid invoices of the activity do not count: 'number (reason)'."""
        reasons = []
        for invoice in self.invoices.get(activity_id, []):
            why = why_not_covered(self.policy, invoice)
            if why is not None:
                reasons.append(f"{invoice.number} ({why})")
        return reasons[:limit]


def release_on_payment(open_amount: Decimal, share_paid: Decimal, *, fully_paid: bool) -> Decimal:
    """What a client's payment releases of the fund's open advances on its invoice: the
    payment repays the fund first; a fully paid invoice releases everything."""
    if fully_paid:
        return open_amount
    return min(open_amount, max(share_paid, ZERO))


def write_off_split(
    due: Decimal, share_due: Decimal, open_advanced: Decimal
) -> tuple[Decimal, Decimal]:
    """(covered by the fund, charged to the activity) of a debt of `due` given up. The activity
    loses the part of its share the fund did not advance; the fund absorbs the rest (what it
    advanced, plus the VAT and fee parts of the lost amount)."""
    uncovered = min(max(share_due - open_advanced, ZERO), due)
    return due - uncovered, uncovered


def fund_share(fees: Decimal, share: Decimal) -> Decimal:
    return (fees * share).quantize(CENT, rounding=ROUND_HALF_UP)


def order_advance_room(
    policy: Policy, order_share: Decimal, already: Decimal, client_room: Decimal
) -> Decimal:
    """What may still be advanced on a confirmed order form whose activity share is
    `order_share`, with `already` advanced or asked on it."""
    if not policy.guarantees:
        return ZERO
    cap = (order_share * policy.order_advance_share).quantize(CENT, rounding=ROUND_HALF_UP)
    return max(min(cap - already, client_room), ZERO)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days (Monday to Friday) after `start`."""
    day, left = start, days
    while left > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day


def age_bucket(granted_on: dt.date, on: dt.date) -> str:
    age = (on - granted_on).days
    if age <= 30:
        return AGE_BUCKETS[0]
    if age <= 60:
        return AGE_BUCKETS[1]
    if age <= 90:
        return AGE_BUCKETS[2]
    return AGE_BUCKETS[3]


def ageing(rows: list[tuple[dt.date, Decimal]], on: dt.date) -> dict[str, Decimal]:
    """Open exposure by age since the advance: 0-30, 31-60, 61-90, 90+ days."""
    buckets = dict.fromkeys(AGE_BUCKETS, ZERO.quantize(CENT))
    for granted_on, amount in rows:
        buckets[age_bucket(granted_on, on)] += amount
    return buckets


def coverage_ratio(balance: Decimal, exposure: Decimal) -> Decimal | None:
    """Fund balance / exposure, two decimals; None when nothing is exposed."""
    if exposure <= 0:
        return None
    return (balance / exposure).quantize(CENT, rounding=ROUND_HALF_UP)
