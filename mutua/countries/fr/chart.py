"""French chart of accounts: the accounts of the Plan comptable général (ANC regulation 2014-03,
as amended) that a CAE's events touch, with six-digit codes as the FEC expects.

Plain data read by mutua.ledger.chart; an accountant can read here which account each event uses.
Kinds: asset, liability, equity, income, expense.
"""

LANGUAGE = "fr"
FISCAL_YEAR_START_MONTH = 1

ACCOUNTS = [
    ("101300", "Capital souscrit - appelé, versé", "equity"),
    ("106800", "Autres réserves", "equity"),
    ("151000", "Provisions pour risques - fonds de garantie mutuel", "liability"),
    ("274100", "Prêts aux activités des entrepreneurs", "asset"),
    ("401000", "Fournisseurs", "liability"),
    ("411000", "Clients", "asset"),
    ("421000", "Personnel - rémunérations dues", "liability"),
    ("431000", "Sécurité sociale", "liability"),
    ("442100", "Prélèvements à la source (impôt sur le revenu)", "liability"),
    ("445660", "TVA sur autres biens et services", "asset"),
    ("445710", "TVA collectée", "liability"),
    ("456700", "Associés - capital à rembourser", "liability"),
    ("467100", "Budgets des activités des entrepreneurs", "liability"),
    ("467200", "Entrepreneurs - frais à rembourser", "liability"),
    ("471000", "Compte d'attente", "asset"),
    ("512000", "Banque", "asset"),
    ("604000", "Achats d'études et prestations de services", "expense"),
    ("625100", "Voyages et déplacements (frais des entrepreneurs)", "expense"),
    ("641000", "Rémunérations du personnel", "expense"),
    ("645100", "Cotisations à l'URSSAF", "expense"),
    ("651000", "Contributions coopératives versées par les activités", "expense"),
    ("651100", "Services mutualisés payés par les activités", "expense"),
    ("654000", "Pertes sur créances irrécouvrables", "expense"),
    ("681500", "Dotations aux provisions - fonds de garantie mutuel", "expense"),
    ("706000", "Prestations de services", "income"),
    ("708500", "Services mutualisés aux activités", "income"),
    ("708800", "Contributions coopératives", "income"),
    ("763000", "Revenus des autres créances (intérêts des prêts)", "income"),
    ("801000", "Engagements donnés - avances du fonds de garantie", "asset"),
    ("809000", "Contrepartie des engagements donnés", "liability"),
]

JOURNALS = [
    ("VT", "Ventes", "sales"),
    ("HA", "Achats", "purchases"),
    ("BQ", "Banque", "bank"),
    ("PA", "Paie", "payroll"),
    ("NF", "Notes de frais", "expenses"),
    ("OD", "Opérations diverses", "miscellaneous"),
    ("AN", "À-nouveaux", "opening"),
]

POSTING_MAP = {
    "receivable": "411000",
    "sales": "706000",
    "vat_collected": "445710",
    "fee_income": "708800",
    "fee_charge": "651000",
    "activity_budget": "467100",
    "bank": "512000",
    "gross_pay": "641000",
    "employer_contributions": "645100",
    "social_debts": "431000",
    "net_pay_payable": "421000",
    "withholding_tax": "442100",
    "guarantee_fund": "151000",
    "share_capital": "101300",
    "suppliers": "401000",
    "vat_deductible": "445660",
    "expenses": "625100",
    "purchases": "604000",
    "suspense": "471000",
    "activity_loans": "274100",
    "reserves": "106800",
    "shares_payable": "456700",
    "members_payable": "467200",
    "services_charge": "651100",
    "bad_debts": "654000",
    "fund_allocation": "681500",
    "services_income": "708500",
    "interest_income": "763000",
    "fund_exposure": "801000",
    "fund_commitments": "809000",
}
