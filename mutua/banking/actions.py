"""Bank actions: register an account, import a statement file, match a line by hand.

An import is one transaction for the whole file: every statement in it is checked against the
one before (the last closing balance plus the new movements must give the new closing
balance), its new lines are stored (a line already known, by natural key and occurrence, is a
duplicate and is skipped), matched to open invoices, and booked; if anything fails, nothing of
the file stays. Money is never posted twice: each line's entry carries the line's natural key
as idempotency key, and an invoice never receives more than it owes (invoicing.payments).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from mutua.banking import matching, queries
from mutua.banking.formats import StatementData, StatementLineData, read_statement_file
from mutua.banking.models import (
    QUEUE_STATUSES,
    Allocation,
    BankAccount,
    LineStatus,
    Statement,
    StatementLine,
)
from mutua.banking.payouts import confirm_batches_from_statement
from mutua.banking.posting import (
    BankAccounts,
    Settlement,
    bank_line_entry,
    natural_key,
    suspense_match_entry,
    with_occurrences,
)
from mutua.core import audit, clock
from mutua.core.audit import action, person_acting
from mutua.core.errors import DomainError, InvalidInput, RuleViolation, StateConflict
from mutua.core.identifiers import validate_iban
from mutua.entities.models import Entity
from mutua.fund.actions import PaymentPart, invoices_with_open_advances, release_exposure
from mutua.invoicing.models import Invoice, InvoiceKind
from mutua.invoicing.payments import PaymentReceived, amounts_received, record_payments
from mutua.invoicing.queries import OPEN_STATUSES
from mutua.ledger import storage
from mutua.ledger.actions import post_entries_bulk, post_entry
from mutua.ledger.models import JournalKind
from mutua.ledger.queries import journal_for, posting_account
from mutua.reporting.delays import add_payments

ZERO = Decimal("0")


class StatementRefused(RuleViolation):
    """The file is readable but cannot be booked: wrong account or currency, a gap, a clash."""

    code = "statement_refused"


@dataclass(slots=True)
class NewLine:
    """A line to store: plain data, written with COPY (10,000 model instances cost seconds)."""

    id: int
    account: BankAccount
    statement: Statement
    position: int
    data: StatementLineData
    natural_key: str
    occurrence: int
    status: str = LineStatus.UNMATCHED
    note: str = ""
    client_id: int | None = None
    client_credit: Decimal = ZERO

    @property
    def entry_key(self) -> str:
        return queries.entry_key_of(self.account.pk, self.natural_key, self.occurrence)

    def row(self) -> tuple[Any, ...]:
        d = self.data
        return (
            self.id,
            self.account.pk,
            self.statement.pk,
            self.position,
            d.booking_date,
            d.value_date,
            d.amount,
            self.account.currency,
            d.counterparty_name[:200],
            d.counterparty_iban[:34],
            d.structured_reference[:40],
            d.free_text[:500],
            d.bank_reference[:100],
            self.natural_key,
            self.occurrence,
            self.status,
            self.note[:300],
            self.client_id,
            self.client_credit,
            None,
            None,
        )


LINE_COLUMNS = (
    "id",
    "account_id",
    "statement_id",
    "position",
    "booking_date",
    "value_date",
    "amount",
    "currency",
    "counterparty_name",
    "counterparty_iban",
    "structured_reference",
    "free_text",
    "bank_reference",
    "natural_key",
    "occurrence",
    "status",
    "note",
    "client_id",
    "client_credit",
    "matched_at",
    "matched_by_id",
)
ALLOCATION_COLUMNS = ("line_id", "invoice_id", "amount", "method", "created_at")


@dataclass
class ImportResult:
    format: str
    statements: int = 0
    imported: int = 0
    duplicates: int = 0
    matched: int = 0
    unmatched: int = 0
    ambiguous: int = 0
    overpaid: int = 0
    payout_batches: int = 0  # batches confirmed by their debit in this file
    duplicate_statements: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# --- accounts -----------------------------------------------------------------------------------


@action("bank.register_account")
def register_bank_account(
    *, entity: Entity, iban: str, currency: str = "", name: str = "", acting_user: Any
) -> BankAccount:
    """An account of the entity whose statements may be imported; booked on the entity's bank
    account and journal (its posting map). The entity's own IBAN is registered by its first
    import."""
    account = _register(entity, iban, currency or entity.currency, name)
    audit.record(
        actor=acting_user,
        action="bank.register_account",
        subject=account,
        entity_id=entity.pk,
        after={"iban": account.iban, "currency": account.currency},
    )
    return account


def _register(entity: Entity, iban: str, currency: str, name: str = "") -> BankAccount:
    iban = validate_iban(iban)
    if currency != entity.currency:
        raise InvalidInput(
            f"{entity.code} keeps its books in {entity.currency}; "
            f"an account in {currency} is not supported yet",
            field="currency",
        )
    if BankAccount.objects.filter(iban=iban).exists():
        raise StateConflict(f"{iban} is already registered", field="iban")
    return BankAccount.objects.create(
        entity=entity,
        iban=iban,
        currency=currency,
        name=name,
        ledger_account=posting_account(entity, "bank"),
        journal=journal_for(entity, JournalKind.BANK),
    )


def _account_for(entity: Entity, data: StatementData) -> BankAccount:
    account = (
        BankAccount.objects.select_for_update()
        .select_related("journal", "ledger_account")
        .filter(iban=data.iban)
        .first()
    )
    if account is None and data.iban == entity.iban.replace(" ", "").upper():
        account = _register(entity, data.iban, entity.currency, "Main account")
    if account is None or account.entity_id != entity.pk:
        raise StatementRefused(
            f"the statement is for account {data.iban}, which is not an account of {entity.code}",
            field="file",
        )
    if data.currency != account.currency:
        raise StatementRefused(
            f"the statement of {data.iban} is in {data.currency}, the account in "
            f"{account.currency}",
            field="file",
        )
    return account


# --- import -------------------------------------------------------------------------------------


@action("bank.import_statements")
def import_statements(
    *, entity: Entity, content: bytes, file_name: str = "", acting_user: Any
) -> ImportResult:
    """Import a CODA or camt.053 file (detected) for the entity; safe to run again."""
    parsed = read_statement_file(content)
    result = ImportResult(format=parsed.format)
    new_lines: list[NewLine] = []
    for data in parsed.statements:
        account = _account_for(entity, data)
        statement, lines, duplicates = _store(
            account, data, parsed.format, parsed.digest, file_name, acting_user
        )
        result.duplicates += duplicates
        if statement is None:
            result.duplicate_statements.append(data.number)
            continue
        result.statements += 1
        new_lines += lines
    result.imported = len(new_lines)
    _reconcile(entity, new_lines, acting_user, result)
    result.payout_batches = _confirm_payouts(new_lines, acting_user)
    audit.record(
        actor=acting_user,
        action="bank.import_statements",
        entity_id=entity.pk,
        after={"file": file_name, "digest": parsed.digest, **result.as_dict()},
    )
    return result


def _store(
    account: BankAccount,
    data: StatementData,
    file_format: str,
    digest: str,
    file_name: str,
    acting_user: Any,
) -> tuple[Statement | None, list[NewLine], int]:
    keys = [natural_key(line) for line in data.lines]
    occurrences = with_occurrences(keys)
    known = _known_keys(account, data)
    fresh = [
        (line, key, n)
        for line, key, n in zip(data.lines, keys, occurrences, strict=True)
        if (key, n) not in known
    ]
    duplicates = len(data.lines) - len(fresh)
    if not _is_new_statement(account, data, bool(fresh)):
        return None, [], duplicates
    _check_continuity(account, data, sum((line.amount for line, _, _ in fresh), start=ZERO))
    statement = Statement.objects.create(
        account=account,
        number=data.number[:35],
        opening_date=data.opening_date,
        closing_date=data.closing_date,
        opening_balance=data.opening_balance,
        closing_balance=data.closing_balance,
        file_format=file_format,
        file_name=file_name[:200],
        file_digest=digest,
        line_count=len(fresh),
        imported_by=person_acting(acting_user),
    )
    ids = storage.allocate_ids("banking_statementline", len(fresh)) if fresh else []
    lines = [
        NewLine(pk, account, statement, position, line, key, n)
        for pk, position, (line, key, n) in zip(ids, range(1, len(fresh) + 1), fresh, strict=True)
    ]
    return statement, lines, duplicates


def _known_keys(account: BankAccount, data: StatementData) -> set[tuple[str, int]]:
    if not data.lines:
        return set()
    days = [line.booking_date for line in data.lines]
    rows = StatementLine.objects.filter(
        account=account, booking_date__gte=min(days), booking_date__lte=max(days)
    ).values_list("natural_key", "occurrence")
    return set(rows)


def _is_new_statement(account: BankAccount, data: StatementData, has_new_lines: bool) -> bool:
    """False for a statement already imported (or an older one whose lines are all known)."""
    same = Statement.objects.filter(
        account=account, number=data.number[:35], closing_date=data.closing_date
    ).exists()
    last = _last_statement(account)
    older = last is not None and data.closing_date < last.closing_date
    if same and has_new_lines:
        raise StatementRefused(
            f"statement {data.number} of {data.closing_date} is already imported, and this file "
            "has other movements for it",
            field="file",
        )
    if older and has_new_lines:
        raise StatementRefused(
            f"statement {data.number} of {data.closing_date} is older than the last one imported "
            "and brings movements that are not in the books: import statements in order",
            field="file",
        )
    return not (same or older)


def _last_statement(account: BankAccount) -> Statement | None:
    return Statement.objects.filter(account=account).order_by("-closing_date", "-id").first()


def _check_continuity(account: BankAccount, data: StatementData, new_movement: Decimal) -> None:
    """The last known closing balance plus the new movements gives this closing balance."""
    last = _last_statement(account)
    start = data.opening_balance if last is None else last.closing_balance
    if start + new_movement == data.closing_balance:
        return
    assert last is not None  # the file itself adds up (formats.check_statement)
    raise StatementRefused(
        f"statement {data.number} of {account.iban} does not follow statement {last.number} "
        f"of {last.closing_date}: that one closed at {last.closing_balance}, this one opens at "
        f"{data.opening_balance} and closes at {data.closing_balance} with {new_movement} of "
        "new movements; a statement is missing or differs",
        field="file",
    )


# --- reconciliation -----------------------------------------------------------------------------


def _reconcile(
    entity: Entity, lines: list[NewLine], acting_user: Any, result: ImportResult
) -> None:
    """Match the new lines, store them and their allocations, book them: set-based."""
    if not lines:
        return
    facts = [_facts(line.data) for line in lines]
    book = queries.open_book(entity, _reference_keys(facts))
    matches = matching.match_lines(book, facts)
    for line, found in zip(lines, matches, strict=True):
        line.status, line.note = found.status, found.note
        line.client_id, line.client_credit = found.client_id, found.client_credit
        _count(result, found.status)
    storage.insert_rows("banking_statementline", LINE_COLUMNS, (line.row() for line in lines))
    payments = [
        PaymentReceived(pk, amount) for found in matches for pk, amount in found.allocations
    ]
    if payments:
        record_payments(payments=payments, acting_user=acting_user)
    now = clock.now()
    storage.insert_rows(
        "banking_allocation",
        ALLOCATION_COLUMNS,
        (
            (line.id, pk, amount, found.method, now)
            for line, found in zip(lines, matches, strict=True)
            for pk, amount in found.allocations
        ),
    )
    add_payments(
        entity.pk,
        (
            (pk, line.data.booking_date, amount)
            for line, found in zip(lines, matches, strict=True)
            for pk, amount in found.allocations
        ),
    )
    _book_lines(entity, lines, matches, book, acting_user)
    _release_fund(
        entity,
        [
            PaymentPart(line.id, pk, amount, line.data.booking_date)
            for line, found in zip(lines, matches, strict=True)
            for pk, amount in found.allocations
        ],
        acting_user,
    )


def _release_fund(entity: Entity, parts: list[PaymentPart], acting_user: Any) -> None:
    """Client payments on invoices the guarantee fund advanced on release its exposure, in the
    import's transaction (one query when, as usually, there is none)."""
    advanced = invoices_with_open_advances([part.invoice_id for part in parts])
    if advanced:
        release_exposure(
            entity=entity,
            parts=[part for part in parts if part.invoice_id in advanced],
            acting_user=acting_user,
        )


