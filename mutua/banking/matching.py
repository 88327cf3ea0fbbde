"""Which open invoices a bank line pays. Pure: no ORM, so ten thousand lines match in memory.

The order is the Febelfin practice of Belgian accountants, most certain first:
1. the structured reference (Belgian +++ddd/dddd/ddddd+++ or ISO 11649 RF) given by the bank,
   or written in the free communication;
2. invoice numbers written in the free communication (several numbers are accepted only when
   the amount pays exactly all of them);
3. the amount together with the payer's IBAN, known from the client's earlier payments.
Anything else, or two invoices that fit equally, is not guessed: the line waits in the staff
queue with suggestions. A payment above what is due leaves the surplus on the client's account;
below, the invoice is partly paid.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from mutua.invoicing.documents.payment import is_rf_creditor_reference, ogm_digits

ZERO = Decimal("0")
OGM_IN_TEXT = re.compile(r"[+*]{3}\s*(\d{3})\s*/?\s*(\d{4})\s*/?\s*(\d{5})\s*[+*]{3}")
RF_IN_TEXT = re.compile(r"\bRF\s?\d{2}(?:\s?[A-Z0-9]){1,21}\b", re.IGNORECASE)
TOKEN = re.compile(r"[A-Z0-9](?:[A-Z0-9/._-]*[A-Z0-9])?")

REFERENCE = "reference"
INVOICE_NUMBER = "invoice_number"
AMOUNT_AND_IBAN = "amount_iban"
MANUAL = "manual"


@dataclass(frozen=True, slots=True)
class OpenInvoice:
    id: int
    number: str
    client_id: int
    payment_reference: str
    due: Decimal


@dataclass(frozen=True, slots=True)
class LineFacts:
    amount: Decimal
    structured_reference: str = ""
    free_text: str = ""
    counterparty_iban: str = ""


@dataclass(frozen=True, slots=True)
class Match:
    status: str  # matched, overpaid, unmatched, ambiguous (models.LineStatus values)
    allocations: tuple[tuple[int, Decimal], ...] = ()  # (invoice id, amount)
    method: str = ""
    client_id: int | None = None
    client_credit: Decimal = ZERO
    note: str = ""

    @property
    def allocated(self) -> Decimal:
        return sum((amount for _, amount in self.allocations), start=ZERO)


@dataclass
class OpenBook:
    """The entity's open invoices, indexed; `due` goes down as lines are matched."""

    invoices: dict[int, OpenInvoice]
    clients_by_iban: dict[str, set[int]] = field(default_factory=dict)
    closed_references: dict[str, str] = field(default_factory=dict)  # key -> number
    due: dict[int, Decimal] = field(init=False)
    by_reference: dict[str, int] = field(init=False)
    by_number: dict[str, int] = field(init=False)
    by_client: dict[int, list[int]] = field(init=False)
    by_due: dict[Decimal, list[int]] = field(init=False)

    def __post_init__(self) -> None:
        self.due = {pk: invoice.due for pk, invoice in self.invoices.items()}
        self.by_reference, self.by_number = {}, {}
        self.by_client, self.by_due = defaultdict(list), defaultdict(list)
        for invoice in self.invoices.values():
            key = reference_key(invoice.payment_reference)
            if key:
                self.by_reference[key] = invoice.id
            self.by_number[invoice.number.upper()] = invoice.id
            self.by_client[invoice.client_id].append(invoice.id)
            self.by_due[invoice.due].append(invoice.id)


@lru_cache(maxsize=65_536)
def reference_key(reference: str) -> str:
    """12 digits for a Belgian structured communication, the compact RF reference, or ''."""
    if not reference:
        return ""
    digits = ogm_digits(reference)
    if digits:
        return digits
    if is_rf_creditor_reference(reference):
        return reference.replace(" ", "").upper()
    return ""


def references_in(line: LineFacts) -> list[str]:
    found = [reference_key(line.structured_reference)]
    for match in OGM_IN_TEXT.finditer(line.free_text):
        found.append(reference_key("".join(match.groups())))
    for match in RF_IN_TEXT.finditer(line.free_text):
        found.append(reference_key(match.group(0)))
    return list(dict.fromkeys(key for key in found if key))


def match_line(book: OpenBook, line: LineFacts) -> Match:
    if line.amount <= 0:
        return Match("unmatched", note="Outgoing payment")
    for matcher in (_by_reference, _by_number, _by_amount_and_iban):
        result = matcher(book, line)
        if result is not None:
            return result
    return Match("unmatched", note="No invoice found")


