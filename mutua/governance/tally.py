"""Pure rules of assembly votes (no ORM): convocation delay, quorum, majorities, vote weights.

Sources: reference/governance.md. Defaults: convocation at least 15 days before; majority of the
votes cast, abstentions not counted (since July 2019 in France; Belgian 6:86 for statute changes);
one member one vote, or one share one vote with nobody voting for more than 1/10 of the votes
present or represented (accredited cooperatives, royal decree of 8 January 1962); colleges each
holding 10 %-50 % of the votes (SCOP/SCIC). All comparisons are exact (no rounding): a two-thirds
majority is `for x 3 >= base x 2`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from mutua.core.errors import InvalidInput, RuleViolation

ZERO = Decimal(0)


def check_convocation_delay(convened_on: dt.date, assembly_on: dt.date, days: int) -> None:
    """The convocation must reach members at least `days` days before the assembly."""
    if (assembly_on - convened_on).days < days:
        raise RuleViolation(
            f"the convocation must be sent at least {days} days before the assembly "
            f"(latest {assembly_on - dt.timedelta(days=days)})",
            field="starts_at",
        )


@dataclass(frozen=True)
class Count:
    """Weighted votes on one item, and the weights present (or represented) and eligible."""

    for_: Decimal = ZERO
    against: Decimal = ZERO
    abstain: Decimal = ZERO
    present: Decimal = ZERO
    eligible: Decimal = ZERO

    @property
    def cast(self) -> Decimal:
        return self.for_ + self.against


def base_of(count: Count, base: str) -> Decimal:
    return {"cast": count.cast, "present": count.present, "eligible": count.eligible}[base]


def adopted(count: Count, majority: str, base: str) -> bool:
    """Whether the item passes under `majority` of the `base` (cast, present or eligible)."""
    total = base_of(count, base)
    if total <= 0 or count.for_ <= 0:
        return False
    if majority == "simple":
        # More for than against; measured on a wider base, abstentions count as "not for".
        return count.for_ > (count.against if base == "cast" else total - count.for_)
    if majority == "absolute":
        return count.for_ * 2 > total
    if majority == "two_thirds":
        return count.for_ * 3 >= total * 2
    if majority == "three_quarters":
        return count.for_ * 4 >= total * 3
    if majority == "unanimity":
        return count.for_ == total and count.against == 0
    raise InvalidInput(f"unknown majority {majority!r}")


def quorum_met(present: Decimal, eligible: Decimal, fraction: Decimal) -> bool:
    """Present or represented at least `fraction` of the eligible (0: no quorum)."""
    if fraction <= 0:
        return True
    return eligible > 0 and present >= eligible * fraction


def share_cap(present_weight: Decimal, cap: Decimal) -> Decimal:
    """The most votes one shareholder may cast: `cap` of the votes present or represented."""
    return present_weight * cap


def check_college_weights(weights: Mapping[str, Decimal], low: Decimal, high: Decimal) -> None:
    """Colleges hold between `low` and `high` of the votes each, 100 % together, at least 3."""
    if len(weights) < 3:
        raise RuleViolation("at least three colleges are needed")
    for code, weight in weights.items():
        if not low <= weight <= high:
            raise RuleViolation(f"college {code} must hold between {low:%} and {high:%} of votes")
    if sum(weights.values(), ZERO) != 1:
        raise RuleViolation("the colleges' weights must add up to 100 %")


def college_count(
    per_college: Mapping[str, Count], weights: Mapping[str, Decimal], base: str
) -> Count:
    """Combine college results: each college's result, as shares of its own base, weighs the
    college's weight. A college with nothing on that base drops out (its weight is not counted).
    The combined count has the same total on every base, so `adopted` reads it with any base."""
    for_, against, abstain, total = ZERO, ZERO, ZERO, ZERO
    for code, count in per_college.items():
        weight, own_base = weights.get(code, ZERO), base_of(count, base)
        if own_base <= 0 or weight <= 0:
            continue
        for_ += weight * count.for_ / own_base
        against += weight * count.against / own_base
        abstain += weight * count.abstain / own_base
        total += weight
    return Count(for_, against, abstain, present=total, eligible=total)
