"""Repayment schedules: exact cents, the last instalment absorbs the rounding."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from mutua.services.schedule import repayment_schedule, total_interest

FIRST = dt.date(2025, 1, 31)


def test_an_annuity_has_equal_instalments_but_the_last() -> None:
    plan = repayment_schedule(
        principal=Decimal("10000.00"),
        annual_rate=Decimal("0.05"),
        months=12,
        method="annuity",
        first_due=FIRST,
    )
    assert {i.amount for i in plan[:-1]} == {Decimal("856.07")}  # the annuity formula
    assert plan[0].interest == Decimal("41.67")
    assert sum(i.principal for i in plan) == Decimal("10000.00")
    assert [i.due_date for i in plan[:3]] == [
        dt.date(2025, 1, 31),
        dt.date(2025, 2, 28),
        dt.date(2025, 3, 31),
    ]


def test_an_interest_free_linear_loan_repays_equal_capital() -> None:
    plan = repayment_schedule(
        principal=Decimal("1000.00"),
        annual_rate=Decimal("0"),
        months=3,
        method="linear",
        first_due=FIRST,
    )
    assert [i.amount for i in plan] == [Decimal("333.33"), Decimal("333.33"), Decimal("333.34")]


@given(
    cents=st.integers(min_value=1, max_value=10**9),
    rate=st.decimals(min_value=0, max_value=Decimal("0.25"), places=4),
    months=st.integers(min_value=1, max_value=120),
    method=st.sampled_from(["annuity", "linear"]),
)
def test_instalments_sum_to_principal_plus_interest(
    cents: int, rate: Decimal, months: int, method: str
) -> None:
    principal = Decimal(cents) / 100
    plan = repayment_schedule(
        principal=principal, annual_rate=rate, months=months, method=method, first_due=FIRST
    )
    assert len(plan) == months
    assert sum(i.principal for i in plan) == principal
    assert sum(i.amount for i in plan) == principal + total_interest(plan)
    owed = principal
    for instalment in plan:
        assert instalment.principal >= 0 and instalment.interest >= 0
        assert instalment.amount == instalment.amount.quantize(Decimal("0.01"))
        # Interest is the month's rate on what is still owed, to the nearest cent.
        assert abs(instalment.interest - owed * rate / 12) <= Decimal("0.005")
        owed -= instalment.principal
    assert owed == 0
