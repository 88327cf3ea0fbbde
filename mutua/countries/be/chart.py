"""Belgian chart of accounts: the accounts of the minimum standard chart (PCMN / MAR, Royal
Decree of 21 October 2018, annex) that the cooperative's events touch, with six-digit codes.

Plain data read by mutua.ledger.chart; an accountant can read here which account each event uses.
Kinds: asset, liability, equity, income, expense.
"""

LANGUAGE = "fr"
FISCAL_YEAR_START_MONTH = 1

ACCOUNTS = [
    ("012000", "Débiteurs pour garanties données (avances du fonds de garantie)", "asset"),
    ("013000", "Créanciers de garanties données (engagements du fonds de garantie)", "liability"),
    ("100000", "Capital souscrit (parts des coopérateurs)", "equity"),
    ("133000", "Réserves disponibles", "equity"),
    ("160000", "Fonds de garantie mutuel (provision pour risques)", "liability"),
    ("400000", "Clients", "asset"),
    ("411000", "TVA à récupérer", "asset"),
    ("416100", "Prêts aux activités", "asset"),
    ("440000", "Fournisseurs", "liability"),
    ("451000", "TVA à payer", "liability"),
    ("453000", "Précomptes retenus", "liability"),
    ("453100", "Précompte mobilier retenu (droits d'auteur)", "liability"),
    ("454000", "Office national de sécurité sociale", "liability"),
    ("455000", "Rémunérations nettes à payer", "liability"),
    ("489000", "Budgets des activités", "liability"),
    ("489100", "Frais des membres à rembourser", "liability"),
    ("489200", "Droits d'auteur à payer", "liability"),
    ("489300", "Coopérateurs sortants - parts à rembourser", "liability"),
    ("499000", "Compte d'attente", "asset"),
    ("550000", "Banque", "asset"),
    ("610000", "Services et biens divers", "expense"),
    ("612000", "Frais des membres remboursés", "expense"),
    ("613100", "Droits d'auteur versés", "expense"),
    ("620200", "Rémunérations brutes", "expense"),
    ("621000", "Cotisations patronales d'assurances sociales", "expense"),
    ("637000", "Dotations au fonds de garantie mutuel", "expense"),
    ("640000", "Contributions mutualisées versées par les activités", "expense"),
    ("640100", "Services mutualisés payés par les activités", "expense"),
    ("642000", "Pertes sur créances commerciales", "expense"),
    ("700000", "Chiffre d'affaires des activités", "income"),
    ("743000", "Contributions mutualisées", "income"),
    ("743100", "Services mutualisés aux activités", "income"),
    ("751000", "Produits des créances (intérêts des prêts)", "income"),
]

JOURNALS = [
    ("VEN", "Ventes", "sales"),
    ("ACH", "Achats", "purchases"),
    ("BQE", "Banque", "bank"),
    ("SAL", "Salaires", "payroll"),
    ("FRA", "Notes de frais", "expenses"),
    ("OD", "Opérations diverses", "miscellaneous"),
    ("OUV", "Ouverture", "opening"),
]

POSTING_MAP = {
    "receivable": "400000",
    "sales": "700000",
    "vat_collected": "451000",
    "fee_income": "743000",
    "fee_charge": "640000",
    "activity_budget": "489000",
    "bank": "550000",
    "gross_pay": "620200",
    "employer_contributions": "621000",
    "social_debts": "454000",
    "net_pay_payable": "455000",
    "withholding_tax": "453000",
    "guarantee_fund": "160000",
    "share_capital": "100000",
    "suppliers": "440000",
    "vat_deductible": "411000",
    "expenses": "612000",
    "purchases": "610000",
    "suspense": "499000",
    "fund_exposure": "012000",
    "fund_commitments": "013000",
    "activity_loans": "416100",
    "copyright_withholding": "453100",
    "members_payable": "489100",
    "copyright_payable": "489200",
    "reserves": "133000",
    "shares_payable": "489300",
    "copyright_fees": "613100",
    "fund_allocation": "637000",
    "services_charge": "640100",
    "bad_debts": "642000",
    "services_income": "743100",
    "interest_income": "751000",
}
