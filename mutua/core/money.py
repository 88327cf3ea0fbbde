"""Exact money: a frozen amount in one currency.

Rules (DESIGN.md §4): Decimal only, floats refused, mixed currencies refused, rounding only where a
caller asks for it with an explicit mode, and splits that never lose or invent a cent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from mutua.core.errors import CurrencyMismatch, InvalidAmount

# ISO 4217 minor units for the currencies the federation uses; 2 unless listed.
_MINOR_UNITS = {"JPY": 0, "KRW": 0, "ISK": 0, "CLP": 0, "BHD": 3, "KWD": 3, "TND": 3}


def minor_units(currency: str) -> int:
    return _MINOR_UNITS.get(currency, 2)


def to_decimal(value: object) -> Decimal:
    """Turn an int, str or Decimal into a Decimal; floats are refused because they are inexact."""
    if isinstance(value, bool | float):
        raise InvalidAmount(f"refused {type(value).__name__} {value!r}: use Decimal or str")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int | str):
        try:
            result = Decimal(value)
        except InvalidOperation as exc:
            raise InvalidAmount(f"not an amount: {value!r}") from exc
    else:
        raise InvalidAmount(f"not an amount: {value!r}")
    if not result.is_finite():
        raise InvalidAmount(f"not a finite amount: {value!r}")
    return result


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", to_decimal(self.amount))
        if not (
            isinstance(self.currency, str) and len(self.currency) == 3 and self.currency.isupper()
        ):
            raise InvalidAmount(f"currency must be an ISO 4217 code, got {self.currency!r}")

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal("0"), currency)

    @classmethod
    def of(cls, amount: object, currency: str) -> Money:
        return cls(to_decimal(amount), currency)

    # --- arithmetic -------------------------------------------------------------------------
    def _same(self, other: object) -> Money:
        if not isinstance(other, Money):
            raise InvalidAmount(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise CurrencyMismatch(f"cannot combine {self.currency} with {other.currency}")
        return other

    def __add__(self, other: Money) -> Money:
        return Money(self.amount + self._same(other).amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        return Money(self.amount - self._same(other).amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __abs__(self) -> Money:
        return Money(abs(self.amount), self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        return Money(self.amount * to_decimal(factor), self.currency)

    __rmul__ = __mul__

    def __truediv__(self, divisor: Decimal | int) -> Money:
        divisor = to_decimal(divisor)
        if divisor == 0:
            raise InvalidAmount("division by zero")
        return Money(self.amount / divisor, self.currency)

    # --- comparisons (same currency only) ----------------------------------------------------
    def __lt__(self, other: Money) -> bool:
        return self.amount < self._same(other).amount

    def __le__(self, other: Money) -> bool:
        return self.amount <= self._same(other).amount

    def __gt__(self, other: Money) -> bool:
        return self.amount > self._same(other).amount

    def __ge__(self, other: Money) -> bool:
        return self.amount >= self._same(other).amount

    def is_zero(self) -> bool:
        return self.amount == 0

    def is_negative(self) -> bool:
        return self.amount < 0

    # --- rounding and splitting --------------------------------------------------------------
    @property
    def quantum(self) -> Decimal:
        return Decimal(1).scaleb(-minor_units(self.currency))

    def rounded(self, *, rounding: str) -> Money:
        """Round to the currency's minor unit with an explicit mode (e.g. ROUND_HALF_UP)."""
        return Money(self.amount.quantize(self.quantum, rounding=rounding), self.currency)

    def is_rounded(self) -> bool:
        return self.amount == self.amount.quantize(self.quantum)

    def allocate(self, ratios: Sequence[Decimal | int]) -> list[Money]:
        """Split into parts proportional to `ratios`, exact to the cent (largest remainder).

        The parts always add up to the amount; leftover cents go to the largest remainders,
        ties to the earliest part, so the result is deterministic.
        """
        weights = [to_decimal(r) for r in ratios]
        if not weights or any(w < 0 for w in weights) or sum(weights) == 0:
            raise InvalidAmount("ratios must be non-negative and not all zero")
        if not self.is_rounded():
            raise InvalidAmount("round the amount before allocating it")
        total_units = int(self.amount / self.quantum)
        sign = -1 if total_units < 0 else 1
        total_units = abs(total_units)
        weight_sum = sum(weights)
        exact = [Decimal(total_units) * w / weight_sum for w in weights]
        units = [int(e) for e in exact]  # floor, since all are >= 0
        leftover = total_units - sum(units)
        by_remainder = sorted(range(len(units)), key=lambda i: (-(exact[i] - units[i]), i))
        for i in by_remainder[:leftover]:
            units[i] += 1
        return [Money(Decimal(sign * u) * self.quantum, self.currency) for u in units]

    def split(self, parts: int) -> list[Money]:
        """Split into `parts` equal shares differing by at most one minor unit."""
        if parts <= 0:
            raise InvalidAmount("parts must be positive")
        return self.allocate([1] * parts)

    def __str__(self) -> str:
        return f"{self.amount:.{minor_units(self.currency)}f} {self.currency}"


def in_minor_units(amount: Decimal, currency: str) -> Decimal:
    """An exact amount written with its currency's decimals (a sum from the database may come
    back as 1402.5); refuses to round an amount that has more decimals than the currency."""
    quantum = Decimal(1).scaleb(-minor_units(currency))
    shown = amount.quantize(quantum)
    if shown != amount:
        raise InvalidAmount(f"{amount} has more decimals than {currency} allows")
    return shown


# DecimalField(18, 2): sixteen digits before the point. Larger figures cannot be stored.
LARGEST_STORED = Decimal(10) ** 16


def checked_cents(value: object, *, field: str, allow_zero: bool = True) -> Decimal:
    """An amount typed by a person: finite, not negative, in cents, small enough to store.
    Checked before any quantize, which would raise on huge values instead of explaining."""
    if not isinstance(value, Decimal) or not value.is_finite():
        raise InvalidAmount("give an amount", field=field)
    if value < 0 or (value == 0 and not allow_zero):
        raise InvalidAmount("the amount must be more than zero", field=field)
    if value >= LARGEST_STORED:
        raise InvalidAmount("this amount is too large", field=field)
    if value != value.quantize(Decimal("0.01")):
        raise InvalidAmount("amounts are in cents", field=field)
    return value.quantize(Decimal("0.01"))
