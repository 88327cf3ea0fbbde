"""Pure assembly rules: convocation delay, quorum, majorities on each base, colleges."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from mutua.core.errors import RuleViolation
from mutua.governance.tally import (
    Count,
    adopted,
    check_college_weights,
    check_convocation_delay,
    college_count,
    quorum_met,
)


def test_the_convocation_goes_out_at_least_15_days_before_by_default() -> None:
    check_convocation_delay(dt.date(2026, 6, 1), dt.date(2026, 6, 16), 15)
    with pytest.raises(RuleViolation, match="at least 15 days"):
        check_convocation_delay(dt.date(2026, 6, 2), dt.date(2026, 6, 16), 15)
    check_convocation_delay(dt.date(2026, 6, 8), dt.date(2026, 6, 16), 8)


def test_abstentions_do_not_count_on_the_votes_cast() -> None:
    count = Count(for_=D(3), against=D(2), abstain=D(10), present=D(15), eligible=D(40))
    assert adopted(count, "simple", "cast")
    assert not adopted(count, "simple", "present")  # 3 for, 12 not for
    assert adopted(count, "absolute", "cast")  # 3 of 5 cast
    assert not adopted(count, "absolute", "present")  # 3 of 15 present


@pytest.mark.parametrize(
    ("for_", "against", "majority", "passes"),
    [
        (2, 1, "two_thirds", True),
        (199, 101, "two_thirds", False),
        (3, 1, "three_quarters", True),
        (74, 26, "three_quarters", False),
        (5, 0, "unanimity", True),
        (5, 1, "unanimity", False),
        (5, 5, "simple", False),
        (0, 0, "simple", False),
    ],
)
def test_majorities_on_the_votes_cast(for_: int, against: int, majority: str, passes: bool) -> None:
    assert adopted(Count(for_=D(for_), against=D(against)), majority, "cast") is passes


def test_a_majority_of_all_votes_counts_the_absent() -> None:
    count = Count(for_=D(30), against=D(5), present=D(40), eligible=D(100))
    assert adopted(count, "absolute", "present")
    assert not adopted(count, "absolute", "eligible")


def test_quorum_half_of_the_shares() -> None:
    assert quorum_met(D(50), D(100), D("0.5"))
    assert not quorum_met(D(49), D(100), D("0.5"))
    assert quorum_met(D(0), D(100), D(0))


def test_colleges_hold_between_10_and_50_percent() -> None:
    check_college_weights({"A": D("0.5"), "B": D("0.3"), "C": D("0.2")}, D("0.1"), D("0.5"))
    with pytest.raises(RuleViolation, match="between"):
        check_college_weights({"A": D("0.6"), "B": D("0.3"), "C": D("0.1")}, D("0.1"), D("0.5"))
    with pytest.raises(RuleViolation, match="three"):
        check_college_weights({"A": D("0.5"), "B": D("0.5")}, D("0.1"), D("0.5"))


def test_a_college_weighs_its_share_whatever_its_size() -> None:
    """College A (50 %): 1 for, 0 against. B (30 %): 0 for, 100 against. C (20 %): 10 for.
    For = 0.5 + 0.2 = 70 % of the weighted votes cast: adopted at two thirds."""
    per_college = {
        "A": Count(for_=D(1), present=D(1), eligible=D(2)),
        "B": Count(against=D(100), present=D(100), eligible=D(300)),
        "C": Count(for_=D(10), present=D(10), eligible=D(10)),
    }
    weights = {"A": D("0.5"), "B": D("0.3"), "C": D("0.2")}
    combined = college_count(per_college, weights, "cast")
    assert (combined.for_, combined.against) == (D("0.7"), D("0.3"))
    assert adopted(combined, "two_thirds", "cast")
