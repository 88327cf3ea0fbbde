import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.utils import DatabaseError

from mutua.core.errors import (
    DuplicateRequest,
    InvalidAmount,
    InvalidInput,
    RuleViolation,
    StateConflict,
)
from mutua.core.models import AppendOnlyError, AuditEvent
from mutua.entities.models import Entity
from mutua.ledger import queries
from mutua.ledger.actions import post_entry
from mutua.ledger.drafts import EntryDraft, LineDraft
from mutua.ledger.models import Entry, Line
from tests.conftest import make_member, make_user
from tests.ledger.conftest import books, make_activity, make_client, post, sale


def test_it_posts_a_balanced_entry_with_the_first_number_of_the_journal(books_be: Entity) -> None:
    entry = post(sale(books_be))
    assert entry.number == 1
    assert entry.reference == "VEN-2025-000001"
    assert [(ln.debit, ln.credit) for ln in entry.lines.order_by("id")] == [
        (Decimal("1000.00"), 0),
        (0, Decimal("1000.00")),
    ]


def test_numbers_are_consecutive_per_journal_and_fiscal_year(db: Any) -> None:
    entity = books("BE", years=(2024, 2025))
    numbers = [post(sale(entity, on=dt.date(2025, 1, 5))).number for _ in range(3)]
    other_year = post(sale(entity, on=dt.date(2024, 12, 31)))
    misc = post(EntryDraft(entity.pk, "OD", dt.date(2025, 2, 1), "Move", sale(entity).lines))
    assert numbers == [1, 2, 3]
    assert other_year.number == 1 and other_year.fiscal_year.year == 2024
    assert misc.number == 1


def test_an_unbalanced_draft_is_refused(books_be: Entity) -> None:
    draft = EntryDraft(
        books_be.pk,
        "VEN",
        dt.date(2025, 3, 1),
        "Invoice",
        (LineDraft("400000", debit=Decimal("100")), LineDraft("700000", credit=Decimal("99.99"))),
    )
    with pytest.raises(RuleViolation, match="does not balance"):
        post(draft)
    assert not Entry.objects.exists()


def test_the_balance_is_checked_per_currency(books_be: Entity) -> None:
    draft = EntryDraft(
        books_be.pk,
        "OD",
        dt.date(2025, 3, 1),
        "Two currencies",
        (
            LineDraft("550000", debit=Decimal("100"), currency="EUR"),
            LineDraft("700000", credit=Decimal("100"), currency="USD"),
        ),
    )
    with pytest.raises(RuleViolation, match="EUR"):
        post(draft)


@pytest.mark.parametrize(
    "line",
    [
        LineDraft("700000", debit=Decimal("-5")),
        LineDraft("700000", debit=Decimal("5"), credit=Decimal("5")),
        LineDraft("700000"),
        LineDraft("700000", credit=Decimal("0.001")),
    ],
)
def test_a_line_is_one_positive_amount_on_one_side(books_be: Entity, line: LineDraft) -> None:
    draft = EntryDraft(books_be.pk, "OD", dt.date(2025, 3, 1), "x", (LineDraft("550000"), line))
    with pytest.raises(InvalidAmount):
        post(draft)


def test_floats_never_reach_the_books(books_be: Entity) -> None:
    line = LineDraft("550000", debit=0.1)  # type: ignore[arg-type]
    draft = EntryDraft(books_be.pk, "OD", dt.date(2025, 3, 1), "x", (line, line))
    with pytest.raises(InvalidAmount):
        post(draft)


def test_an_unknown_account_or_journal_is_refused(books_be: Entity) -> None:
    with pytest.raises(InvalidInput, match="account"):
        post(sale(books_be, codes=("400000", "999999")))
    with pytest.raises(InvalidInput, match="journal"):
        post(EntryDraft(books_be.pk, "ZZ", dt.date(2025, 3, 1), "x", sale(books_be).lines))


def test_a_date_outside_any_fiscal_year_is_refused(books_be: Entity) -> None:
    with pytest.raises(StateConflict, match="fiscal year"):
        post(sale(books_be, on=dt.date(2030, 1, 1)))


