"""How an issued invoice or credit note is booked (DESIGN.md §3), as an entry draft.

Invoice: the client owes the gross amount (receivable, client dimension); the activity earns the
net amount (sales, activity dimension); VAT is owed to the state; the cooperative's fee is charged
to the activity and earned by the cooperative (its own dimension). A credit note is the mirror.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from mutua.ledger.drafts import EntryDraft, LineDraft, reversal_lines


def invoice_entry(
    *,
    entity_id: int,
    journal: str,
    account: Callable[[str], str],
    date: dt.date,
    number: str,
    client_id: int,
    activity_id: int,
    net: Decimal,
    vat: Decimal,
    fee: Decimal,
    credit_note: bool = False,
) -> EntryDraft:
    kind = "Credit note" if credit_note else "Invoice"
    title, fee_title = f"{kind} {number}", f"Cooperative fee on {number}"
    lines = [
        LineDraft(account("receivable"), debit=net + vat, client_id=client_id, label=title),
        LineDraft(account("sales"), credit=net, activity_id=activity_id, label=title),
    ]
    if vat:
        lines.append(LineDraft(account("vat_collected"), credit=vat, label=title))
    if fee:
        lines += [
            LineDraft(account("fee_charge"), debit=fee, activity_id=activity_id, label=fee_title),
            LineDraft(account("fee_income"), credit=fee, label=fee_title),
        ]
    booked = reversal_lines(lines) if credit_note else tuple(lines)
    return EntryDraft(
        entity_id=entity_id,
        journal=journal,
        date=date,
        label=title,
        lines=booked,
        piece_ref=number,
    )
