import datetime as dt

import pytest

from mutua.core.errors import StateConflict
from mutua.core.models import AuditEvent
from mutua.entities.models import Entity
from mutua.ledger.actions import close_period
from mutua.ledger.models import Period
from tests.conftest import make_user
from tests.ledger.conftest import post, sale


def march(entity: Entity) -> Period:
    return Period.objects.get(entity=entity, start=dt.date(2025, 3, 1))


def test_a_closed_period_refuses_postings(books_be: Entity) -> None:
    close_period(period=march(books_be), acting_user=make_user())
    with pytest.raises(StateConflict, match="2025-03 is closed"):
        post(sale(books_be, on=dt.date(2025, 3, 31)))
    assert post(sale(books_be, on=dt.date(2025, 4, 1))).number == 1


def test_a_period_closes_once_and_the_closing_is_audited(books_be: Entity) -> None:
    user = make_user()
    period = close_period(period=march(books_be), acting_user=user)
    assert period.closed_by == user and period.is_closed
    with pytest.raises(StateConflict):
        close_period(period=march(books_be), acting_user=user)
    assert AuditEvent.objects.filter(action="ledger.close_period").count() == 1


def test_a_batch_touching_a_closed_period_is_refused_whole(books_be: Entity) -> None:
    from mutua.ledger.actions import post_entries_bulk

    close_period(period=march(books_be), acting_user=None)
    drafts = [sale(books_be, on=dt.date(2025, 4, 2)), sale(books_be, on=dt.date(2025, 3, 2))]
    with pytest.raises(StateConflict):
        post_entries_bulk(drafts, acting_user=None, idempotency_keys=["a", "b"])
