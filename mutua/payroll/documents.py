"""The payslip as a PDF, in the member's language (French, Dutch or English).

Rendered like the invoices (mutua/invoicing/documents/pdf.py): a Django template under the
member's language, numbers, money and dates formatted by babel for that language in the entity's
country, and WeasyPrint that never fetches anything from the network.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal
from django.template.loader import render_to_string
from django.utils import translation

from mutua.core.pdf import html_to_pdf
from mutua.payroll.models import Payslip, PayslipLine

TEMPLATE = "payroll/payslip_pdf.html"

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Payslip",
        "period": "Month",
        "employer": "Employer",
        "member": "Member",
        "days": "Working days",
        "code": "Code",
        "line": "Line",
        "base": "Base",
        "rate": "Rate",
        "amount": "Amount",
        "employer_side": "Paid by the employer from the work budget",
        "net": "Net pay",
        "reference": "Reference",
        "provisional": "Provisional values: computed before the official values were all "
        "published; any difference is regularised on a later payslip.",
    },
    "fr": {
        "title": "Fiche de paie",
        "period": "Mois",
        "employer": "Employeur",
        "member": "Membre",
        "days": "Jours prestés",
        "code": "Code",
        "line": "Rubrique",
        "base": "Base",
        "rate": "Taux",
        "amount": "Montant",
        "employer_side": "À charge de l'employeur, sur le budget travail",
        "net": "Salaire net",
        "reference": "Référence",
        "provisional": "Valeurs provisoires : calculée avant la publication de toutes les "
        "valeurs officielles ; toute différence sera régularisée sur une fiche ultérieure.",
    },
    "nl": {
        "title": "Loonbrief",
        "period": "Maand",
        "employer": "Werkgever",
        "member": "Lid",
        "days": "Gewerkte dagen",
        "code": "Code",
        "line": "Rubriek",
        "base": "Basis",
        "rate": "Percentage",
        "amount": "Bedrag",
        "employer_side": "Ten laste van de werkgever, uit het werkbudget",
        "net": "Nettoloon",
        "reference": "Referentie",
        "provisional": "Voorlopige waarden: berekend voor alle officiële waarden bekend "
        "waren; elk verschil wordt op een latere loonbrief geregulariseerd.",
    },
}

# The words of the lines the rules produce, by code; other lines keep their English label.
LINE_LABELS: dict[str, dict[str, str]] = {
    "fr": {
        "work_budget": "Budget travail",
        "employer_charges": "Frais employeur",
        "margin": "Marge",
        "rounding": "Arrondi",
        "gross": "Salaire brut",
        "employee_contribution": "Cotisation personnelle ONSS",
        "work_bonus_a": "Bonus à l'emploi, volet A",
        "work_bonus_b": "Bonus à l'emploi, volet B",
        "taxable": "Imposable",
        "withholding_tax_scale": "Précompte professionnel (formule-clé)",
        "withholding_tax": "Précompte professionnel",
        "fiscal_work_bonus": "Bonus à l'emploi fiscal",
        "special_contribution": "Cotisation spéciale de sécurité sociale",
        "net": "Salaire net",
        "employer_basic": "Cotisation patronale de base",
        "wage_moderation": "Modération salariale",
        "holiday_quarterly": "Pécule de vacances (trimestriel)",
        "holiday_annual": "Pécule de vacances (annuel)",
        "earlier_gross": "Brut des fiches précédentes du mois",
        "earlier_withholding_tax": "Précompte des fiches précédentes du mois",
        "earlier_net": "Net des fiches précédentes du mois",
        "net_this_payslip": "Net de cette fiche",
    },
    "nl": {
        "work_budget": "Werkbudget",
        "employer_charges": "Werkgeverskosten",
        "margin": "Marge",
        "rounding": "Afronding",
        "gross": "Brutoloon",
        "employee_contribution": "Persoonlijke RSZ-bijdrage",
        "work_bonus_a": "Werkbonus, deel A",
        "work_bonus_b": "Werkbonus, deel B",
        "taxable": "Belastbaar",
        "withholding_tax_scale": "Bedrijfsvoorheffing (sleutelformule)",
        "withholding_tax": "Bedrijfsvoorheffing",
        "fiscal_work_bonus": "Fiscale werkbonus",
        "special_contribution": "Bijzondere bijdrage sociale zekerheid",
        "net": "Nettoloon",
        "employer_basic": "Basiswerkgeversbijdrage",
        "wage_moderation": "Loonmatiging",
        "holiday_quarterly": "Vakantiegeld (driemaandelijks)",
        "holiday_annual": "Vakantiegeld (jaarlijks)",
        "earlier_gross": "Bruto van eerdere loonbrieven deze maand",
        "earlier_withholding_tax": "Voorheffing van eerdere loonbrieven deze maand",
        "earlier_net": "Netto van eerdere loonbrieven deze maand",
        "net_this_payslip": "Netto van deze loonbrief",
    },
}


def payslip_language(payslip: Payslip) -> str:
    return payslip.language if payslip.language in LABELS else "en"


def payslip_locale(payslip: Payslip) -> Locale:
    try:
        return Locale.parse(f"{payslip_language(payslip)}_{payslip.entity.country}")
    except (UnknownLocaleError, ValueError):
        return Locale.parse(payslip_language(payslip))


def payslip_context(payslip: Payslip) -> dict[str, Any]:
    """Everything the payslip shows, worded and formatted in the member's language."""
    language = payslip_language(payslip)
    locale = payslip_locale(payslip)
    words = LINE_LABELS.get(language, {})

    def money(amount: Decimal | None) -> str:
        if amount is None:
            return ""
        return str(format_currency(amount, payslip.currency, locale=locale))

    def row(line: PayslipLine) -> dict[str, str]:
        rate = "" if line.rate is None else format_decimal(line.rate, "#,##0.######", locale)
        return {
            "code": line.code,
            "label": words.get(line.code, line.label),
            "base": money(line.base),
            "rate": str(rate),
            "amount": money(line.amount),
        }

    lines = payslip.breakdown
    return {
        "payslip": payslip,
        "lang": language,
        "labels": LABELS[language],
        "period": format_date(payslip.period, "MMMM yyyy", locale=locale),
        "employer_lines": [row(ln) for ln in lines if _employer_side(ln)],
        "worker_lines": [row(ln) for ln in lines if not _employer_side(ln)],
        "net": money(payslip.net),
        "days": str(format_decimal(payslip.days, "#,##0.##", locale=locale)),
    }


BUDGET_CODES = ("work_budget", "employer_charges", "margin", "rounding")


def _employer_side(line: PayslipLine) -> bool:
    """The work budget and what it pays besides the gross sit above the member's own lines."""
    return line.side == "employer" or line.code in BUDGET_CODES


def payslip_html(payslip: Payslip) -> str:
    with translation.override(payslip_language(payslip)):
        return render_to_string(TEMPLATE, payslip_context(payslip))


def payslip_pdf(payslip: Payslip) -> bytes:
    result: bytes = html_to_pdf(payslip_html(payslip))
    return result
