"""How bank movements are booked, as entry drafts (DESIGN.md §3). Pure: no ORM.

Money in that pays invoices: debit the bank, credit the receivable on the client's dimension
(what the client owes goes down); paid beyond the invoices: the surplus is also credited to the
client's receivable, where it shows as a credit balance the cooperative owes the client (to
refund or to set against the next invoice). Money in or out that is not matched yet: the bank
against the suspense account, so the bank account in the books always equals the statement;
a later manual match moves it from suspense to the receivable.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal

from mutua.banking.formats import StatementLineData, compact
from mutua.ledger.drafts import EntryDraft, LineDraft

ZERO = Decimal("0")


@dataclass(frozen=True, slots=True)
class BankAccounts:
    """Account codes of the entity's chart that bank postings use."""

    bank: str
    receivable: str
    suspense: str


@dataclass(frozen=True, slots=True)
class Settlement:
    """What a line pays: invoice parts (number, amount) and a surplus for one client."""

    client_id: int | None
    invoices: tuple[tuple[str, Decimal], ...] = ()
    client_credit: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return sum((amount for _, amount in self.invoices), start=self.client_credit)


def natural_key(line: StatementLineData) -> str:
    """What makes a movement the same movement in any later file (not the bank's ids)."""
    parts = [
        line.booking_date.isoformat(),
        line.value_date.isoformat(),
        f"{line.amount.quantize(Decimal('0.01'))}",
        line.counterparty_iban.upper(),
        compact(line.structured_reference).upper(),
        compact(line.free_text).upper(),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def with_occurrences(keys: list[str]) -> list[int]:
    """1 for the first line with a key, 2 for the second identical one, and so on."""
    seen: dict[str, int] = {}
    result = []
    for key in keys:
        seen[key] = seen.get(key, 0) + 1
        result.append(seen[key])
    return result


def bank_line_entry(
    *,
    entity_id: int,
    journal: str,
    accounts: BankAccounts,
    date: dt.date,
    amount: Decimal,
    label: str,
    piece_ref: str,
    settlement: Settlement,
) -> EntryDraft:
    """The bank movement: what it settles, and the rest in suspense."""
    if amount < 0:
        lines = [
            LineDraft(accounts.suspense, debit=-amount, label=label),
            LineDraft(accounts.bank, credit=-amount, label=label),
        ]
    else:
        rest = amount - settlement.total
        lines = [LineDraft(accounts.bank, debit=amount, label=label)]
        lines += _settled(accounts, settlement)
        if rest:
            lines.append(LineDraft(accounts.suspense, credit=rest, label=f"To match: {label}"))
    return EntryDraft(entity_id, journal, date, label[:200], tuple(lines), piece_ref[:60])


def suspense_match_entry(
    *,
    entity_id: int,
    journal: str,
    accounts: BankAccounts,
    date: dt.date,
    label: str,
    piece_ref: str,
    settlement: Settlement,
) -> EntryDraft:
    """A line matched by hand after it went to suspense: suspense to the receivable."""
    lines = [LineDraft(accounts.suspense, debit=settlement.total, label=label)]
    lines += _settled(accounts, settlement)
    return EntryDraft(entity_id, journal, date, label[:200], tuple(lines), piece_ref[:60])


def _settled(accounts: BankAccounts, settlement: Settlement) -> list[LineDraft]:
    client = settlement.client_id
    lines = [
        LineDraft(accounts.receivable, credit=amount, client_id=client, label=f"Payment {number}")
        for number, amount in settlement.invoices
    ]
    if settlement.client_credit:
        lines.append(
            LineDraft(
                accounts.receivable,
                credit=settlement.client_credit,
                client_id=client,
                label="Paid beyond the invoices: left on the client's account",
            )
        )
    return lines