def _confirm_payouts(lines: list[NewLine], acting_user: Any) -> int:
    """New debits may be exported payout batches coming back: confirm them in this import
    (a re-import brings no new line, so confirms and posts nothing twice)."""
    debits = [line.id for line in lines if line.data.amount < 0]
    if not debits:
        return 0
    found = StatementLine.objects.filter(pk__in=debits).select_related(
        "account", "account__journal"
    )
    try:
        return len(confirm_batches_from_statement(lines=list(found), acting_user=acting_user))
    except DomainError:
        # A batch that cannot be booked (an entity's chart without the payable's account)
        # must not refuse the statement: `mutua payouts confirm` says why later.
        return 0


def _facts(data: StatementLineData) -> matching.LineFacts:
    return matching.LineFacts(
        data.amount, data.structured_reference, data.free_text, data.counterparty_iban
    )


def _reference_keys(facts: list[matching.LineFacts]) -> set[str]:
    return {key for fact in facts for key in matching.references_in(fact)}


def _count(result: ImportResult, status: str) -> None:
    if status in (LineStatus.MATCHED, LineStatus.OVERPAID):
        result.matched += 1
        result.overpaid += status == LineStatus.OVERPAID
    else:
        result.unmatched += 1
        result.ambiguous += status == LineStatus.AMBIGUOUS


