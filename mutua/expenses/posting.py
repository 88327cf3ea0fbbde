"""The entry an approved claim posts. Pure: no ORM.

Dr expenses (activity dimension): what the activity bears, the refund less recoverable VAT
Dr VAT deductible: the VAT the cooperative gets back
Cr members payable (member dimension): the refund owed to the member
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from mutua.ledger.drafts import EntryDraft, LineDraft


@dataclass(frozen=True)
class ClaimFigures:
    entity_id: int
    activity_id: int
    person_id: int
    reference: str
    title: str
    total: Decimal
    vat_recoverable: Decimal


@dataclass(frozen=True)
class Accounts:
    expenses: str
    vat_deductible: str
    members_payable: str


def approval_draft(
    claim: ClaimFigures, accounts: Accounts, *, journal: str, on: dt.date, piece_date: dt.date
) -> EntryDraft:
    label = f"{claim.reference} {claim.title}"[:200]
    lines = [
        LineDraft(
            accounts.expenses,
            debit=claim.total - claim.vat_recoverable,
            activity_id=claim.activity_id,
            label=label,
        )
    ]
    if claim.vat_recoverable:
        lines.append(LineDraft(accounts.vat_deductible, debit=claim.vat_recoverable, label=label))
    lines.append(
        LineDraft(
            accounts.members_payable, credit=claim.total, member_id=claim.person_id, label=label
        )
    )
    return EntryDraft(
        entity_id=claim.entity_id,
        journal=journal,
        date=on,
        label=label,
        lines=tuple(lines),
        piece_ref=claim.reference,
        piece_date=piece_date,
    )