def match_lines(book: OpenBook, lines: Iterable[LineFacts]) -> list[Match]:
    return [match_line(book, line) for line in lines]


def _by_reference(book: OpenBook, line: LineFacts) -> Match | None:
    keys = references_in(line)
    open_ids = [book.by_reference[key] for key in keys if key in book.by_reference]
    if len(open_ids) == 1:
        return _allocate(book, line.amount, open_ids, REFERENCE)
    if len(open_ids) > 1:
        return _ambiguous(book, open_ids)
    closed = [book.closed_references[key] for key in keys if key in book.closed_references]
    if closed:
        return Match("unmatched", note=f"Reference of {closed[0]}, which is not open")
    return None


def _by_number(book: OpenBook, line: LineFacts) -> Match | None:
    tokens = TOKEN.findall(line.free_text.upper())
    ids = list(dict.fromkeys(book.by_number[t] for t in tokens if t in book.by_number))
    if len(ids) == 1:
        return _allocate(book, line.amount, ids, INVOICE_NUMBER)
    if len(ids) > 1:
        one_client = len({book.invoices[pk].client_id for pk in ids}) == 1
        if one_client and sum(book.due[pk] for pk in ids) == line.amount:
            return _allocate(book, line.amount, ids, INVOICE_NUMBER)
        return _ambiguous(book, ids)
    return None


def _by_amount_and_iban(book: OpenBook, line: LineFacts) -> Match | None:
    clients = book.clients_by_iban.get(line.counterparty_iban, set())
    ids = [
        pk
        for client in sorted(clients)
        for pk in book.by_client.get(client, [])
        if book.due[pk] == line.amount
    ]
    if len(ids) == 1:
        return _allocate(book, line.amount, ids, AMOUNT_AND_IBAN)
    if len(ids) > 1:
        return _ambiguous(book, ids)
    return None


def _ambiguous(book: OpenBook, ids: list[int]) -> Match:
    numbers = ", ".join(book.invoices[pk].number for pk in ids[:5])
    return Match("ambiguous", note=f"Could pay {numbers}: choose")


def _allocate(book: OpenBook, amount: Decimal, ids: list[int], method: str) -> Match:
    if all(book.due[pk] <= 0 for pk in ids):
        numbers = ", ".join(book.invoices[pk].number for pk in ids)
        return Match("unmatched", note=f"{numbers} already paid: a second payment?")
    allocations, rest = allocate(amount, [(pk, book.due[pk]) for pk in ids])
    for pk, part in allocations:
        book.due[pk] -= part
    client = book.invoices[ids[0]].client_id
    status = "overpaid" if rest > 0 else "matched"
    note = "Paid beyond the invoice: the surplus is on the client's account" if rest > 0 else ""
    return Match(status, tuple(allocations), method, client, rest, note)


def allocate(
    amount: Decimal, dues: list[tuple[int, Decimal]]
) -> tuple[list[tuple[int, Decimal]], Decimal]:
    """Pay the invoices in the order given up to what each still owes; returns the parts and
    what is left over."""
    parts: list[tuple[int, Decimal]] = []
    rest = amount
    for pk, due in dues:
        part = min(rest, due)
        if part > 0:
            parts.append((pk, part))
            rest -= part
    return parts, rest


# --- suggestions for the queue -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Suggestion:
    invoice: OpenInvoice
    reason: str


def suggestions(book: OpenBook, line: LineFacts, limit: int = 5) -> list[Suggestion]:
    """Invoices a person should look at first: named in the line, same amount, same payer."""
    if line.amount <= 0:
        return []
    found: dict[int, str] = {}
    tokens = TOKEN.findall(line.free_text.upper())
    keys = references_in(line)
    for pk in [book.by_reference[k] for k in keys if k in book.by_reference]:
        found.setdefault(pk, "reference")
    for pk in [book.by_number[t] for t in tokens if t in book.by_number]:
        found.setdefault(pk, "invoice number")
    for client in sorted(book.clients_by_iban.get(line.counterparty_iban, set())):
        for pk in book.by_client.get(client, []):
            found.setdefault(pk, "same payer")
    for pk in book.by_due.get(line.amount, []):
        found.setdefault(pk, "same amount")
    return [
        Suggestion(book.invoices[pk], reason)
        for pk, reason in list(found.items())[:limit]
        if book.due[pk] > 0
    ]
