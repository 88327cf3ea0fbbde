"""How drafts become posted entries: resolve the entity's chart, check periods and dimensions,
number per journal and fiscal year, insert set-based and update the balance aggregate.

Called by the actions in actions.py (which own the transaction and the audit event); nothing
else should import it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import F

from mutua.core import clock
from mutua.core.errors import DuplicateRequest, InvalidInput, NotFound, StateConflict
from mutua.entities.models import Entity, NumberSequence
from mutua.entities.queries import take_number
from mutua.ledger import storage
from mutua.ledger.drafts import (
    EntryDraft,
    LineDraft,
    check_balanced,
    fingerprint,
    normalized,
)
from mutua.ledger.models import Account, FiscalYear, Journal, Period


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


def split_replays(
    entity: Entity,
    items: Sequence[Prepared],
    seen: dict[str, str] | None = None,
    *,
    look_up: bool = True,
) -> tuple[list[Prepared], list[int]]:
    """Separate new drafts from replays of already-posted keys (whose entry ids are returned).

    The same key with other content is refused, whether posted before or twice in this call
    (`seen` remembers the keys of the call's earlier chunks with their fingerprints). Without
    `look_up` only the call itself is checked: the caller relies on the unique key instead.
    """
    seen = {} if seen is None else seen
    posted = _posted_keys(entity, [item.key for item in items]) if look_up else {}
    fresh: list[Prepared] = []
    replayed: list[int] = []
    for item in items:
        if item.key in posted:
            digest, entry_id = posted[item.key]
        elif item.key in seen:
            digest, entry_id = seen[item.key], 0
        else:
            seen[item.key] = item.fingerprint
            fresh.append(item)
            continue
        if digest != item.fingerprint:
            raise DuplicateRequest(
                f"idempotency key {item.key!r} was already used for another entry",
                field="idempotency_key",
            )
        if entry_id:
            replayed.append(entry_id)
    return fresh, replayed


def prepared_chunks(
    entity: Entity, keyed: Sequence[tuple[EntryDraft, str]], size: int = 10_000
) -> Iterator[list[Prepared]]:
    """The drafts checked chunk by chunk, the next chunk being checked in a thread while the
    caller writes the current one: the checks are pure Python and the writes wait on the
    database, so on two cores both run at once."""
    chunks = [keyed[start : start + size] for start in range(0, len(keyed), size)]

    def check(chunk: Sequence[tuple[EntryDraft, str]]) -> list[Prepared]:
        return [prepare(entity, draft, key) for draft, key in chunk]

    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(check, chunks[0]) if chunks else None
        for index in range(len(chunks)):
            assert pending is not None
            ready = pending.result()
            if index + 1 < len(chunks):
                pending = pool.submit(check, chunks[index + 1])
            yield ready


def _posted_keys(entity: Entity, keys: list[str]) -> dict[str, tuple[str, int]]:
    rows = storage.rows_where_any(
        "SELECT idempotency_key, fingerprint, id FROM ledger_entry WHERE entity_id = %s AND",
        "idempotency_key",
        keys,
        [entity.pk],
    )
    return {key: (digest, pk) for key, digest, pk in rows}


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
    activities: set[int] = set()
    clients: set[int] = set()
    members: set[int] = set()
    for ln in lines:  # one pass: bulk posting runs this over every line
        if ln.activity_id is not None:
            activities.add(ln.activity_id)
        if ln.client_id is not None:
            clients.add(ln.client_id)
        if ln.member_id is not None:
            members.add(ln.member_id)
    wanted = {
        "activity": (activities, "activities_activity", "id"),
        "client": (clients, "clients_client", "id"),
        "member": (members, "members_membership", "person_id"),
    }
    for name, (ids, table, column) in wanted.items():
        if not ids:
            continue
        sql = f"SELECT {column} FROM {table} WHERE entity_id = %s AND"  # noqa: S608 (fixed names)
        rows = storage.rows_where_any(sql, column, sorted(ids), [entity.pk], semi_join=True)
        known = {row[0] for row in rows}
        if ids - known:
            raise InvalidInput(
                f"unknown {name} for {entity.code}: {sorted(ids - known)[:10]}", field=name
            )


# --- writing ----------------------------------------------------------------------------------


def write_entries(entity: Entity, items: Sequence[Prepared], acting_user: Any) -> list[int]:
    """Insert the entries and their lines and update the balances; returns ids in input order."""
    if not items:
        return []
    books = open_books(entity, [item.draft for item in items])
    places = [(books.journal(i.draft.journal).pk, books.fiscal_year(i.draft.date)) for i in items]
    numbers = _numbers(books.entity, items, places)
    ids = storage.allocate_ids("ledger_entry", len(items))
    posted_at = connection.ops.adapt_datetimefield_value(clock.now())
    posted_by = acting_user.pk if getattr(acting_user, "is_authenticated", False) else None
    entries = (
        (
            *(entry_id, entity.pk, journal_id, year.pk, number, item.draft.date),
            *(item.draft.label[:200], item.draft.piece_ref[:60], item.draft.piece_date),
            *(item.key, item.fingerprint, item.reverses_id, posted_at, posted_by),
        )
        for entry_id, item, (journal_id, year), number in zip(
            ids, items, places, numbers, strict=True
        )
    )
    storage.insert_rows("ledger_entry", storage.ENTRY_COLUMNS, entries)
    storage.insert_rows("ledger_line", storage.LINE_COLUMNS, _line_rows(books, ids, items))
    storage.add_to_balances(ids)
    return ids


def _line_rows(
    books: Books, ids: list[int], items: Sequence[Prepared]
) -> Iterator[tuple[Any, ...]]:
    # A generator, so PostgreSQL stores rows while Python is still producing the next ones.
    entity_id = books.entity.pk
    for entry_id, item in zip(ids, items, strict=True):
        day = item.draft.date
        for ln in item.draft.lines:
            account_id = books.accounts.get(ln.account) or books.account_id(ln.account)
            yield (entry_id, entity_id, day, account_id, ln.debit, ln.credit, ln.currency,
                   ln.activity_id, ln.member_id, ln.client_id, ln.label[:200])  # fmt: skip


def _numbers(
    entity: Entity, items: Sequence[Prepared], places: list[tuple[int, FiscalYear]]
) -> list[int]:
    """Gapless numbers per journal and fiscal year, in date order within the batch."""
    groups: dict[tuple[int, int], list[int]] = defaultdict(list)
    for index, (journal_id, fiscal_year) in enumerate(places):
        groups[(journal_id, fiscal_year.year)].append(index)
    numbers = [0] * len(items)
    # Sequences are locked in a fixed order so concurrent batches cannot deadlock on them.
    for (journal_id, year), indexes in sorted(groups.items()):
        first = take_numbers(entity, f"ledger.journal.{journal_id}", year, len(indexes))
        indexes.sort(key=lambda i: (items[i].draft.date, i))
        for offset, index in enumerate(indexes):
            numbers[index] = first + offset
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