def _accounts(entity: Entity) -> BankAccounts:
    return BankAccounts(
        bank=posting_account(entity, "bank").code,
        receivable=posting_account(entity, "receivable").code,
        suspense=posting_account(entity, "suspense").code,
    )


def _book_lines(
    entity: Entity,
    lines: list[NewLine],
    matches: list[matching.Match],
    book: matching.OpenBook,
    acting_user: Any,
) -> None:
    chart = _accounts(entity)
    accounts = {
        account.pk: (
            account.journal.code,
            BankAccounts(account.ledger_account.code, chart.receivable, chart.suspense),
        )
        for account in {line.account.pk: line.account for line in lines}.values()
    }
    drafts = []
    for line, found in zip(lines, matches, strict=True):
        journal, codes = accounts[line.account.pk]
        drafts.append(
            bank_line_entry(
                entity_id=entity.pk,
                journal=journal,
                accounts=codes,
                date=line.data.booking_date,
                amount=line.data.amount,
                label=_label(
                    line.data.counterparty_name,
                    line.data.counterparty_iban,
                    line.data.structured_reference or line.data.free_text,
                ),
                piece_ref=f"{line.statement.number}/{line.position}",
                settlement=_settlement(found, book),
            )
        )
    keys = [line.entry_key for line in lines]
    post_entries_bulk(drafts, acting_user=acting_user, idempotency_keys=keys)


