"""Swedish chart of accounts: the BAS accounts (BAS-kontoplanen) that the cooperative's events
touch, for an ekonomisk förening.

Plain data read by mutua.ledger.chart; an accountant can read here which account each event uses.
Kinds: asset, liability, equity, income, expense.
"""

LANGUAGE = "sv"
FISCAL_YEAR_START_MONTH = 1

ACCOUNTS = [
    ("1389", "Lån till aktiviteter", "asset"),
    ("1510", "Kundfordringar", "asset"),
    ("1689", "Garantifondens förskott (åtaganden)", "asset"),
    ("1930", "Företagskonto / affärskonto", "asset"),
    ("2083", "Medlemsinsatser", "equity"),
    ("2290", "Övriga avsättningar (ömsesidig garantifond)", "liability"),
    ("2440", "Leverantörsskulder", "liability"),
    ("2611", "Utgående moms på försäljning inom Sverige, 25 %", "liability"),
    ("2641", "Debiterad ingående moms", "asset"),
    ("2710", "Personalskatt", "liability"),
    ("2731", "Avräkning lagstadgade sociala avgifter", "liability"),
    ("2821", "Löneskulder", "liability"),
    ("2829", "Utlägg att återbetala till medlemmar", "liability"),
    ("2890", "Aktiviteternas budgetar", "liability"),
    ("2898", "Skuld till avgående medlemmar (insatser)", "liability"),
    ("2899", "Garantifondens åtaganden (motkonto)", "liability"),
    ("2990", "Övriga upplupna kostnader (avräkningskonto)", "liability"),
    ("3041", "Försäljning tjänster inom Sverige, 25 % moms", "income"),
    ("3990", "Övriga ersättningar och intäkter (gemensamma avgifter)", "income"),
    ("3991", "Intäkter gemensamma tjänster", "income"),
    ("4010", "Inköp av tjänster", "expense"),
    ("5800", "Resekostnader (medlemmars utlägg)", "expense"),
    ("6351", "Konstaterade förluster på kundfordringar", "expense"),
    ("6990", "Gemensamma avgifter betalda av aktiviteter", "expense"),
    ("6991", "Avsättning till ömsesidig garantifond", "expense"),
    ("6992", "Gemensamma tjänster betalda av aktiviteter", "expense"),
    ("7210", "Löner till tjänstemän", "expense"),
    ("7510", "Lagstadgade sociala avgifter", "expense"),
    ("8310", "Ränteintäkter från omsättningstillgångar", "income"),
]

JOURNALS = [
    ("FS", "Försäljning", "sales"),
    ("LF", "Leverantörsfakturor", "purchases"),
    ("BA", "Bank", "bank"),
    ("LO", "Löner", "payroll"),
    ("UT", "Utlägg", "expenses"),
    ("MI", "Diverse", "miscellaneous"),
    ("IB", "Ingående balans", "opening"),
]

POSTING_MAP = {
    "receivable": "1510",
    "sales": "3041",
    "vat_collected": "2611",
    "fee_income": "3990",
    "fee_charge": "6990",
    "activity_budget": "2890",
    "bank": "1930",
    "gross_pay": "7210",
    "employer_contributions": "7510",
    "social_debts": "2731",
    "net_pay_payable": "2821",
    "withholding_tax": "2710",
    "guarantee_fund": "2290",
    "share_capital": "2083",
    "suppliers": "2440",
    "vat_deductible": "2641",
    "expenses": "5800",
    "purchases": "4010",
    "suspense": "2990",
    "activity_loans": "1389",
    "fund_exposure": "1689",
    "members_payable": "2829",
    "shares_payable": "2898",
    "fund_commitments": "2899",
    "services_income": "3991",
    "bad_debts": "6351",
    "fund_allocation": "6991",
    "services_charge": "6992",
    "interest_income": "8310",
}
