"""How drafts become posted entries: resolve the entity's chart, check periods and dimensions,
number per journal and fiscal year, insert set-based and update the balance aggregate.

Called by the actions in actions.py (which own the transaction and the audit event); nothing
else should import it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import F
from django.utils import timezone

from mutua.activities.models import Activity
from mutua.clients.models import Client
from mutua.core.errors import DuplicateRequest, InvalidInput, NotFound, StateConflict
from mutua.entities.models import Entity, NumberSequence
from mutua.entities.queries import take_number
from mutua.ledger import storage
from mutua.ledger.drafts import (
    EntryDraft,
    LineDraft,
    balance_deltas,
    check_balanced,
    fingerprint,
    normalized,
)
from mutua.ledger.models import Account, Entry, FiscalYear, Journal, Period
from mutua.members.models import Membership


@dataclass(frozen=True)
class Prepared:
    """A checked draft with its idempotency key and content digest."""

    key: str
    draft: EntryDraft
    fingerprint: str
    reverses_id: int | None = None


def prepare(
    entity: Entity, draft: EntryDraft, key: str, reverses_id: int | None = None
) -> Prepared:
    if draft.entity_id != entity.pk:
        raise InvalidInput("all drafts of one posting belong to one entity")
    if not key or len(key) > 120:
        raise InvalidInput("an idempotency key of 1 to 120 characters is required")
    draft = normalized(draft, entity.currency)
    check_balanced(draft)
    return Prepared(key, draft, fingerprint(draft), reverses_id)


# --- idempotency -----------------------------------------------------------------------------


def split_replays(entity: Entity, items: Sequence[Prepared]) -> tuple[list[Prepared], list[int]]:
    """Separate new drafts from replays of already-posted keys (whose entry ids are returned).

    The same key with other content is refused, whether posted before or twice in this batch.
    """
    posted = _posted_keys(entity, [item.key for item in items])
    fresh: dict[str, Prepared] = {}
    replayed: list[int] = []
    for item in items:
        if item.key in posted:
            digest, entry_id = posted[item.key]
        elif item.key in fresh:
            digest, entry_id = fresh[item.key].fingerprint, 0
        else:
            fresh[item.key] = item
            continue
        if digest != item.fingerprint:
            raise DuplicateRequest(
                f"idempotency key {item.key!r} was already used for another entry",
                field="idempotency_key",
            )
        if entry_id:
            replayed.append(entry_id)
    return list(fresh.values()), replayed


def _posted_keys(entity: Entity, keys: list[str]) -> dict[str, tuple[str, int]]:
    found: dict[str, tuple[str, int]] = {}
    for start in range(0, len(keys), 5000):
        rows = Entry.objects.filter(
            entity=entity, idempotency_key__in=keys[start : start + 5000]
        ).values_list("idempotency_key", "fingerprint", "id")
        found.update({key: (digest, pk) for key, digest, pk in rows})
    return found


# --- the chart, periods and dimensions a batch needs --------------------------------------------


@dataclass
class Books:
    entity: Entity
    journals: dict[str, Journal]
    accounts: dict[str, int]
    fiscal_years: list[FiscalYear]
    periods: list[Period]

    def journal(self, code: str) -> Journal:
        try:
            return self.journals[code]
        except KeyError:
            raise InvalidInput(
                f"no journal {code!r} in {self.entity.code}", field="journal"
            ) from None

    def account_id(self, code: str) -> int:
        try:
            return self.accounts[code]
        except KeyError:
            raise InvalidInput(
                f"no account {code!r} in {self.entity.code}", field="account"
            ) from None

    def fiscal_year(self, on: dt.date) -> FiscalYear:
        for year in self.fiscal_years:
            if year.start <= on <= year.end:
                return year
        raise StateConflict(f"no fiscal year of {self.entity.code} covers {on}", field="date")

    def period(self, on: dt.date) -> Period:
        for period in self.periods:
            if period.start <= on <= period.end:
                return period
        raise StateConflict(f"no period of {self.entity.code} covers {on}", field="date")


def open_books(entity: Entity, drafts: Sequence[EntryDraft]) -> Books:
    dates = [draft.date for draft in drafts]
    books = Books(
        entity=entity,
        journals={j.code: j for j in Journal.objects.filter(entity=entity)},
        accounts=dict(Account.objects.filter(entity=entity).values_list("code", "id")),
        fiscal_years=list(FiscalYear.objects.filter(entity=entity)),
        periods=list(
            Period.objects.filter(entity=entity, start__lte=max(dates), end__gte=min(dates))
        ),
    )
    for on in set(dates):
        books.fiscal_year(on)  # says "no fiscal year" before "no period"
    _check_periods_open(books, {books.period(on).pk for on in set(dates)})
    _check_dimensions(entity, [line for draft in drafts for line in draft.lines])
    return books


def _check_periods_open(books: Books, period_ids: set[int]) -> None:
    """Refuse postings into closed periods. The rows are read under a shared lock so a period
    cannot close while an entry into it is being posted (closing takes an exclusive lock)."""
    marks = ", ".join(["%s"] * len(period_ids))
    sql = f"SELECT id FROM ledger_period WHERE closed_at IS NOT NULL AND id IN ({marks})"  # noqa: S608
    if connection.features.has_select_for_update:
        sql += " FOR SHARE"
    with connection.cursor() as cursor:
        cursor.execute(sql, sorted(period_ids))
        closed = {row[0] for row in cursor.fetchall()}
    if closed:
        names = ", ".join(str(p) for p in books.periods if p.pk in closed)
        raise StateConflict(f"period {names} is closed: post into an open period", field="date")


def _check_dimensions(entity: Entity, lines: Iterable[LineDraft]) -> None:
    """A line's activity, client and member must belong to the entity that posts it."""
    lines = list(lines)
    wanted: dict[str, tuple[set[int], Any, str]] = {
        "activity": (_ids(ln.activity_id for ln in lines), Activity.objects, "pk"),
        "client": (_ids(ln.client_id for ln in lines), Client.objects, "pk"),
        "member": (_ids(ln.member_id for ln in lines), Membership.objects, "person_id"),
    }
    for name, (ids, manager, field) in wanted.items():
        if not ids:
            continue
        known = set(
            manager.filter(entity=entity, **{f"{field}__in": ids}).values_list(field, flat=True)
        )
        if ids - known:
            raise InvalidInput(
                f"unknown {name} for {entity.code}: {sorted(ids - known)}", field=name
            )


