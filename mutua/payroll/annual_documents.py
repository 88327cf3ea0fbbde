"""Annual documents as HTML and PDF, in the member's language (like the payslip PDF)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency, format_decimal
from django.template.loader import render_to_string

from mutua.core.pdf import html_to_pdf
from mutua.members.models import Person
from mutua.payroll.annual import AnnualDocument

TEMPLATE = "payroll/annual_pdf.html"

TITLES: dict[str, dict[str, str]] = {
    "en": {
        "281.10": "Tax form 281.10 — pay",
        "281.45": "Tax form 281.45 — copyright",
        "fr-annual": "Annual pay statement",
        "certificate": "Employer's certificate of work",
    },
    "fr": {
        "281.10": "Fiche fiscale 281.10 — rémunérations",
        "281.45": "Fiche fiscale 281.45 — droits d'auteur",
        "fr-annual": "Récapitulatif annuel des salaires",
        "certificate": "Certificat de travail / attestation employeur",
    },
    "nl": {
        "281.10": "Fiscale fiche 281.10 — bezoldigingen",
        "281.45": "Fiscale fiche 281.45 — auteursrechten",
        "fr-annual": "Jaaroverzicht van de lonen",
        "certificate": "Arbeidsattest van de werkgever",
    },
}

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "gross": "Gross pay",
        "employee_contributions": "Personal social security contributions",
        "taxable": "Taxable pay",
        "withholding_tax": "Withholding tax",
        "fiscal_work_bonus": "Fiscal work bonus (deducted from the withholding tax)",
        "special_contribution": "Special social security contribution withheld",
        "work_bonus": "Work bonus (reduction of contributions)",
        "net": "Net pay",
        "flat_costs": "Flat-rate costs",
        "withholding": "Withholding tax on movable income (15 %)",
        "csg_deductible": "CSG, deductible",
        "csg_non_deductible": "CSG, non-deductible",
        "crds": "CRDS",
        "days": "Working days",
        "year": "Year",
        "employer": "Employer",
        "beneficiary": "Beneficiary",
        "national_number": "National number",
        "contracts": "Contracts",
        "months": "Pay by month",
        "reference": "Reference",
        "kind": "Kind",
        "start": "First day",
        "end": "Last day",
        "month": "Month",
        "hours": "Hours are not recorded: contracts count working days.",
    },
    "fr": {
        "gross": "Rémunération brute",
        "employee_contributions": "Cotisations personnelles de sécurité sociale",
        "taxable": "Rémunération imposable",
        "withholding_tax": "Précompte professionnel",
        "fiscal_work_bonus": "Bonus à l'emploi fiscal (déduit du précompte)",
        "special_contribution": "Cotisation spéciale de sécurité sociale retenue",
        "work_bonus": "Bonus à l'emploi (réduction des cotisations)",
        "net": "Rémunération nette",
        "flat_costs": "Frais forfaitaires",
        "withholding": "Précompte mobilier (15 %)",
        "csg_deductible": "CSG déductible",
        "csg_non_deductible": "CSG non déductible",
        "crds": "CRDS",
        "days": "Jours prestés",
        "year": "Année",
        "employer": "Employeur",
        "beneficiary": "Bénéficiaire",
        "national_number": "Numéro national",
        "contracts": "Contrats",
        "months": "Rémunération par mois",
        "reference": "Référence",
        "kind": "Type",
        "start": "Premier jour",
        "end": "Dernier jour",
        "month": "Mois",
        "hours": "Les heures ne sont pas enregistrées : les contrats comptent des jours.",
    },
    "nl": {
        "gross": "Brutobezoldiging",
        "employee_contributions": "Persoonlijke socialezekerheidsbijdragen",
        "taxable": "Belastbare bezoldiging",
        "withholding_tax": "Bedrijfsvoorheffing",
        "fiscal_work_bonus": "Fiscale werkbonus (afgetrokken van de voorheffing)",
        "special_contribution": "Ingehouden bijzondere bijdrage sociale zekerheid",
        "work_bonus": "Werkbonus (vermindering van bijdragen)",
        "net": "Nettobezoldiging",
        "flat_costs": "Forfaitaire kosten",
        "withholding": "Roerende voorheffing (15 %)",
        "csg_deductible": "CSG, aftrekbaar",
        "csg_non_deductible": "CSG, niet aftrekbaar",
        "crds": "CRDS",
        "days": "Gewerkte dagen",
        "year": "Jaar",
        "employer": "Werkgever",
        "beneficiary": "Verkrijger",
        "national_number": "Rijksregisternummer",
        "contracts": "Contracten",
        "months": "Loon per maand",
        "reference": "Referentie",
        "kind": "Soort",
        "start": "Eerste dag",
        "end": "Laatste dag",
        "month": "Maand",
        "hours": "Uren worden niet geregistreerd: contracten tellen werkdagen.",
    },
}


def language_for(person: Person) -> str:
    preferred = (person.preferred_language or "")[:2]
    return preferred if preferred in WORDS else "en"


def annual_context(document: AnnualDocument, language: str, country: str) -> dict[str, Any]:
    words = WORDS[language]
    try:
        locale = Locale.parse(f"{language}_{country}")
    except (UnknownLocaleError, ValueError):
        locale = Locale.parse(language)

    def money(amount: Decimal) -> str:
        return str(format_currency(amount, document.currency, locale=locale))

    def shown(name: str, amount: Decimal) -> str:
        return (
            str(format_decimal(amount, "#,##0.##", locale=locale))
            if name == "days"
            else money(amount)
        )

    return {
        "document": document,
        "lang": language,
        "words": words,
        "title": TITLES[language][document.kind],
        "rows": [(words.get(k, k), shown(k, v)) for k, v in document.figures.items()],
        "months": [
            {
                "month": m["month"],
                "days": m["days"],
                "gross": money(m["gross"]),
                "net": money(m["net"]),
            }
            for m in document.months
        ],
    }


def annual_html(document: AnnualDocument, language: str, country: str) -> str:
    return render_to_string(TEMPLATE, annual_context(document, language, country))


def annual_pdf(document: AnnualDocument, language: str, country: str) -> bytes:
    html = annual_html(document, language, country)
    result: bytes = html_to_pdf(html)
    return result
