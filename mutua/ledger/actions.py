"""Ledger actions: the only way anything is written to the books (DESIGN.md §4).

Other apps hand a balanced `EntryDraft` to `post_entry`; posted entries never change, a mistake
is undone by `reverse_entry`; a closed period refuses postings; numbering is gapless per journal
and fiscal year (French Code de commerce art. R123-177 / PCG art. 420-2 ask for chronological,
continuous numbering; Belgian and Swedish rules are the same in substance).
"""

from __future__ import annotations

import calendar
import datetime as dt
import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from mutua.core import audit, clock
from mutua.core.audit import action, person_acting
from mutua.core.errors import InvalidInput, StateConflict
from mutua.entities.models import Entity
from mutua.ledger import posting
from mutua.ledger.chart import chart_for
from mutua.ledger.drafts import EntryDraft, LineDraft, reversal_lines
from mutua.ledger.models import Account, Entry, FiscalYear, Journal, Line, Period, PostingRule


@action("ledger.set_up_ledger")
def set_up_ledger(*, entity: Entity, years: Iterable[int], acting_user: Any = None) -> None:
    """Create the entity's accounts, journals and posting map from its country template, and
    open the given fiscal years. Safe to run again: what exists is kept."""
    chart = chart_for(entity.country)
    accounts = {}
    for template in chart.accounts:
        accounts[template.code], _ = Account.objects.get_or_create(
            entity=entity,
            code=template.code,
            defaults={
                "name": template.name,
                "kind": template.kind,
                "counts_in_budget": chart.counts_in_budget(template),
            },
        )
    for journal in chart.journals:
        Journal.objects.get_or_create(
            entity=entity, code=journal.code, defaults={"name": journal.name, "kind": journal.kind}
        )
    for event, code in chart.posting_map.items():
        PostingRule.objects.get_or_create(
            entity=entity, event=event, defaults={"account": accounts[code]}
        )
    opened = [_open_fiscal_year(entity, year, chart.fiscal_year_start_month).year for year in years]
    audit.record(
        actor=acting_user,
        action="ledger.set_up_ledger",
        entity_id=entity.pk,
        after={"chart": chart.country, "accounts": len(accounts), "fiscal_years": opened},
    )


@action("ledger.open_fiscal_year")
def open_fiscal_year(*, entity: Entity, year: int, acting_user: Any = None) -> FiscalYear:
    """Open a fiscal year of twelve monthly periods (the template says in which month it starts)."""
    fiscal_year = _open_fiscal_year(entity, year, chart_for(entity.country).fiscal_year_start_month)
    audit.record(
        actor=acting_user,
        action="ledger.open_fiscal_year",
        subject=fiscal_year,
        entity_id=entity.pk,
        after={"year": year, "start": fiscal_year.start, "end": fiscal_year.end},
    )
    return fiscal_year