def _settlement(found: matching.Match, book: matching.OpenBook) -> Settlement:
    return Settlement(
        client_id=found.client_id,
        invoices=tuple((book.invoices[pk].number, amount) for pk, amount in found.allocations),
        client_credit=found.client_credit,
    )


def line_label(line: StatementLine) -> str:
    return _label(
        line.counterparty_name, line.counterparty_iban, line.structured_reference or line.free_text
    )


def _label(name: str, iban: str, what: str) -> str:
    who = name or iban or "bank"
    return f"{who}: {what}"[:200] if what else who[:200]


# --- manual matching ----------------------------------------------------------------------------


@action("bank.match_line")
def match_line(
    *,
    line: StatementLine,
    invoices: Sequence[Invoice],
    acting_user: Any,
    on: dt.date | None = None,
) -> StatementLine:
    """Match a line that waits in the queue to one client's open invoices, in the order given:
    each gets what it still owes until the money runs out; what is left stays on the client's
    account. The money moves from suspense to the receivable. A line is matched once."""
    line = (
        StatementLine.objects.select_for_update()
        .select_related(
            "account", "account__entity", "account__journal", "account__ledger_account", "statement"
        )
        .get(pk=line.pk)
    )
    entity = line.account.entity
    chosen = _chosen_invoices(line, invoices)
    received = amounts_received(inv.pk for inv in chosen)
    dues = [(inv.pk, inv.total_gross - received.get(inv.pk, ZERO)) for inv in chosen]
    parts, rest = matching.allocate(line.amount, dues)
    if parts:
        record_payments(
            payments=[PaymentReceived(pk, amount) for pk, amount in parts],
            acting_user=acting_user,
        )
    numbers = {inv.pk: inv.number or "" for inv in chosen}
    Allocation.objects.bulk_create(
        Allocation(line=line, invoice_id=pk, amount=amount, method=matching.MANUAL)
        for pk, amount in parts
    )
    add_payments(entity.pk, ((pk, line.booking_date, amount) for pk, amount in parts))
    settlement = Settlement(chosen[0].client_id, tuple((numbers[pk], a) for pk, a in parts), rest)
    codes = _accounts(entity)
    draft = suspense_match_entry(
        entity_id=entity.pk,
        journal=line.account.journal.code,
        accounts=BankAccounts(line.account.ledger_account.code, codes.receivable, codes.suspense),
        date=on or max(line.booking_date, clock.today()),
        label=f"Matched: {line_label(line)}",
        piece_ref=f"{line.statement.number}/{line.position}",
        settlement=settlement,
    )
    post_entry(draft, acting_user=acting_user, idempotency_key=queries.match_entry_key(line))
    _release_fund(
        entity, [PaymentPart(line.pk, pk, amount, draft.date) for pk, amount in parts], acting_user
    )
    before = audit.snapshot(line, ["status", "note"])
    line.status = LineStatus.OVERPAID if rest > 0 else LineStatus.MATCHED
    line.note = "Paid beyond the invoices: the surplus is on the client's account" if rest else ""
    line.client_id, line.client_credit = chosen[0].client_id, rest
    line.matched_at, line.matched_by = clock.now(), person_acting(acting_user)
    line.save(
        update_fields=["status", "note", "client", "client_credit", "matched_at", "matched_by"]
    )
    audit.record(
        actor=acting_user,
        action="bank.match_line",
        subject=line,
        entity_id=entity.pk,
        before=before,
        after={
            "status": line.status,
            "invoices": [numbers[pk] for pk, _ in parts],
            "client_credit": str(rest),
        },
    )
    return line


def _chosen_invoices(line: StatementLine, invoices: Sequence[Invoice]) -> list[Invoice]:
    if line.status not in QUEUE_STATUSES:
        raise StateConflict("this line is already matched")
    if line.amount <= 0:
        raise RuleViolation("outgoing payments are reconciled with the payouts, not invoices")
    ids = list(dict.fromkeys(invoice.pk for invoice in invoices))
    if not ids:
        raise InvalidInput("choose at least one invoice", field="invoices")
    found = Invoice.objects.filter(
        pk__in=ids,
        entity_id=line.account.entity_id,
        kind=InvoiceKind.INVOICE,
        status__in=OPEN_STATUSES,
    ).in_bulk()
    if len(found) != len(ids):
        raise InvalidInput("choose open invoices of this entity", field="invoices")
    chosen = [found[pk] for pk in ids]
    if len({invoice.client_id for invoice in chosen}) > 1:
        raise InvalidInput("one payment settles the invoices of one client", field="invoices")
    return chosen