def _ids(values: Iterable[int | None]) -> set[int]:
    return {value for value in values if value is not None}


# --- writing ----------------------------------------------------------------------------------


def write_entries(entity: Entity, items: Sequence[Prepared], acting_user: Any) -> list[int]:
    """Insert the entries and their lines and update the balances; returns ids in input order."""
    if not items:
        return []
    books = open_books(entity, [item.draft for item in items])
    numbers = _numbers(books, items)
    ids = storage.allocate_ids("ledger_entry", len(items))
    posted_at = connection.ops.adapt_datetimefield_value(timezone.now())
    posted_by = acting_user.pk if getattr(acting_user, "is_authenticated", False) else None
    entry_rows, line_rows, balance_rows = [], [], []
    for entry_id, item in zip(ids, items, strict=True):
        draft = item.draft
        journal = books.journal(draft.journal)
        year = books.fiscal_year(draft.date)
        entry_rows.append(
            (
                *(entry_id, entity.pk, journal.pk, year.pk, numbers[id(item)], draft.date),
                *(draft.label[:200], draft.piece_ref[:60], draft.piece_date, item.key),
                *(item.fingerprint, item.reverses_id, posted_at, posted_by),
            )
        )
        for line in draft.lines:
            account_id = books.account_id(line.account)
            line_rows.append(
                (
                    *(entry_id, entity.pk, draft.date, account_id, line.debit, line.credit),
                    *(line.currency, line.activity_id, line.member_id, line.client_id),
                    line.label[:200],
                )
            )
            balance_rows.append((account_id, draft.date, line))
    storage.insert_rows("ledger_entry", storage.ENTRY_COLUMNS, entry_rows)
    storage.insert_rows("ledger_line", storage.LINE_COLUMNS, line_rows)
    storage.add_to_balances(entity.pk, balance_deltas(balance_rows))
    return ids


def _numbers(books: Books, items: Sequence[Prepared]) -> dict[int, int]:
    """Gapless numbers per journal and fiscal year, in date order within the batch."""
    groups: dict[tuple[int, int], list[Prepared]] = defaultdict(list)
    for item in items:
        journal = books.journal(item.draft.journal)
        groups[(journal.pk, books.fiscal_year(item.draft.date).pk)].append(item)
    numbers: dict[int, int] = {}
    # Sequences are locked in a fixed order so concurrent batches cannot deadlock on them.
    for (journal_id, year_id), group in sorted(groups.items()):
        year = next(y for y in books.fiscal_years if y.pk == year_id)
        first = take_numbers(books.entity, f"ledger.journal.{journal_id}", year.year, len(group))
        ordered = sorted(enumerate(group), key=lambda pair: (pair[1].draft.date, pair[0]))
        for offset, (_, item) in enumerate(ordered):
            numbers[id(item)] = first + offset
    return numbers


def take_numbers(entity: Entity, key: str, year: int, count: int) -> int:
    """Take `count` consecutive gapless numbers and return the first one."""
    first = take_number(entity, key, year)  # locks the sequence row until commit
    if count > 1:
        NumberSequence.objects.filter(entity=entity, key=key, year=year).update(
            last=F("last") + (count - 1)
        )
    return first


def entity_of(draft: EntryDraft) -> Entity:
    try:
        return Entity.objects.get(pk=draft.entity_id)
    except Entity.DoesNotExist as exc:
        raise NotFound("no such entity", field="entity") from exc