def _open_fiscal_year(entity: Entity, year: int, start_month: int) -> FiscalYear:
    start = dt.date(year, start_month, 1)
    months = [_add_months(start, n) for n in range(12)]
    end = _month_end(months[-1])
    if (
        FiscalYear.objects.filter(entity=entity, start__lte=end, end__gte=start)
        .exclude(year=year)
        .exists()
    ):
        raise StateConflict(f"fiscal year {year} overlaps another one of {entity.code}")
    fiscal_year, created = FiscalYear.objects.get_or_create(
        entity=entity, year=year, defaults={"start": start, "end": end}
    )
    if created:
        Period.objects.bulk_create(
            Period(entity=entity, fiscal_year=fiscal_year, start=m, end=_month_end(m))
            for m in months
        )
    return fiscal_year


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    return dt.date(day.year + index // 12, index % 12 + 1, 1)


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


# --- posting ----------------------------------------------------------------------------------


@action("ledger.post_entry")
def post_entry(draft: EntryDraft, *, acting_user: Any, idempotency_key: str) -> Entry:
    """Post a balanced draft: checked per currency, numbered without gaps per journal and fiscal
    year, stored immutably with its balances. The same key and content returns the first entry;
    the same key with other content raises DuplicateRequest."""
    entity = posting.entity_of(draft)
    item = posting.prepare(entity, draft, idempotency_key)
    entry, replayed = _post_one(entity, item, acting_user)
    audit.record(
        actor=acting_user,
        action="ledger.post_entry.replayed" if replayed else "ledger.post_entry",
        subject=entry,
        entity_id=entity.pk,
        after=_summary(entry, item.draft),
    )
    return entry


@action("ledger.reverse_entry")
def reverse_entry(
    entry: Entry,
    *,
    acting_user: Any,
    on: dt.date | None = None,
    idempotency_key: str | None = None,
    label: str = "",
) -> Entry:
    """Cancel a posted entry with its mirror image (debits become credits), dated `on` (default:
    the entry's own date; a closed period needs a later date). The only correction there is."""
    entry = Entry.objects.select_related("journal", "fiscal_year", "entity").get(pk=entry.pk)
    if entry.reverses_id is not None:
        raise StateConflict(f"{entry.reference} is itself a reversal: post a new entry instead")
    key = idempotency_key or f"reversal:{entry.pk}"
    earlier = Entry.objects.filter(reverses=entry).first()
    if earlier is not None and earlier.idempotency_key != key:
        raise StateConflict(f"{entry.reference} is already reversed by {earlier.reference}")
    draft = EntryDraft(
        entity_id=entry.entity_id,
        journal=entry.journal.code,
        date=on or entry.date,
        label=label or f"Reversal of {entry.reference}",
        lines=reversal_lines(_drafted_lines(entry)),
        piece_ref=entry.piece_ref,
    )
    item = posting.prepare(entry.entity, draft, key, reverses_id=entry.pk)
    reversal, replayed = _post_one(entry.entity, item, acting_user)
    audit.record(
        actor=acting_user,
        action="ledger.reverse_entry.replayed" if replayed else "ledger.reverse_entry",
        subject=reversal,
        entity_id=entry.entity_id,
        after={**_summary(reversal, item.draft), "reverses": entry.reference},
    )
    return reversal


def _post_one(entity: Entity, item: posting.Prepared, acting_user: Any) -> tuple[Entry, bool]:
    fresh, replayed = posting.split_replays(entity, [item])
    if fresh:
        try:
            # A savepoint: if a concurrent posting with the same key wins, its number comes back.
            with transaction.atomic():
                entry_id = posting.write_entries(entity, fresh, acting_user)[0]
            return _entry(entry_id), False
        except IntegrityError:
            fresh, replayed = posting.split_replays(entity, [item])
            if fresh:
                raise
    return _entry(replayed[0]), True


def _entry(entry_id: int) -> Entry:
    return Entry.objects.select_related("journal", "fiscal_year").get(pk=entry_id)


def _drafted_lines(entry: Entry) -> list[LineDraft]:
    lines = Line.objects.filter(entry=entry).select_related("account").order_by("id")
    return [
        LineDraft(
            account=line.account.code,
            debit=line.debit,
            credit=line.credit,
            currency=line.currency,
            activity_id=line.activity_id,
            member_id=line.member_id,
            client_id=line.client_id,
            label=line.label,
        )
        for line in lines
    ]


def _summary(entry: Entry, draft: EntryDraft) -> dict[str, Any]:
    return {
        "reference": entry.reference,
        "date": entry.date,
        "label": entry.label,
        "debit": str(sum((line.debit for line in draft.lines), start=0)),
        "idempotency_key": entry.idempotency_key,
    }


@dataclass(frozen=True)
class BulkPosting:
    posted: list[int]
    replayed: list[int]


@action("ledger.post_entries_bulk")
def post_entries_bulk(
    drafts: Sequence[EntryDraft], *, acting_user: Any, idempotency_keys: Sequence[str]
) -> BulkPosting:
    """Post many drafts of one entity at once with the rules of `post_entry`, set-based: one
    numbering lock per journal and year, COPY for the rows, one statement for the balances.
    All or nothing: one bad draft refuses the whole call. Numbers follow the drafts' dates
    across the call; the posted ids are returned in that order."""
    if len(drafts) != len(idempotency_keys):
        raise InvalidInput("one idempotency key per draft is required")
    if not drafts:
        return _audited_bulk(None, BulkPosting([], []), acting_user)
    entity = posting.entity_of(drafts[0])
    keyed = sorted(zip(drafts, idempotency_keys, strict=True), key=lambda pair: pair[0].date)
    result = BulkPosting([], [])
    seen: dict[str, str] = {}
    with _collector_paused():
        for items in posting.prepared_chunks(entity, keyed):
            fresh, replayed = posting.split_replays(entity, items, seen, look_up=False)
            result.posted.extend(_write_chunk(entity, fresh, acting_user, replayed))
            result.replayed.extend(replayed)
    return _audited_bulk(entity, result, acting_user)


def _write_chunk(
    entity: Entity, fresh: list[posting.Prepared], acting_user: Any, replayed: list[int]
) -> list[int]:
    """Write optimistically: keys are rarely replayed in bulk, so the unique key finds the
    replays instead of a look-up per chunk; then the chunk is written again without them."""
    try:
        with transaction.atomic():  # a savepoint: the failed attempt gives its numbers back
            return posting.write_entries(entity, fresh, acting_user)
    except IntegrityError:
        fresh, again = posting.split_replays(entity, fresh)
        replayed.extend(again)
        return posting.write_entries(entity, fresh, acting_user)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector: a bulk posting creates hundreds of thousands of acyclic
    objects, and the collector would walk them again and again (15 % of the time)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _audited_bulk(entity: Entity | None, result: BulkPosting, acting_user: Any) -> BulkPosting:
    audit.record(
        actor=acting_user,
        action="ledger.post_entries_bulk",
        entity_id=entity.pk if entity else None,
        after={"posted": len(result.posted), "replayed": len(result.replayed)},
    )
    return result


# --- periods ----------------------------------------------------------------------------------


@action("ledger.close_period")
def close_period(*, period: Period, acting_user: Any) -> Period:
    """Close a period for good: from now on it refuses postings (corrections go in an open one)."""
    period = Period.objects.select_for_update().get(pk=period.pk)
    if period.closed_at is not None:
        raise StateConflict(f"period {period} is already closed")
    before = audit.snapshot(period, ["closed_at"])
    period.closed_at = clock.now()
    period.closed_by = person_acting(acting_user)
    period.save(update_fields=["closed_at", "closed_by"])
    audit.record(
        actor=acting_user,
        action="ledger.close_period",
        subject=period,
        entity_id=period.entity_id,
        before=before,
        after=audit.snapshot(period, ["closed_at"]),
    )
    return period
