import datetime as dt
from decimal import Decimal

from mutua.contracts.forecast import smoothing_forecast

NEXT = dt.date(2026, 12, 1)


def test_the_budget_lasts_whole_months_from_next_month() -> None:
    forecast = smoothing_forecast(
        budget=Decimal("10000.00"), monthly_work_budgets=[Decimal("2400.00")], next_month=NEXT
    )
    assert forecast is not None
    assert forecast.full_months == 4  # 4 x 2400 = 9600 <= 10000 < 5 x 2400
    assert forecast.last_paid_month == dt.date(2027, 3, 1)
    assert not forecast.warn


def test_it_warns_while_there_is_still_time_to_act() -> None:
    forecast = smoothing_forecast(
        budget=Decimal("4799.99"),
        monthly_work_budgets=[Decimal("1200.00"), Decimal("1200.00")],
        next_month=NEXT,
    )
    assert forecast is not None and forecast.full_months == 1 and forecast.warn
    assert forecast.last_paid_month == dt.date(2026, 12, 1)


def test_an_empty_or_negative_budget_pays_no_month() -> None:
    forecast = smoothing_forecast(
        budget=Decimal("-50.00"), monthly_work_budgets=[Decimal("1000.00")], next_month=NEXT
    )
    assert forecast is not None and forecast.full_months == 0
    assert forecast.last_paid_month is None and forecast.warn


def test_no_monthly_contract_means_no_forecast() -> None:
    assert smoothing_forecast(budget=Decimal("1"), monthly_work_budgets=[], next_month=NEXT) is None
