import datetime as dt
from decimal import Decimal

import pytest

from mutua.core.errors import StateConflict
from mutua.entities.models import Entity
from mutua.ledger import queries
from mutua.ledger.actions import close_period, reverse_entry
from mutua.ledger.models import Entry, Period
from tests.ledger.conftest import make_activity, post, sale


def test_a_reversal_mirrors_the_entry_and_brings_balances_back_to_zero(books_be: Entity) -> None:
    activity = make_activity(books_be)
    entry = post(sale(books_be, "250.00", activity=activity))
    reversal = reverse_entry(entry, acting_user=None)
    assert reversal.reverses == entry and reversal.number == 2
    assert [(ln.debit, ln.credit) for ln in reversal.lines.order_by("id")] == [
        (0, Decimal("250.00")),
        (Decimal("250.00"), 0),
    ]
    assert all(row.balance == 0 for row in queries.trial_balance(books_be))
    assert queries.activity_balance(activity) == 0


def test_reversing_twice_returns_the_same_reversal(books_be: Entity) -> None:
    entry = post(sale(books_be))
    first = reverse_entry(entry, acting_user=None)
    assert reverse_entry(entry, acting_user=None).pk == first.pk
    assert Entry.objects.count() == 2


def test_an_entry_reversed_under_another_key_cannot_be_reversed_again(books_be: Entity) -> None:
    entry = post(sale(books_be))
    reverse_entry(entry, acting_user=None, idempotency_key="fix-1")
    with pytest.raises(StateConflict, match="already reversed"):
        reverse_entry(entry, acting_user=None, idempotency_key="fix-2")


def test_a_reversal_is_not_itself_reversed(books_be: Entity) -> None:
    reversal = reverse_entry(post(sale(books_be)), acting_user=None)
    with pytest.raises(StateConflict):
        reverse_entry(reversal, acting_user=None)


def test_an_entry_of_a_closed_period_is_reversed_in_an_open_one(books_be: Entity) -> None:
    entry = post(sale(books_be, on=dt.date(2025, 3, 14)))
    close_period(
        period=Period.objects.get(entity=books_be, start=dt.date(2025, 3, 1)), acting_user=None
    )
    with pytest.raises(StateConflict, match="closed"):
        reverse_entry(entry, acting_user=None)
    reversal = reverse_entry(entry, acting_user=None, on=dt.date(2025, 4, 1))
    assert reversal.date == dt.date(2025, 4, 1)
    assert queries.trial_balance(books_be, dt.date(2025, 3, 31))[0].balance == Decimal("1000.00")
    assert queries.trial_balance(books_be, dt.date(2025, 4, 1))[0].balance == 0
