from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mutua.core.errors import CurrencyMismatch, InvalidAmount
from mutua.core.money import Money


def eur(value: str) -> Money:
    return Money(Decimal(value), "EUR")


def test_it_refuses_floats() -> None:
    with pytest.raises(InvalidAmount):
        Money(0.1, "EUR")  # type: ignore[arg-type]
    with pytest.raises(InvalidAmount):
        eur("1.00") * 1.5  # type: ignore[operator]


def test_it_refuses_mixed_currencies() -> None:
    with pytest.raises(CurrencyMismatch):
        eur("1.00") + Money(Decimal("1.00"), "SEK")
    with pytest.raises(CurrencyMismatch):
        _ = eur("1.00") < Money(Decimal("1.00"), "SEK")


def test_it_refuses_bad_currency_codes_and_non_finite_amounts() -> None:
    with pytest.raises(InvalidAmount):
        Money(Decimal("1"), "eur")
    with pytest.raises(InvalidAmount):
        Money(Decimal("NaN"), "EUR")
    with pytest.raises(InvalidAmount):
        Money.of("abc", "EUR")


def test_it_is_frozen() -> None:
    amount = eur("1.00")
    with pytest.raises(AttributeError):
        amount.amount = Decimal("2")  # type: ignore[misc]


def test_rounding_needs_an_explicit_mode() -> None:
    assert eur("2.345").rounded(rounding=ROUND_HALF_UP) == eur("2.35")
    assert eur("2.345").rounded(rounding=ROUND_HALF_EVEN) == eur("2.34")
    assert eur("-2.345").rounded(rounding=ROUND_HALF_UP) == eur("-2.35")
    with pytest.raises(TypeError):
        eur("2.345").rounded()  # type: ignore[call-arg]


def test_arithmetic_keeps_exact_decimals() -> None:
    assert eur("0.10") + eur("0.20") == eur("0.30")
    assert eur("1000.00") * Decimal("0.065") == eur("65.00000")
    assert -eur("1.00") == eur("-1.00")
    assert str(Money(Decimal("1234.5"), "SEK")) == "1234.50 SEK"


def test_split_never_loses_a_cent() -> None:
    assert eur("100.00").split(3) == [eur("33.34"), eur("33.33"), eur("33.33")]
    assert eur("-0.05").split(2) == [eur("-0.03"), eur("-0.02")]


def test_allocate_by_ratio() -> None:
    parts = eur("1000.00").allocate([Decimal("0.065"), Decimal("0.935")])
    assert parts == [eur("65.00"), eur("935.00")]
    assert eur("0.05").allocate([1, 1, 1]) == [eur("0.02"), eur("0.02"), eur("0.01")]


def test_allocate_refuses_unrounded_amounts_and_bad_ratios() -> None:
    with pytest.raises(InvalidAmount):
        eur("1.005").split(2)
    with pytest.raises(InvalidAmount):
        eur("1.00").allocate([0, 0])
    with pytest.raises(InvalidAmount):
        eur("1.00").allocate([1, -1])


cents = st.integers(min_value=-(10**12), max_value=10**12)
ratios = st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=12).filter(
    lambda r: sum(r) > 0
)


@given(cents, ratios)
def test_allocation_always_adds_up_and_stays_fair(units: int, weights: list[int]) -> None:
    total = Money(Decimal(units).scaleb(-2), "EUR")
    parts = total.allocate(weights)
    assert sum((p.amount for p in parts), Decimal(0)) == total.amount
    assert all(p.is_rounded() for p in parts)
    weight_sum = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        exact = total.amount * weight / weight_sum
        assert abs(part.amount - exact) < Decimal("0.01")
