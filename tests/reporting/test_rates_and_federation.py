"""Reference rates from the ECB file and the federation view in one currency: a malformed file
stores nothing; conversion uses the year's average for flows and the last rate for positions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from mutua.core.errors import InvalidInput
from mutua.reporting.federation import federation_view
from mutua.reporting.models import ExchangeRate
from mutua.reporting.rates import conversion, import_rates, parse_rates
from tests.banking.conftest import shop_for

# Shaped like the ECB's eurofxref-hist.csv (trailing comma included).
HISTORY = (
    b"Date,USD,JPY,SEK,HUF,\n"
    b"2026-12-31,1.1000,160.00,11.0000,400.00,\n"
    b"2026-06-30,1.0800,N/A,12.0000,390.00,\n"
    b"2025-12-31,1.0500,155.00,11.5000,N/A,\n"
)
DAILY = b"Date, USD, SEK, \n27 November 2026, 1.0950, 11.2500, \n"


@pytest.mark.django_db
def test_the_history_file_is_imported_once_whatever_the_times() -> None:
    assert import_rates(data=HISTORY, source="eurofxref-hist.csv") == 10
    assert import_rates(data=HISTORY, source="eurofxref-hist.csv") == 10
    assert ExchangeRate.objects.count() == 10
    sek = ExchangeRate.objects.get(currency="SEK", day=dt.date(2026, 6, 30))
    assert sek.per_euro == Decimal("12.000000")


@pytest.mark.django_db
def test_the_daily_file_and_a_currency_filter() -> None:
    assert import_rates(data=DAILY, source="eurofxref.csv", only={"SEK"}) == 1
    assert ExchangeRate.objects.get().day == dt.date(2026, 11, 27)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "first column"),
        (b"Day,USD\n2026-01-01,1.1\n", "first column"),
        (b"Date,usd\n2026-01-01,1.1\n", "not a currency code"),
        (b"Date,USD\n2026-13-01,1.1\n", "not a date"),
        (b"Date,USD\n2026-01-01,abc\n", "not a number"),
        (b"Date,USD\n2026-01-01,-1\n", "above zero"),
        (b"Date,USD\n2026-01-01,N/A\n", "no rate"),
        (b"\xff\xfe\x00D", "UTF-8"),
    ],
)
def test_a_malformed_file_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_rates(data)


@pytest.mark.django_db
def test_a_bad_line_stores_nothing() -> None:
    with pytest.raises(InvalidInput):
        import_rates(data=HISTORY + b"2026-01-02,oops,1,1,1,\n", source="x.csv")
    assert ExchangeRate.objects.count() == 0


@pytest.mark.django_db
def test_conversion_uses_the_average_for_flows_and_the_last_rate_for_positions() -> None:
    import_rates(data=HISTORY, source="eurofxref-hist.csv")
    sek = conversion("SEK", "EUR", 2026)
    assert sek.average == Decimal(1) / Decimal("11.5")  # average of 11 and 12 SEK per euro
    assert sek.flow(Decimal("1150.00")) == Decimal("100.00")
    assert sek.position(Decimal("1100.00")) == Decimal("100.00")  # 11 SEK per euro on 31 Dec
    usd = conversion("SEK", "USD", 2026)  # cross rate through the euro
    assert usd.position(Decimal("1100.00")) == Decimal("110.00")
    assert not conversion("SEK", "EUR", 2024).possible


@pytest.mark.django_db
def test_the_federation_totals_convert_each_entity() -> None:
    be, se = shop_for("BE"), shop_for("SE")
    be.invoice("1000.00")
    se.invoice("11500.00")
    import_rates(data=HISTORY, source="eurofxref-hist.csv")
    view = federation_view([be.entity, se.entity], 2026, "EUR")
    assert [row.indicators.entity for row in view.rows] == ["BE", "SE"]
    assert view.rows[1].converted["turnover"] == Decimal("1000.00")
    assert view.totals["turnover"] == Decimal("2000.00")
    assert view.totals["members_active"] == 2 and view.not_converted == []
    ExchangeRate.objects.all().delete()
    view = federation_view([be.entity, se.entity], 2026, "EUR")
    assert view.not_converted == ["SE"] and view.totals["turnover"] == Decimal("1000.00")
