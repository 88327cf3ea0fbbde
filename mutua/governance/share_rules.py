"""Pure rules of the share register (no ORM): the withdrawal window and the repayment cap.

- Withdrawal only in the first months of the financial year (6:120 §1: six by default), with
  all shares; death counts as a withdrawal (6:121); exclusion follows the statutes.
- Repayment at most the paid-up amount, capped at the net asset value from the last approved
  accounts (6:120 §2). Shares of different classes are valued in proportion to their paid-up
  capital: ratio = net assets / paid-up capital, so a holder gets min(paid up, paid up x ratio),
  rounded down to the cent (the cooperative never repays a cent more than the cap).
- Repayment only if the solvency and liquidity tests pass (6:115-6:116); otherwise postponed.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, Decimal

CENT = Decimal("0.01")
# Payment references of subscriptions live in their own range of the ten digits of a Belgian
# structured communication, far above the invoices' (year x 10^8 + number): no collision.
SUBSCRIPTION_REFERENCE_BASE = 9_900_000_000


def withdrawal_window_open(on: dt.date, year_start: dt.date, months: int) -> bool:
    """Whether `on` falls in the first `months` months of the financial year starting then."""
    end_month = year_start.month - 1 + months
    end = dt.date(year_start.year + end_month // 12, end_month % 12 + 1, 1)
    return year_start <= on < end


def repayment(paid_up: Decimal, net_assets: Decimal, capital_paid_up: Decimal) -> Decimal:
    """What a holder gets back for shares with `paid_up` capital, capped at net asset value."""
    if paid_up <= 0 or net_assets <= 0 or capital_paid_up <= 0:
        return Decimal("0.00")
    valued = (paid_up * net_assets / capital_paid_up).quantize(CENT, rounding=ROUND_DOWN)
    return min(paid_up, valued)


def subscription_reference_base(subscription_id: int) -> int:
    return SUBSCRIPTION_REFERENCE_BASE + subscription_id
