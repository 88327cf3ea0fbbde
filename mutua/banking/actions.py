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

from django.utils import timezone

from mutua.banking import matching, queries
from mutua.banking.formats import StatementData, read_statement_file
from mutua.banking.models import (
    QUEUE_STATUSES,
    Allocation,
    BankAccount,
    LineStatus,
    Statement,
    StatementLine,
)
from mutua.banking.posting import (
    BankAccounts,
    Settlement,
    bank_line_entry,
    natural_key,
    suspense_match_entry,
    with_occurrences,
)
from mutua.core import audit
from mutua.core.audit import action
from mutua.core.errors import InvalidInput, RuleViolation, StateConflict
from mutua.core.identifiers import validate_iban
from mutua.entities.models import Entity
from mutua.invoicing.models import Invoice, InvoiceKind
from mutua.invoicing.payments import PaymentReceived, amounts_received, record_payments
from mutua.invoicing.queries import OPEN_STATUSES
from mutua.ledger.actions import post_entries_bulk, post_entry
from mutua.ledger.models import JournalKind
from mutua.ledger.queries import journal_for, posting_account

ZERO = Decimal("0")


class StatementRefused(RuleViolation):
    """The file is readable but cannot be booked: wrong account or currency, a gap, a clash."""

    code = "statement_refused"


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
    new_lines: list[StatementLine] = []
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
) -> tuple[Statement | None, list[StatementLine], int]:
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
        imported_by=_user(acting_user),
    )
    lines = [
        StatementLine(
            account=account,
            statement=statement,
            position=position,
            booking_date=line.booking_date,
            value_date=line.value_date,
            amount=line.amount,
            currency=account.currency,
            counterparty_name=line.counterparty_name[:200],
            counterparty_iban=line.counterparty_iban[:34],
            structured_reference=line.structured_reference[:40],
            free_text=line.free_text[:500],
            bank_reference=line.bank_reference[:100],
            natural_key=key,
            occurrence=n,
            status=LineStatus.UNMATCHED,
        )
        for position, (line, key, n) in enumerate(fresh, start=1)
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


def _user(acting_user: Any) -> Any:
    return acting_user if getattr(acting_user, "is_authenticated", False) else None


# --- reconciliation -----------------------------------------------------------------------------


def _reconcile(
    entity: Entity, lines: list[StatementLine], acting_user: Any, result: ImportResult
) -> None:
    """Match the new lines, store them and their allocations, book them: set-based."""
    if not lines:
        return
    facts = [queries.line_facts(line) for line in lines]
    book = queries.open_book(entity, _reference_keys(facts))
    matches = matching.match_lines(book, facts)
    for line, found in zip(lines, matches, strict=True):
        line.status, line.note = found.status, found.note[:300]
        line.client_id, line.client_credit = found.client_id, found.client_credit
        _count(result, found.status)
    StatementLine.objects.bulk_create(lines, batch_size=2_000)
    payments = [
        PaymentReceived(pk, amount) for found in matches for pk, amount in found.allocations
    ]
    if payments:
        record_payments(payments=payments, acting_user=acting_user)
    Allocation.objects.bulk_create(
        (
            Allocation(line=line, invoice_id=pk, amount=amount, method=found.method)
            for line, found in zip(lines, matches, strict=True)
            for pk, amount in found.allocations
        ),
        batch_size=2_000,
    )
    _book_lines(entity, lines, matches, book, acting_user)


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
    lines: list[StatementLine],
    matches: list[matching.Match],
    book: matching.OpenBook,
    acting_user: Any,
) -> None:
    codes = _accounts(entity)
    accounts = {
        line.account_id: (
            line.account.journal.code,
            BankAccounts(line.account.ledger_account.code, codes.receivable, codes.suspense),
        )
        for line in lines
    }
    drafts = []
    for line, found in zip(lines, matches, strict=True):
        journal, codes = accounts[line.account_id]
        drafts.append(
            bank_line_entry(
                entity_id=entity.pk,
                journal=journal,
                accounts=codes,
                date=line.booking_date,
                amount=line.amount,
                label=line_label(line),
                piece_ref=f"{line.statement.number}/{line.position}",
                settlement=_settlement(found, book),
            )
        )
    keys = [queries.line_entry_key(line) for line in lines]
    post_entries_bulk(drafts, acting_user=acting_user, idempotency_keys=keys)


def _settlement(found: matching.Match, book: matching.OpenBook) -> Settlement:
    return Settlement(
        client_id=found.client_id,
        invoices=tuple((book.invoices[pk].number, amount) for pk, amount in found.allocations),
        client_credit=found.client_credit,
    )


def line_label(line: StatementLine) -> str:
    who = line.counterparty_name or line.counterparty_iban or "bank"
    what = line.structured_reference or line.free_text
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
    settlement = Settlement(chosen[0].client_id, tuple((numbers[pk], a) for pk, a in parts), rest)
    codes = _accounts(entity)
    draft = suspense_match_entry(
        entity_id=entity.pk,
        journal=line.account.journal.code,
        accounts=BankAccounts(line.account.ledger_account.code, codes.receivable, codes.suspense),
        date=on or max(line.booking_date, timezone.localdate()),
        label=f"Matched: {line_label(line)}",
        piece_ref=f"{line.statement.number}/{line.position}",
        settlement=settlement,
    )
    post_entry(draft, acting_user=acting_user, idempotency_key=queries.match_entry_key(line))
    before = audit.snapshot(line, ["status", "note"])
    line.status = LineStatus.OVERPAID if rest > 0 else LineStatus.MATCHED
    line.note = "Paid beyond the invoices: the surplus is on the client's account" if rest else ""
    line.client_id, line.client_credit = chosen[0].client_id, rest
    line.matched_at, line.matched_by = timezone.now(), _user(acting_user)
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