def test_dimensions_of_another_entity_are_refused(books_be: Entity) -> None:
    other = books("FR")
    foreign_activity = make_activity(other)
    with pytest.raises(InvalidInput, match="activity"):
        post(sale(books_be, activity=foreign_activity))
    with pytest.raises(InvalidInput, match="client"):
        post(sale(books_be, client=make_client(other)))
    stranger = make_member(other).person
    line = LineDraft("455000", credit=Decimal("10"), member_id=stranger.pk)
    draft = EntryDraft(
        books_be.pk,
        "SAL",
        dt.date(2025, 3, 1),
        "Pay",
        (LineDraft("620200", debit=Decimal("10")), line),
    )
    with pytest.raises(InvalidInput, match="member"):
        post(draft)


def test_posting_the_same_key_again_returns_the_first_entry(books_be: Entity) -> None:
    first = post(sale(books_be), key="invoice:42")
    again = post(sale(books_be), key="invoice:42")
    assert again.pk == first.pk
    assert Entry.objects.count() == 1
    assert queries.trial_balance(books_be)[0].debit == Decimal("1000.00")


def test_the_same_key_with_other_content_is_refused(books_be: Entity) -> None:
    post(sale(books_be), key="invoice:42")
    with pytest.raises(DuplicateRequest):
        post(sale(books_be, "1000.01"), key="invoice:42")


def test_posting_writes_an_audit_event_naming_the_entry(books_be: Entity) -> None:
    user = make_user()
    entry = post(sale(books_be), user=user)
    event = AuditEvent.objects.get(action="ledger.post_entry")
    assert event.actor == user and event.subject_id == str(entry.pk)
    assert event.after["reference"] == "VEN-2025-000001"
    assert entry.posted_by == user


def test_posted_entries_and_lines_refuse_changes_through_the_orm(books_be: Entity) -> None:
    entry = post(sale(books_be))
    line = entry.lines.first()
    assert line is not None
    entry.label = "rewritten"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        line.delete()


def test_the_database_refuses_updates_of_entries_and_lines(books_be: Entity) -> None:
    entry = post(sale(books_be))
    with pytest.raises(DatabaseError), transaction.atomic():
        Line.objects.filter(entry=entry).update(debit=Decimal("1"))
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_entry SET label = 'x' WHERE id = %s", [entry.pk])
    assert Entry.objects.get(pk=entry.pk).label == "Invoice"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="delete trigger is PostgreSQL-only")
def test_postgresql_refuses_deleting_entries_and_lines(books_be: Entity) -> None:
    entry = post(sale(books_be))
    for table, column in (("ledger_line", "entry_id"), ("ledger_entry", "id")):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE {column} = %s", [entry.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        Line.objects.filter(entry=entry).delete()
    assert Line.objects.filter(entry=entry).count() == 2


def test_the_database_refuses_a_line_with_both_sides(books_be: Entity) -> None:
    entry = post(sale(books_be))
    line = entry.lines.first()
    assert line is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        Line.objects.create(
            entry=entry,
            entity=books_be,
            date=entry.date,
            account=line.account,
            debit=Decimal("1"),
            credit=Decimal("1"),
            currency="EUR",
        )


def test_post_entry_is_importable_as_the_public_action() -> None:
    assert post_entry.__name__ == "post_entry"


def test_a_bulk_posting_replays_known_keys_and_posts_the_new_ones(books_be: Entity) -> None:
    from mutua.ledger.actions import post_entries_bulk

    first = post(sale(books_be, "5.00"), key="bulk.0")
    drafts = [sale(books_be, "5.00"), sale(books_be, "6.00"), sale(books_be, "6.00")]
    result = post_entries_bulk(
        drafts, acting_user=None, idempotency_keys=["bulk.0", "bulk.1", "bulk.1"]
    )
    assert result.replayed == [first.pk] and len(result.posted) == 1
    assert sorted(Entry.objects.values_list("number", flat=True)) == [1, 2]
    with pytest.raises(DuplicateRequest):
        post_entries_bulk([sale(books_be, "7.00")], acting_user=None, idempotency_keys=["bulk.1"])
    assert queries.verify_books([books_be]) == []
