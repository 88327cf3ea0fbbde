"""Property tests: whatever sequence of postings, reversals and period closings happens, the
books stay balanced, the balances equal the sum of the entries, and numbering has no gap."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mutua.core.errors import StateConflict
from mutua.entities.models import Entity
from mutua.ledger import queries
from mutua.ledger.actions import close_period, post_entries_bulk, reverse_entry
from mutua.ledger.drafts import EntryDraft, LineDraft
from mutua.ledger.models import Entry, Line, Period
from tests.ledger.conftest import make_activity, post

ACCOUNTS = ["400000", "550000", "612000", "620200", "700000", "489000"]
cents = st.integers(min_value=1, max_value=10_000_000).map(lambda c: Decimal(c).scaleb(-2))
line_parts = st.tuples(st.sampled_from(ACCOUNTS), cents, st.sampled_from([None, 0, 1]))
posting = st.tuples(
    st.just("post"),
    st.sampled_from(["VEN", "OD", "SAL"]),
    st.integers(1, 12),
    st.lists(line_parts, min_size=1, max_size=4),
)
reversal = st.tuples(st.just("reverse"), st.integers(0, 50))
closing = st.tuples(st.just("close"), st.integers(1, 12))
batch = st.tuples(st.just("bulk"), st.lists(st.tuples(st.integers(1, 12), cents), max_size=5))
operations = st.lists(st.one_of(posting, posting, reversal, closing, batch), max_size=12)


def draft_of(
    entity: Entity, journal: str, month: int, parts: list[Any], activities: list[Any]
) -> EntryDraft:
    """Balanced by construction: each part is a debit, offset by one credit on the bank."""
    lines = [
        LineDraft(code, debit=amount, activity_id=activities[a].pk if a is not None else None)
        for code, amount, a in parts
    ]
    total = sum((line.debit for line in lines), start=Decimal(0))
    lines.append(LineDraft("550000", credit=total, activity_id=activities[0].pk))
    return EntryDraft(entity.pk, journal, dt.date(2025, month, 15), "Random", tuple(lines))


def apply(entity: Entity, op: tuple[Any, ...], activities: list[Any], n: int) -> None:
    try:
        if op[0] == "post":
            post(draft_of(entity, op[1], op[2], op[3], activities), key=f"p{n}")
        elif op[0] == "bulk":
            drafts = [draft_of(entity, "OD", m, [("612000", a, 1)], activities) for m, a in op[1]]
            keys = [f"b{n}.{i}" for i in range(len(drafts))]
            post_entries_bulk(drafts, acting_user=None, idempotency_keys=keys)
        elif op[0] == "reverse":
            entries = list(Entry.objects.filter(reverses__isnull=True, reversals__isnull=True))
            if entries:
                reverse_entry(entries[op[1] % len(entries)], acting_user=None)
        else:
            period = Period.objects.get(entity=entity, start=dt.date(2025, op[1], 1))
            close_period(period=period, acting_user=None)
    except StateConflict:
        pass  # a closed period or an already closed one: refused, and the books must not move


def check_books(entity: Entity, activities: list[Any]) -> None:
    rows = queries.trial_balance(entity)
    assert sum(r.debit for r in rows) == sum(r.credit for r in rows)
    assert queries.verify_books([entity]) == []  # aggregates == lines, every entry balanced, no gap
    for activity in activities:
        lines = Line.objects.filter(activity=activity, account__counts_in_budget=True)
        sums = lines.aggregate(d=Sum("debit"), c=Sum("credit"))
        expected = (sums["c"] or 0) - (sums["d"] or 0)
        assert queries.activity_balance(activity) == expected


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=operations)
def test_any_sequence_of_operations_keeps_the_books_consistent(
    books_be: Entity, ops: list[Any]
) -> None:
    with transaction.atomic():
        activities = [make_activity(books_be), make_activity(books_be)]
        for n, op in enumerate(ops):
            apply(books_be, op, activities, n)
        check_books(books_be, activities)
        transaction.set_rollback(True)
