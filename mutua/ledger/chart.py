"""Chart templates: a country's accounts, journals and posting map, read as data from
`mutua/countries/<cc>/chart.py`. Pure: no ORM. The module is found from the country code, so the
ledger never branches on a country."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from mutua.core.errors import InvalidInput
from mutua.countries.registry import country_part

ACCOUNT_KINDS = ("asset", "liability", "equity", "income", "expense")
JOURNAL_KINDS = (
    "sales",
    "purchases",
    "bank",
    "payroll",
    "expenses",
    "miscellaneous",
    "opening",
)
# Events every chart must map: the money loop of DESIGN.md §3 touches each of them.
REQUIRED_EVENTS = (
    "receivable",
    "sales",
    "vat_collected",
    "fee_income",
    "fee_charge",
    "activity_budget",
    "bank",
    "gross_pay",
    "employer_contributions",
    "social_debts",
    "net_pay_payable",
    "withholding_tax",
    "guarantee_fund",
    "share_capital",
    "suppliers",
    "vat_deductible",
    "expenses",
    # Mutual services, the guarantee fund, loans and shares (issues 6-8): every country has them.
    "members_payable",
    "fund_allocation",
    "fund_exposure",
    "fund_commitments",
    "bad_debts",
    "services_charge",
    "services_income",
    "activity_loans",
    "interest_income",
    "shares_payable",
)


@dataclass(frozen=True)
class AccountTemplate:
    code: str
    name: str
    kind: str


@dataclass(frozen=True)
class JournalTemplate:
    code: str
    name: str
    kind: str


@dataclass(frozen=True)
class ChartTemplate:
    country: str
    accounts: tuple[AccountTemplate, ...]
    journals: tuple[JournalTemplate, ...]
    posting_map: dict[str, str]
    fiscal_year_start_month: int

    def counts_in_budget(self, account: AccountTemplate) -> bool:
        """An activity's budget is its result (income − expenses) plus what is carried on the
        activity budget account, all read on the activity dimension (DESIGN.md §3)."""
        return account.kind in ("income", "expense") or (
            account.code == self.posting_map["activity_budget"]
        )


@cache
def chart_for(country: str) -> ChartTemplate:
    module = country_part(country, "chart")
    if module is None:
        raise InvalidInput(f"no chart of accounts for country {country!r}")
    chart = ChartTemplate(
        country=country.upper(),
        accounts=tuple(AccountTemplate(*row) for row in module.ACCOUNTS),
        journals=tuple(JournalTemplate(*row) for row in module.JOURNALS),
        posting_map=dict(module.POSTING_MAP),
        fiscal_year_start_month=int(getattr(module, "FISCAL_YEAR_START_MONTH", 1)),
    )
    check_chart(chart)
    return chart


def check_chart(chart: ChartTemplate) -> None:
    codes = {account.code for account in chart.accounts}
    problems = [
        f"account {a.code}: kind {a.kind!r}" for a in chart.accounts if a.kind not in ACCOUNT_KINDS
    ]
    problems += [
        f"journal {j.code}: kind {j.kind!r}" for j in chart.journals if j.kind not in JOURNAL_KINDS
    ]
    problems += [
        f"event {e!r} is not mapped" for e in REQUIRED_EVENTS if e not in chart.posting_map
    ]
    problems += [
        f"event {event!r} maps to unknown account {code}"
        for event, code in chart.posting_map.items()
        if code not in codes
    ]
    if len(codes) != len(chart.accounts):
        problems.append("duplicate account codes")
    if problems:
        raise InvalidInput(f"chart {chart.country} is inconsistent: " + "; ".join(problems))
