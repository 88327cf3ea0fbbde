"""Reads of the books and the access functions that guard them.

Balances come from the aggregate table (`Balance`), never from scanning the lines, so they stay
fast whatever the history; `verify_books` is the one read that recomputes from the lines.
Staff see an entity's books when they are accountant or administrator there; members see only
their own activities' statements (through activities.queries.access_activity).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import TruncMonth

from mutua.activities.models import Activity
from mutua.clients.models import Client
from mutua.core.errors import NotFound
from mutua.core.permissions import Role
from mutua.entities.models import Entity
from mutua.ledger.models import (
    Account,
    Balance,
    Entry,
    FiscalYear,
    Journal,
    Line,
    Period,
    PostingRule,
)
from mutua.members.queries import staff_entities

ZERO = Decimal("0")
CENT = Decimal("0.01")
BOOKKEEPERS = (Role.ACCOUNTANT, Role.ADMINISTRATOR)


# --- access -----------------------------------------------------------------------------------


def ledger_entities(user: Any) -> QuerySet[Entity]:
    """Entities whose books the user may open."""
    return staff_entities(user, BOOKKEEPERS)


def access_books(user: Any, entity_id: int) -> Entity:
    entity = ledger_entities(user).filter(pk=entity_id).first()
    if entity is None:
        raise NotFound("no such entity")
    return entity


def access_entry(user: Any, entry_id: int) -> Entry:
    entry = (
        Entry.objects.select_related("journal", "fiscal_year", "entity", "reverses")
        .filter(pk=entry_id, entity__in=ledger_entities(user))
        .first()
    )
    if entry is None:
        raise NotFound("no such entry")
    return entry


def access_account(user: Any, account_id: int) -> Account:
    account = (
        Account.objects.select_related("entity")
        .filter(pk=account_id, entity__in=ledger_entities(user))
        .first()
    )
    if account is None:
        raise NotFound("no such account")
    return account


def access_journal(user: Any, journal_id: int) -> Journal:
    journal = (
        Journal.objects.select_related("entity")
        .filter(pk=journal_id, entity__in=ledger_entities(user))
        .first()
    )
    if journal is None:
        raise NotFound("no such journal")
    return journal


# --- chart ------------------------------------------------------------------------------------


def posting_account(entity: Entity, event: str) -> Account:
    """The account an event of the money loop uses in this entity (its country's posting map)."""
    rule = PostingRule.objects.select_related("account").filter(entity=entity, event=event).first()
    if rule is None:
        raise NotFound(f"{entity.code} has no account for {event!r}: set up its ledger first")
    return rule.account


def accounts_of(entity: Entity) -> QuerySet[Account]:
    return Account.objects.filter(entity=entity).select_related("entity").order_by("code")


def journal_for(entity: Entity, kind: str) -> Journal:
    """The entity's journal of a kind ("sales", "payroll"...), e.g. to fill EntryDraft.journal."""
    journal = Journal.objects.filter(entity=entity, kind=kind).order_by("code").first()
    if journal is None:
        raise NotFound(f"{entity.code} has no {kind} journal: set up its ledger first")
    return journal


def fiscal_year_of(entity: Entity, year: int) -> FiscalYear:
    found = FiscalYear.objects.filter(entity=entity, year=year).first()
    if found is None:
        raise NotFound(f"{entity.code} has no fiscal year {year}", field="year")
    return found


def periods_of(entity: Entity) -> QuerySet[Period]:
    return Period.objects.filter(entity=entity).select_related("fiscal_year")


# --- balances ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrialBalanceRow:
    code: str
    name: str
    kind: str
    currency: str
    debit: Decimal
    credit: Decimal

    @property
    def balance(self) -> Decimal:
        """Debit minus credit: positive for a debit balance."""
        return self.debit - self.credit


def trial_balance(entity: Entity, on: dt.date | None = None) -> list[TrialBalanceRow]:
    """Total debits and credits per account and currency up to `on` (inclusive)."""
    rows = Balance.objects.filter(entity=entity, dimension="", dimension_id=0)
    if on is not None:
        rows = rows.filter(day__lte=on)
    totals = rows.values("account_id", "currency").annotate(d=Sum("debit"), c=Sum("credit"))
    accounts = {a.pk: a for a in Account.objects.filter(entity=entity)}
    result = [
        TrialBalanceRow(
            code=accounts[t["account_id"]].code,
            name=accounts[t["account_id"]].name,
            kind=accounts[t["account_id"]].kind,
            currency=t["currency"],
            debit=_cents(t["d"]),
            credit=_cents(t["c"]),
        )
        for t in totals
    ]
    return sorted(result, key=lambda row: (row.code, row.currency))


def _summed(
    rows: QuerySet[Balance], on: dt.date | None, before: dt.date | None = None
) -> tuple[Decimal, Decimal]:
    if on is not None:
        rows = rows.filter(day__lte=on)
    if before is not None:
        rows = rows.filter(day__lt=before)
    totals = rows.aggregate(d=Sum("debit"), c=Sum("credit"))
    return _cents(totals["d"]), _cents(totals["c"])


def _cents(total: Decimal | None) -> Decimal:
    """A database sum back in cents. Amounts are stored with two decimals; SQLite adds them up
    in binary floating point, so its sums come back as e.g. 236662.210000000000 (or a hair off):
    quantizing restores the exact figure (floats are exact to the cent far beyond our totals)."""
    return (total or ZERO).quantize(CENT)


def account_balance(account: Account, on: dt.date | None = None) -> Decimal:
    """Debit minus credit of the account up to `on`, in the entity's currency."""
    debit, credit = _summed(
        Balance.objects.filter(
            dimension="", dimension_id=0, account=account, currency=account.entity.currency
        ),
        on,
    )
    return debit - credit


def activity_balance(activity: Activity, on: dt.date | None = None) -> Decimal:
    """What the activity can still turn into pay: credits minus debits booked on its dimension on
    budget accounts (income, expenses, the activity budget account), up to `on`."""
    budget = Account.objects.filter(entity_id=activity.entity_id, counts_in_budget=True)
    debit, credit = _dimension_totals("activity", activity.pk, budget, on)
    return credit - debit


def client_balance(client: Client, on: dt.date | None = None) -> Decimal:
    """What the client owes: debit minus credit of the receivable lines on its dimension."""
    receivable = PostingRule.objects.filter(entity_id=client.entity_id, event="receivable")
    accounts = Account.objects.filter(pk__in=receivable.values("account_id"))
    debit, credit = _dimension_totals("client", client.pk, accounts, on)
    return debit - credit


def _dimension_totals(
    dimension: str, dimension_id: int, accounts: QuerySet[Account], on: dt.date | None
) -> tuple[Decimal, Decimal]:
    """Months before `on` from the aggregate, plus the lines of `on`'s own month up to it."""
    rows = Balance.objects.filter(
        dimension=dimension, dimension_id=dimension_id, account__in=accounts
    )
    if on is None:
        return _summed(rows, None)
    month = on.replace(day=1)
    debit, credit = _summed(rows, None, before=month)
    lines = Line.objects.filter(
        **{f"{dimension}_id": dimension_id}, account__in=accounts, date__gte=month, date__lte=on
    ).aggregate(d=Sum("debit"), c=Sum("credit"))
    return debit + _cents(lines["d"]), credit + _cents(lines["c"])


# --- statements -------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatementLine:
    date: dt.date
    reference: str
    label: str
    account: str
    debit: Decimal
    credit: Decimal
    running: Decimal


@dataclass
class Statement:
    title: str
    start: dt.date
    end: dt.date
    opening: Decimal
    lines: list[StatementLine] = field(default_factory=list)

    @property
    def total_debit(self) -> Decimal:
        return sum((line.debit for line in self.lines), start=ZERO)

    @property
    def total_credit(self) -> Decimal:
        return sum((line.credit for line in self.lines), start=ZERO)

    @property
    def closing(self) -> Decimal:
        return self.lines[-1].running if self.lines else self.opening


def account_statement(account: Account, start: dt.date, end: dt.date) -> Statement:
    """The account's lines between two dates with a running balance (debit minus credit)."""
    totals = Balance.objects.filter(dimension="", dimension_id=0, account=account)
    debit, credit = _summed(totals, None, start)
    lines = Line.objects.filter(account=account, date__gte=start, date__lte=end)
    statement = Statement(f"{account.code} {account.name}", start, end, debit - credit)
    _fill(statement, lines, sign=1)
    return statement


def general_ledger(entity: Entity, start: dt.date, end: dt.date) -> list[Statement]:
    """Every account that moved, with its opening balance and lines between the dates."""
    moved = (
        Line.objects.filter(entity=entity, date__gte=start, date__lte=end)
        .values_list("account_id", flat=True)
        .distinct()
    )
    accounts = Account.objects.filter(pk__in=moved).select_related("entity").order_by("code")
    return [account_statement(account, start, end) for account in accounts]


@dataclass
class ActivityStatement:
    activity: Activity
    statement: Statement

    @property
    def came_in(self) -> Decimal:
        return self.statement.total_credit

    @property
    def went_out(self) -> Decimal:
        return self.statement.total_debit

    @property
    def balance(self) -> Decimal:
        return self.statement.closing


def activity_statement(activity: Activity, start: dt.date, end: dt.date) -> ActivityStatement:
    """What came in, what went out and the balance of an activity (credit minus debit), as the
    member sees it. Get the activity through access_activity first."""
    opening = activity_balance(activity, start - dt.timedelta(days=1))
    lines = Line.objects.filter(
        activity=activity, account__counts_in_budget=True, date__gte=start, date__lte=end
    )
    statement = Statement(f"{activity.number} {activity.name}", start, end, opening)
    _fill(statement, lines, sign=-1)
    return ActivityStatement(activity, statement)


def _fill(statement: Statement, lines: QuerySet[Line], *, sign: int) -> None:
    running = statement.opening
    rows = lines.select_related("entry__journal", "entry__fiscal_year", "account").order_by(
        "date", "entry_id", "id"
    )
    for line in rows:
        running += sign * (line.debit - line.credit)
        statement.lines.append(
            StatementLine(
                date=line.date,
                reference=line.entry.reference,
                label=line.label or line.entry.label,
                account=line.account.code,
                debit=line.debit,
                credit=line.credit,
                running=running,
            )
        )


def entries_of(entity: Entity, *, journal: Journal | None = None) -> QuerySet[Entry]:
    entries = Entry.objects.filter(entity=entity).select_related("journal", "fiscal_year")
    if journal is not None:
        entries = entries.filter(journal=journal)
    # Latest posted first: the primary key orders them without an index of its own.
    return entries.order_by("-id")


def lines_of(entry: Entry) -> QuerySet[Line]:
    return (
        Line.objects.filter(entry=entry)
        .select_related("account", "activity", "client", "member")
        .order_by("id")
    )


def fec_source_lines(entity: Entity, fiscal_year: FiscalYear) -> QuerySet[Line]:
    """Every line of the fiscal year, in the order the FEC lists them (by entry, chronological)."""
    return (
        Line.objects.filter(entry__entity=entity, entry__fiscal_year=fiscal_year)
        .select_related("entry__journal", "entry__fiscal_year", "account", "client", "member")
        .order_by("entry__date", "entry__journal__code", "entry__number", "id")
    )


# --- verification -----------------------------------------------------------------------------


def verify_books(entities: Iterable[Entity] | None = None) -> list[str]:
    """Recompute every aggregate row from the lines and check every entry balances and every
    journal's numbering is gapless. Returns the differences found, empty when the books agree."""
    problems: list[str] = []
    for entity in entities if entities is not None else Entity.objects.all():
        problems += _balance_differences(entity)
        problems += _unbalanced_entries(entity)
        problems += _numbering_gaps(entity)
        problems += _orphans(entity)
    return problems


def _orphans(entity: Entity) -> list[str]:
    """Lines must point at an entry and an account of their own entity (no database constraint
    says so: see models.Entry). NOT EXISTS, so PostgreSQL answers with one anti-join."""
    entries = Entry.objects.filter(pk=OuterRef("entry_id"), entity=entity)
    accounts = Account.objects.filter(pk=OuterRef("account_id"), entity=entity)
    stray = Line.objects.filter(entity=entity).filter(~Exists(entries) | ~Exists(accounts)).count()
    if not stray:
        return []
    return [f"{entity.code}: {stray} line(s) without an entry or account of {entity.code}"]


DIMENSION_FIELDS = {
    "": None,
    "activity": "activity_id",
    "client": "client_id",
    "member": "member_id",
}


def _balance_differences(entity: Entity) -> list[str]:
    expected: dict[tuple[Any, ...], tuple[Decimal, Decimal]] = {}
    for dimension, column in DIMENSION_FIELDS.items():
        lines = Line.objects.filter(entity=entity)
        if column:
            lines = lines.filter(**{f"{column}__isnull": False}).annotate(
                dim_id=F(column), day=TruncMonth("date")
            )
        else:
            lines = lines.annotate(dim_id=Value(0, output_field=IntegerField()), day=F("date"))
        grouped = lines.values("account_id", "dim_id", "currency", "day").annotate(
            d=Sum("debit"), c=Sum("credit")
        )
        for row in grouped.order_by():
            key = (row["account_id"], dimension, row["dim_id"], row["currency"], row["day"])
            expected[key] = (row["d"], row["c"])
    stored = {
        (b["account_id"], b["dimension"], b["dimension_id"], b["currency"], b["day"]): (
            b["debit"],
            b["credit"],
        )
        for b in Balance.objects.filter(entity=entity).values(
            "account_id", "dimension", "dimension_id", "currency", "day", "debit", "credit"
        )
    }
    zero = (ZERO, ZERO)
    return [
        f"{entity.code}: balance {key} is {stored.get(key, zero)} but the lines say "
        f"{expected.get(key, zero)}"
        for key in sorted(set(expected) | set(stored), key=str)
        if expected.get(key, zero) != stored.get(key, zero)
    ]


def _unbalanced_entries(entity: Entity) -> list[str]:
    sums = (
        Line.objects.filter(entity=entity)
        .values("entry_id", "currency")
        .annotate(d=Sum("debit"), c=Sum("credit"))
        .order_by()
    )
    return [
        f"{entity.code}: entry {row['entry_id']} does not balance in {row['currency']}"
        for row in sums
        if row["d"] != row["c"]
    ]


def _numbering_gaps(entity: Entity) -> list[str]:
    problems = []
    groups = Entry.objects.filter(entity=entity).values("journal__code", "fiscal_year__year")
    for row in groups.annotate(n=Count("id"), lo=Min("number"), hi=Max("number")).order_by():
        if row["lo"] != 1 or row["hi"] != row["n"]:
            problems.append(
                f"{entity.code}: journal {row['journal__code']} {row['fiscal_year__year']} "
                f"numbers {row['lo']}..{row['hi']} for {row['n']} entries"
            )
    return problems
