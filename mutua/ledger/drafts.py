"""Entry drafts and the rules a draft must pass before it is posted. Pure: no ORM.

Other apps build an `EntryDraft` and hand it to `ledger.actions.post_entry`. Accounts are named by
their code in the entity's chart; `chart.posting_account` maps an event ("receivable") to it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache

from mutua.core.errors import InvalidAmount, InvalidInput, RuleViolation
from mutua.core.money import minor_units, to_decimal

ZERO = Decimal("0")


@dataclass(frozen=True, slots=True)
class LineDraft:
    account: str
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    currency: str = ""  # empty: the entity's currency
    activity_id: int | None = None
    member_id: int | None = None
    client_id: int | None = None
    label: str = ""


@dataclass(frozen=True, slots=True)
class EntryDraft:
    entity_id: int
    journal: str
    date: dt.date
    label: str
    lines: tuple[LineDraft, ...]
    piece_ref: str = ""
    piece_date: dt.date | None = None


def normalized(draft: EntryDraft, currency: str) -> EntryDraft:
    """The draft with exact amounts and every line's currency filled in; refuses bad amounts.

    Built with the constructors rather than dataclasses.replace: bulk posting runs this for
    every line, and replace() is several times slower.
    """
    lines = tuple(_normalized_line(line, currency) for line in draft.lines)
    return EntryDraft(
        draft.entity_id,
        draft.journal,
        draft.date,
        draft.label,
        lines,
        draft.piece_ref,
        draft.piece_date or draft.date,
    )


def _normalized_line(line: LineDraft, currency: str) -> LineDraft:
    line_currency = line.currency or currency
    debit = _exact(line.debit, line_currency)
    credit = _exact(line.credit, line_currency)
    if debit < 0 or credit < 0:
        raise InvalidAmount(f"account {line.account}: amounts must not be negative")
    if (debit == 0) == (credit == 0):
        raise InvalidAmount(f"account {line.account}: a line is either a debit or a credit")
    return LineDraft(
        line.account,
        debit,
        credit,
        line_currency,
        line.activity_id,
        line.member_id,
        line.client_id,
        line.label,
    )


@cache
def _quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-minor_units(currency))


def _exact(value: object, currency: str) -> Decimal:
    amount = to_decimal(value)
    exact = amount.quantize(_quantum(currency))
    if amount != exact:
        raise InvalidAmount(f"{amount} has more decimals than {currency} allows")
    return exact


def check_balanced(draft: EntryDraft) -> None:
    """Double entry: per currency, the debits equal the credits (an entry has two lines or more)."""
    if len(draft.lines) < 2:
        raise InvalidInput("an entry needs at least two lines")
    if not draft.label.strip():
        raise InvalidInput("an entry needs a label", field="label")
    for currency, (debit, credit) in totals_by_currency(draft.lines).items():
        if debit != credit:
            raise RuleViolation(
                f"entry does not balance in {currency}: debit {debit} != credit {credit}"
            )


def totals_by_currency(lines: Iterable[LineDraft]) -> dict[str, tuple[Decimal, Decimal]]:
    totals: dict[str, tuple[Decimal, Decimal]] = {}
    for line in lines:
        debit, credit = totals.get(line.currency, (ZERO, ZERO))
        totals[line.currency] = (debit + line.debit, credit + line.credit)
    return totals


def fingerprint(draft: EntryDraft) -> str:
    """A digest of what the entry says: tells a replay from another request with the same key."""
    parts = [
        str(draft.entity_id),
        draft.journal,
        draft.date.isoformat(),
        draft.label,
        draft.piece_ref,
        draft.piece_date.isoformat() if draft.piece_date else "",
    ]
    for ln in draft.lines:
        parts += [ln.account, str(ln.debit), str(ln.credit), ln.currency, str(ln.activity_id)]
        parts += [str(ln.member_id), str(ln.client_id), ln.label]
    # The unit separator cannot appear in a label typed by a person, so fields cannot run together.
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def reversal_lines(lines: Sequence[LineDraft]) -> tuple[LineDraft, ...]:
    """The lines that cancel `lines`: each debit becomes a credit, same dimensions."""
    return tuple(replace(line, debit=line.credit, credit=line.debit) for line in lines)
