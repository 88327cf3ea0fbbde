"""The fund's pure rules: shares, releases, write-off splits, ageing, limits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from mutua.fund import rules

ON = dt.date(2026, 6, 30)


def open_invoice(
    pk: int, client: int = 1, uncollected: str = "1000.00", **flags: bool
) -> rules.OpenInvoice:
    values = {
        "confirmed_order": True,
        "client_in_eu": True,
        "client_blocked": False,
        "disputed": False,
        **flags,
    }
    return rules.OpenInvoice(pk, f"INV{pk}", 7, client, D(uncollected), D("0"), **values)


def test_the_activity_share_of_a_partial_due_is_rounded_once() -> None:
    assert rules.activity_share(D("2000"), D("130"), D("2420"), D("2420")) == D("1870")
    assert rules.activity_share(D("2000"), D("130"), D("2420"), D("1000")) == D("772.73")
    assert rules.activity_share(D("2000"), D("130"), D("2420"), D("0")) == 0


def test_a_payment_repays_the_fund_first_and_a_full_one_releases_all() -> None:
    assert rules.release_on_payment(D("500"), D("300"), fully_paid=False) == D("300")
    assert rules.release_on_payment(D("500"), D("800"), fully_paid=False) == D("500")
    assert rules.release_on_payment(D("500"), D("0.01"), fully_paid=True) == D("500")


def test_the_activity_bears_only_what_the_fund_did_not_advance() -> None:
    assert rules.write_off_split(D("2420"), D("1870"), D("1350")) == (D("1900"), D("520"))
    assert rules.write_off_split(D("2420"), D("1870"), D("1870")) == (D("2420"), D("0"))
    assert rules.write_off_split(D("2420"), D("1870"), D("0")) == (D("550"), D("1870"))


def test_ageing_buckets_and_coverage() -> None:
    rows = [
        (ON, D("1")),
        (ON - dt.timedelta(45), D("2")),
        (ON - dt.timedelta(75), D("3")),
        (ON - dt.timedelta(200), D("4")),
    ]
    assert list(rules.ageing(rows, ON).values()) == [D("1"), D("2"), D("3"), D("4")]
    assert rules.coverage_ratio(D("100"), D("0")) is None
    assert rules.coverage_ratio(D("100"), D("300")) == D("0.33")


def test_working_days_skip_weekends() -> None:
    assert rules.add_working_days(dt.date(2026, 4, 8), 7) == dt.date(2026, 4, 17)


def test_the_plan_respects_eligibility_and_the_client_limit() -> None:
    policy = rules.Policy(limit_per_client=D("1200"))
    book = rules.CoverBook(
        policy,
        {7: [open_invoice(1, client_blocked=True), open_invoice(2), open_invoice(3)]},
        used_by_client={1: D("100")},
    )
    covers = book.plan([(7, D("1100"))])
    assert covers == [rules.Cover(7, 2, 1, D("1000")), rules.Cover(7, 3, 1, D("100"))]
    assert book.plan([(7, D("1101"))]) is None  # the client's limit (1200, 100 used)
    assert book.guaranteed(7) == D("2000") and book.not_covered(7) == [
        "INV1 (the client is blocked)"
    ]
    assert covers is not None
    book.take(covers)
    assert book.plan([(7, D("0.01"))]) is None
    assert rules.CoverBook(rules.NO_POLICY, {7: [open_invoice(1)]}).plan([(7, D("1"))]) is None


@given(
    st.lists(
        st.tuples(
            st.integers(1, 3), st.integers(0, 200_000), st.integers(0, 50_000), st.booleans()
        ),
        min_size=1,
        max_size=6,
    ),
    st.integers(0, 300_000),
    st.one_of(st.none(), st.integers(0, 200_000)),
    st.one_of(st.none(), st.integers(0, 300_000)),
)
def test_a_plan_never_exceeds_an_invoice_a_client_or_an_activity(
    rows: list[tuple[int, int, int, bool]],
    need_cents: int,
    client_limit: int | None,
    activity_limit: int | None,
) -> None:
    cent = D("0.01")
    invoices = [
        rules.OpenInvoice(
            n,
            f"I{n}",
            7,
            client,
            D(left) * cent,
            min(D(advanced), D(left)) * cent,
            eligible,
            True,
            False,
            False,
        )
        for n, (client, left, advanced, eligible) in enumerate(rows)
    ]
    policy = rules.Policy(
        limit_per_client=None if client_limit is None else D(client_limit) * cent,
        limit_per_activity=None if activity_limit is None else D(activity_limit) * cent,
    )
    book = rules.CoverBook(policy, {7: invoices})
    need = D(need_cents) * cent
    covers = book.plan([(7, need)])
    if covers is None:
        return
    assert sum((c.amount for c in covers), D(0)) == need
    by_invoice = {i.invoice_id: i for i in invoices}
    for cover in covers:
        invoice = by_invoice[cover.invoice_id]
        assert invoice.confirmed_order and cover.amount > 0
        assert cover.amount <= invoice.uncollected - invoice.advanced
    if policy.limit_per_activity is not None:
        assert need <= policy.limit_per_activity
    if policy.limit_per_client is not None:
        for client in {c.client_id for c in covers}:
            taken = sum((c.amount for c in covers if c.client_id == client), D(0))
            assert taken <= policy.limit_per_client
