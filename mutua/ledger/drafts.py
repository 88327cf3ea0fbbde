"""Entry drafts and the rules a draft must pass before it is posted. Pure: no ORM.

Other apps build an `EntryDraft` and hand it to `ledger.actions.post_entry`. Accounts are named by
their code in the entity's chart; `chart.posting_account` maps an event ("receivable") to it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from mutua.core.errors import InvalidAmount, InvalidInput, RuleViolation
from mutua.core.money import minor_units, to_decimal

ZERO = Decimal("0")

# Balance dimensions maintained in the aggregate table: "" is the account total.
DIMENSIONS = ("", "activity", "client", "member")


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
    """The draft with exact amounts and every line's currency filled in; refuses bad amounts."""
    lines = tuple(_normalized_line(line, currency) for line in draft.lines)
    return replace(draft, lines=lines, piece_date=draft.piece_date or draft.date)


def _normalized_line(line: LineDraft, currency: str) -> LineDraft:
    line_currency = line.currency or currency
    debit = _exact(line.debit, line_currency)
    credit = _exact(line.credit, line_currency)
    if debit < 0 or credit < 0:
        raise InvalidAmount(f"account {line.account}: amounts must not be negative")
    if (debit == 0) == (credit == 0):
        raise InvalidAmount(f"account {line.account}: a line is either a debit or a credit")
    return replace(line, debit=debit, credit=credit, currency=line_currency)


def _exact(value: object, currency: str) -> Decimal:
    amount = to_decimal(value)
    quantum = Decimal(1).scaleb(-minor_units(currency))
    if amount != amount.quantize(quantum):
        raise InvalidAmount(f"{amount} has more decimals than {currency} allows")
    return amount.quantize(quantum)


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
    canonical = {
        "entity": draft.entity_id,
        "journal": draft.journal,
        "date": draft.date.isoformat(),
        "label": draft.label,
        "piece": [draft.piece_ref, draft.piece_date.isoformat() if draft.piece_date else ""],
        "lines": [
            [
                ln.account,
                str(ln.debit),
                str(ln.credit),
                ln.currency,
                ln.activity_id,
                ln.member_id,
                ln.client_id,
                ln.label,
            ]
            for ln in draft.lines
        ],
    }
    text = json.dumps(canonical, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def reversal_lines(lines: Sequence[LineDraft]) -> tuple[LineDraft, ...]:
    """The lines that cancel `lines`: each debit becomes a credit, same dimensions."""
    return tuple(replace(line, debit=line.credit, credit=line.debit) for line in lines)


# --- aggregate deltas ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BalanceKey:
    account_id: int
    dimension: str
    dimension_id: int
    currency: str
    day: dt.date


def balance_deltas(
    rows: Iterable[tuple[int, dt.date, LineDraft]],
) -> dict[BalanceKey, list[Decimal]]:
    """What posting these (account id, date, line) rows adds to each aggregate row.

    Each line counts once in its account total and once per dimension it carries.
    """
    deltas: dict[BalanceKey, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for account_id, day, line in rows:
        for dimension, dimension_id in _dimensions_of(line):
            total = deltas[BalanceKey(account_id, dimension, dimension_id, line.currency, day)]
            total[0] += line.debit
            total[1] += line.credit
    return dict(deltas)


def _dimensions_of(line: LineDraft) -> list[tuple[str, int]]:
    found = [("", 0)]
    if line.activity_id is not None:
        found.append(("activity", line.activity_id))
    if line.client_id is not None:
        found.append(("client", line.client_id))
    if line.member_id is not None:
        found.append(("member", line.member_id))
    return found
