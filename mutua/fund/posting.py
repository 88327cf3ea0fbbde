"""How the guarantee fund's movements are booked, as entry drafts. Pure: no ORM.

- Advance (exposure): a memo pair, Dr fund_exposure / Cr fund_commitments, on the activity and
  client dimensions. Neither account counts in an activity's budget: the pay itself was booked
  by the payslip; the pair only records the risk the fund carries until the client pays.
- Release: the mirror of the advance, for the part the client's payment repaid.
- Write-off: the receivable is cleared; the fund absorbs what it covers (Dr guarantee_fund),
  the activity is charged what it does not (Dr bad_debts on the activity), and the open
  advances on the invoice are released from the memo pair (the loss is now booked).
- Feed: the fund's share of the fees, Dr fund_allocation / Cr guarantee_fund (the cooperative's
  own result, no activity).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from mutua.ledger.drafts import EntryDraft, LineDraft

ZERO = Decimal("0")


@dataclass(frozen=True, slots=True)
class FundAccounts:
    """Account codes of the entity's chart that the fund's postings use."""

    exposure: str
    commitments: str
    fund: str
    allocation: str
    receivable: str
    bad_debts: str


def exposure_entry(
    *,
    entity_id: int,
    journal: str,
    accounts: FundAccounts,
    date: dt.date,
    activity_id: int,
    client_id: int,
    amount: Decimal,
    label: str,
    piece_ref: str,
    release: bool = False,
) -> EntryDraft:
    memo = [
        LineDraft(accounts.exposure, debit=amount, activity_id=activity_id, client_id=client_id),
        LineDraft(accounts.commitments, credit=amount, activity_id=activity_id),
    ]
    if release:
        memo = [
            LineDraft(
                accounts.exposure, credit=amount, activity_id=activity_id, client_id=client_id
            ),
            LineDraft(accounts.commitments, debit=amount, activity_id=activity_id),
        ]
    return EntryDraft(entity_id, journal, date, label[:200], tuple(memo), piece_ref[:60])


def write_off_entry(
    *,
    entity_id: int,
    journal: str,
    accounts: FundAccounts,
    date: dt.date,
    activity_id: int,
    client_id: int,
    covered: Decimal,
    uncovered: Decimal,
    released: Decimal,
    label: str,
    piece_ref: str,
) -> EntryDraft:
    lines = [
        LineDraft(
            accounts.receivable, credit=covered + uncovered, client_id=client_id, label=label
        ),
    ]
    if covered:
        lines.append(LineDraft(accounts.fund, debit=covered, label=label))
    if uncovered:
        lines.append(
            LineDraft(accounts.bad_debts, debit=uncovered, activity_id=activity_id, label=label)
        )
    if released:
        lines += [
            LineDraft(
                accounts.exposure, credit=released, activity_id=activity_id, client_id=client_id
            ),
            LineDraft(accounts.commitments, debit=released, activity_id=activity_id),
        ]
    return EntryDraft(entity_id, journal, date, label[:200], tuple(lines), piece_ref[:60])


def feed_entry(
    *,
    entity_id: int,
    journal: str,
    accounts: FundAccounts,
    date: dt.date,
    amount: Decimal,
    label: str,
) -> EntryDraft:
    lines = (
        LineDraft(accounts.allocation, debit=amount, label=label),
        LineDraft(accounts.fund, credit=amount, label=label),
    )
    return EntryDraft(entity_id, journal, date, label[:200], lines, f"FUND-{date:%Y%m}")
