"""The pure expense rules: flat allowances, VAT in an amount, deadlines, approval limits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from mutua.core.errors import InvalidInput, RuleViolation
from mutua.expenses import rules


def test_mileage_is_km_times_the_rate_in_force_on_the_day_rounded_half_up() -> None:
    before = rules.country_rules("BE", dt.date(2024, 6, 30))
    after = rules.country_rules("BE", dt.date(2024, 7, 1))
    assert (before.mileage_rate, after.mileage_rate) == (D("0.4280"), D("0.4415"))
    # 123 km x 0.4415 = 54.3045 -> 54.30; 125 x 0.4415 = 55.1875 -> 55.19
    assert rules.flat_amount(rules.MILEAGE, D("123"), after) == D("54.30")
    assert rules.flat_amount(rules.MILEAGE, D("125"), after) == D("55.19")


def test_each_country_has_dated_defaults_with_a_source() -> None:
    se = rules.country_rules("SE", dt.date(2025, 3, 1))
    fr = rules.country_rules("FR", dt.date(2025, 3, 1))
    assert se.mileage_rate == D("2.50") and se.per_diem_full == D("290.00")
    assert fr.mileage_rate == D("0.636") and fr.accommodation_ceiling == D("56.10")
    assert rules.country_rules("BE", dt.date(2025, 3, 1)).retention_years == 7
    assert all(rules.country_rules(c, dt.date(2025, 3, 1)).source for c in ("BE", "FR", "SE"))
    with pytest.raises(InvalidInput):
        rules.country_rules("FR", dt.date(2024, 12, 31))


def test_the_vat_in_an_amount_and_the_recoverable_part_never_above_it() -> None:
    be = rules.country_rules("BE", dt.date(2025, 3, 1))
    meal = rules.category("BE", "meals")
    figures = rules.line_figures(
        meal, quantity=None, amount=D("121.00"), vat_rate=D("21"), vat_recoverable=None, rules=be
    )
    assert figures.vat_recoverable == D("21.00")
    with pytest.raises(InvalidInput) as refused:
        rules.line_figures(
            meal,
            quantity=None,
            amount=D("121"),
            vat_rate=D("21"),
            vat_recoverable=D("22"),
            rules=be,
        )
    assert refused.value.field == "vat_recoverable"


def test_accommodation_above_the_ceiling_per_night_is_refused() -> None:
    be = rules.country_rules("BE", dt.date(2025, 3, 1))
    stay = rules.category("BE", "accommodation")
    ok = rules.line_figures(
        stay, quantity=D("2"), amount=D("312.10"), vat_rate=D("6"), vat_recoverable=D("0"), rules=be
    )
    assert ok.amount == D("312.10")
    with pytest.raises(RuleViolation, match=r"156\.05 a night"):
        rules.line_figures(
            stay,
            quantity=D("2"),
            amount=D("312.11"),
            vat_rate=D("6"),
            vat_recoverable=None,
            rules=be,
        )


def test_last_years_claims_are_due_by_the_yearly_deadline() -> None:
    be = rules.country_rules("BE", dt.date(2025, 12, 1))
    assert rules.claim_deadline(dt.date(2025, 3, 2), be) == dt.date(2026, 1, 15)
    rules.check_line_date(dt.date(2025, 3, 2), dt.date(2026, 1, 15), be)
    with pytest.raises(RuleViolation, match="by 2026-01-15"):
        rules.check_line_date(dt.date(2025, 3, 2), dt.date(2026, 1, 16), be)
    with pytest.raises(InvalidInput, match="future"):
        rules.check_line_date(dt.date(2026, 1, 17), dt.date(2026, 1, 16), be)


def test_approval_limit_is_the_best_of_the_roles_held() -> None:
    limits = {"adviser": D("2500"), "administrator": None}
    assert rules.approval_limit(["adviser"], limits) == D("2500")
    assert rules.approval_limit(["adviser", "administrator"], limits) is None
    assert rules.approval_limit(["accountant"], limits) == D("0")


def test_self_approval_only_where_allowed_and_strictly_below_the_threshold() -> None:
    be = rules.country_rules("BE", dt.date(2025, 3, 1))
    assert not rules.may_self_approve(D("1"), be)
    allowed = rules.replace(be, self_approval_allowed=True, self_approval_threshold=D("50"))
    assert rules.may_self_approve(D("49.99"), allowed)
    assert not rules.may_self_approve(D("50"), allowed)


def test_the_next_pay_is_the_first_of_the_following_month() -> None:
    assert rules.next_pay_date(dt.date(2025, 12, 31)) == dt.date(2026, 1, 1)
    assert rules.next_pay_date(dt.date(2026, 1, 12)) == dt.date(2026, 2, 1)
