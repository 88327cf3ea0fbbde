"""The election count: published and hand-worked STV examples, plurality, and properties."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mutua.core.errors import InvalidInput
from mutua.governance.counting import (
    PLURALITY,
    STV,
    ballot_lines,
    count,
    count_file,
    parse_ballots,
)


def ballots_of(groups: list[tuple[int, str]]) -> list[tuple[str, ...]]:
    return [
        tuple(n.strip() for n in text.split(">")) for copies, text in groups for _ in range(copies)
    ]


# Source: Wikipedia, "Single transferable vote", section "Example" (the food election:
# 20 voters, 3 seats, Droop quota 6; elected Chocolate, Oranges, Strawberries).
FOOD = ballots_of(
    [
        (4, "Orange"),
        (2, "Pear > Orange"),
        (8, "Chocolate > Strawberry"),
        (4, "Chocolate > Hamburger"),
        (1, "Strawberry"),
        (1, "Hamburger"),
    ]
)


def test_it_elects_the_published_food_election() -> None:
    result = count(FOOD, seats=3, method=STV)
    assert result.quota == 6
    assert result.elected == ("Chocolate", "Orange", "Strawberry")
    # Chocolate's surplus of 6 moves at 6/12: Strawberry 1 + 8 x 0.5, Hamburger 1 + 4 x 0.5.
    after_surplus = result.rounds[1]
    assert after_surplus.transferred_from == "Chocolate"
    assert after_surplus.transfer_value == Decimal("0.5")
    assert after_surplus.tallies["Strawberry"] == 5
    assert after_surplus.tallies["Hamburger"] == 3
    assert result.rounds[2].excluded == ("Pear",)


def test_it_transfers_surpluses_at_a_truncated_fractional_value() -> None:
    """Hand-worked: 13 ballots, 2 seats, quota 13 // 3 + 1 = 5.

    Round 1: A 7, C 3, D 2, B 1: A elected, surplus 2, value 2/7 = 0.28571 (truncated).
    B gets 5 x 0.28571 = 1.42855 (2.42855); C gets 2 x 0.28571 = 0.57142 (3.57142);
    7 x 0.28571 = 1.99997 moved, 0.00003 lost to truncation.
    D (2) is last and excluded: D > C moves 2 to C (5.57142), who reaches the quota.
    """
    ballots = ballots_of([(5, "A > B"), (2, "A > C"), (3, "C"), (2, "D > C"), (1, "B")])
    result = count(ballots, seats=2, method=STV)
    assert result.quota == 5
    assert result.elected == ("A", "C")
    transfer = result.rounds[1]
    assert transfer.transfer_value == Decimal("0.28571")
    assert transfer.tallies["B"] == Decimal("2.42855")
    assert transfer.tallies["C"] == Decimal("3.57142")
    assert transfer.rounding_loss == Decimal("0.00003")
    assert result.rounds[2].excluded == ("D",)
    assert result.rounds[3].tallies["C"] == Decimal("5.57142")


def test_it_elects_the_top_n_by_plurality() -> None:
    ballots = ballots_of([(3, "A > B"), (2, "B > C"), (1, "C"), (1, "D > A")])
    result = count(ballots, seats=2, method=PLURALITY, candidates=["A", "B", "C", "D", "E"])
    assert result.elected == ("B", "A")
    assert result.tallies == {"B": 5, "A": 4, "C": 3, "D": 1, "E": 0}


def test_it_refuses_a_plurality_ballot_choosing_more_than_the_seats() -> None:
    with pytest.raises(InvalidInput, match="chooses 3 candidates for 2 seats"):
        count(ballots_of([(1, "A > B > C")]), seats=2, method=PLURALITY)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("A > > B\n", "line 1: an empty candidate name"),
        ("A\nB > A > B\n", "line 2: a candidate appears twice"),
        ("# candidates: A > B\nA > C\n", "'C' is not a declared candidate"),
    ],
)
def test_it_explains_a_bad_ballot_file(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_ballots(text)


def test_it_refuses_no_seats_and_unknown_methods() -> None:
    with pytest.raises(InvalidInput, match="at least one seat"):
        count(FOOD, seats=0, method=STV)
    with pytest.raises(InvalidInput, match="unknown method"):
        count(FOOD, seats=1, method="borda")


def test_it_reads_back_the_file_it_writes_with_blank_ballots_not_counted() -> None:
    text = ballot_lines(["A", "B", "Z"], [("A", "B"), ("B",)]) + "\n"
    parsed = parse_ballots(text)
    assert parsed.candidates == ("A", "B", "Z")
    assert parsed.ballots == (("A", "B"), ("B",))
    assert parsed.blank == 1
    assert count_file(text, seats=1, method=STV).ballots == 2


rankings = st.lists(
    st.permutations(["A", "B", "C", "D", "E"]).flatmap(
        lambda order: st.integers(1, 5).map(lambda n: tuple(order[:n]))
    ),
    min_size=1,
    max_size=60,
)


@settings(max_examples=60, deadline=None)
@given(ballots=rankings, seats=st.integers(1, 4), seed=st.integers(0, 2**32))
def test_the_stv_count_does_not_depend_on_ballot_order(
    ballots: list[tuple[str, ...]], seats: int, seed: int
) -> None:
    shuffled = list(ballots)
    random.Random(seed).shuffle(shuffled)
    names = ["A", "B", "C", "D", "E"]
    first = count(ballots, seats=seats, method=STV, candidates=names)
    again = count(shuffled, seats=seats, method=STV, candidates=names)
    assert first.as_dict() == again.as_dict()
    assert len(first.elected) == seats


@settings(max_examples=60, deadline=None)
@given(ballots=rankings, seats=st.integers(1, 4), seed=st.integers(0, 2**32))
def test_plurality_winners_are_the_top_n_whatever_the_order(
    ballots: list[tuple[str, ...]], seats: int, seed: int
) -> None:
    names = ["A", "B", "C", "D", "E"]
    choices = [ranking[:seats] for ranking in ballots]
    shuffled = list(choices)
    random.Random(seed).shuffle(shuffled)
    result = count(choices, seats=seats, method=PLURALITY, candidates=names)
    losers = set(names) - set(result.elected)
    assert min(result.tallies[name] for name in result.elected) >= max(
        result.tallies[name] for name in losers
    )
    assert count(shuffled, seats=seats, method=PLURALITY, candidates=names) == result


@settings(max_examples=40, deadline=None)
@given(ballots=rankings)
def test_a_majority_of_first_preferences_wins_a_single_seat(ballots: list[tuple[str, ...]]) -> None:
    firsts = [ranking[0] for ranking in ballots]
    leader = max(set(firsts), key=firsts.count)
    result = count(ballots, seats=1, method=STV)
    if firsts.count(leader) * 2 > len(ballots):
        assert result.elected == (leader,)
