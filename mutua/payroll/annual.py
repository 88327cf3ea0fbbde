"""Annual documents per member and entity, from the stored payslips and copyright payments.

- Belgium: tax form 281.10 (pay) and 281.45 (copyright), as the product can fill them;
- France: the annual pay statement (récapitulatif annuel: gross, contributions, CSG/CRDS, net,
  net taxable);
- everywhere: the employer's certificate (contracts, days and pay: what an unemployment office
  asks for: Belgian "certificat de travail" / C4 content, French "attestation employeur").

Which documents a country issues is data in `countries/<cc>/annual.py`. Figures come from a few
set-based queries per entity and year (one per table), so an entity's whole year is as cheap as
one member's. Lines that only the payslip's breakdown holds (fiscal work bonus, CSG parts) are
read from the month's last payslip, whose lines are month-to-date.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Min, Q, Sum

from mutua.contracts.models import Contract
from mutua.core.errors import InvalidInput, NotFound
from mutua.core.pay import ZERO
from mutua.countries.registry import country_part
from mutua.entities.models import Entity
from mutua.members.models import Person
from mutua.members.queries import staff_entities
from mutua.payroll.models import CopyrightPayment, CopyrightStatus, Payslip
from mutua.payroll.queries import PAYROLL_STAFF

PAY_FIGURES = (
    "gross",
    "employee_contributions",
    "work_bonus",
    "taxable",
    "withholding_tax",
    "special_contribution",
    "net",
)
# Breakdown lines summed over the year (month-to-date values of each month's last payslip).
LINE_CODES = ("fiscal_work_bonus", "csg_deductible", "csg_non_deductible", "crds")
COPYRIGHT_FIGURES = ("gross", "flat_costs", "taxable", "withholding", "net")


def documents_of(country: str) -> tuple[str, ...]:
    """The annual documents a country's entities issue (countries/<cc>/annual.py)."""
    try:
        module = country_part(country, "annual")
    except InvalidInput:  # not a supported country
        module = None
    if module is None:
        return ("certificate",)
    documents: tuple[str, ...] = module.DOCUMENTS
    return documents


@dataclass(frozen=True)
class Beneficiary:
    person_id: int
    name: str
    national_number: str
    address: str

    @classmethod
    def of(cls, person: Person) -> Beneficiary:
        address = ", ".join(
            part for part in (person.street, f"{person.postcode} {person.city}".strip()) if part
        )
        return cls(person.pk, person.full_name, person.national_number, address)


@dataclass(frozen=True)
class AnnualDocument:
    """One member's document for one entity and year; `figures` in document order."""

    kind: str
    entity: str
    entity_name: str
    year: int
    currency: str
    beneficiary: Beneficiary
    figures: dict[str, Decimal]
    contracts: list[dict[str, Any]] = field(default_factory=list)
    months: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["figures"] = {k: f"{v:.2f}" for k, v in self.figures.items()}
        for row in data["months"]:
            row.update({k: f"{v:.2f}" for k, v in row.items() if isinstance(v, Decimal)})
            row["month"] = f"{row['month']:%Y-%m}"
        for row in data["contracts"]:
            row["days"] = f"{row['days']:.2f}"
            row["start"] = row["start"].isoformat()
            row["end"] = row["end"].isoformat() if row["end"] else None
        return data


# --- reading a year, set-based ------------------------------------------------------------------
def _year_payslips(entity: Entity, year: int, person_ids: list[int] | None) -> Any:
    rows = Payslip.objects.filter(entity=entity, period__year=year)
    return rows.filter(person_id__in=person_ids) if person_ids is not None else rows


def pay_totals(
    entity: Entity, year: int, person_ids: list[int] | None = None
) -> dict[int, dict[str, Decimal]]:
    """Each member's year of pay: the payslip columns summed, plus the breakdown lines."""
    slips = _year_payslips(entity, year, person_ids)
    rows = slips.values("person_id").annotate(
        payslips=Count("id"),
        months=Count("period", distinct=True),
        days=Sum("days"),
        **{name: Sum(name) for name in PAY_FIGURES},
    )
    totals = {
        row["person_id"]: {k: Decimal(str(v or 0)) for k, v in row.items() if k != "person_id"}
        for row in rows
    }
    for person_id, codes in _line_totals(slips).items():
        totals[person_id].update(codes)
    return totals


def _line_totals(slips: Any) -> dict[int, dict[str, Decimal]]:
    last: dict[tuple[int, dt.date], list[Any]] = {}
    for person_id, period, lines in slips.order_by("id").values_list(
        "person_id", "period", "lines"
    ):
        last[(person_id, period)] = lines  # later payslips of a month hold its month-to-date
    sums: dict[int, dict[str, Decimal]] = defaultdict(lambda: dict.fromkeys(LINE_CODES, ZERO))
    for (person_id, _), lines in last.items():
        for code, _label, _base, _rate, amount, _side in lines:
            if code in LINE_CODES:
                sums[person_id][code] += abs(Decimal(amount))  # stored with their sign
    return sums


def copyright_totals(
    entity: Entity, year: int, person_ids: list[int] | None = None
) -> dict[int, dict[str, Decimal]]:
    rows = CopyrightPayment.objects.filter(
        entity=entity, status=CopyrightStatus.APPROVED, paid_on__year=year
    )
    if person_ids is not None:
        rows = rows.filter(person_id__in=person_ids)
    found = rows.values("person_id").annotate(
        payments=Count("id"), **{name: Sum(name) for name in COPYRIGHT_FIGURES}
    )
    return {
        row["person_id"]: {k: Decimal(str(v or 0)) for k, v in row.items() if k != "person_id"}
        for row in found
    }


# --- the documents ------------------------------------------------------------------------------
def form_281_10(totals: dict[str, Decimal]) -> dict[str, Decimal]:
    """Form 281.10 (fiche de rémunération / loonfiche), the boxes the product can fill for
    ordinary pay: gross, personal social contributions after the work bonus, taxable pay,
    withholding tax (after the fiscal work bonus, shown apart as the form asks), the special
    social security contribution withheld, and the social work bonus granted."""
    return {
        "gross": totals["gross"],
        "employee_contributions": totals["employee_contributions"],
        "taxable": totals["taxable"],
        "withholding_tax": totals["withholding_tax"],
        "fiscal_work_bonus": totals["fiscal_work_bonus"],
        "special_contribution": totals["special_contribution"],
        "work_bonus": totals["work_bonus"],
        "net": totals["net"],
    }


def form_281_45(totals: dict[str, Decimal]) -> dict[str, Decimal]:
    """Form 281.45 (copyright): gross, flat-rate costs, taxable, withholding tax."""
    return {name: totals[name] for name in COPYRIGHT_FIGURES}


def french_statement(totals: dict[str, Decimal]) -> dict[str, Decimal]:
    """The French annual pay statement: net taxable adds back non-deductible CSG and CRDS."""
    return {
        "gross": totals["gross"],
        "employee_contributions": totals["employee_contributions"],
        "csg_deductible": totals["csg_deductible"],
        "csg_non_deductible": totals["csg_non_deductible"],
        "crds": totals["crds"],
        "net": totals["net"],
        "taxable": totals["taxable"],
        "withholding_tax": totals["withholding_tax"],
    }


def certificate_figures(totals: dict[str, Decimal]) -> dict[str, Decimal]:
    return {"days": totals["days"], "gross": totals["gross"], "net": totals["net"]}


def contracts_of(entity: Entity, year: int, person_id: int) -> list[dict[str, Any]]:
    """The member's contracts with the entity that ran in the year, cancelled ones left out."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rows = (
        Contract.objects.filter(entity=entity, person_id=person_id, status="active")
        .filter(start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .order_by("start_date", "id")
        .values("id", "kind", "worker", "start_date", "end_date", "days")
    )
    return [
        {
            "reference": f"CT-{row['id']:07d}",
            "kind": row["kind"],
            "worker": row["worker"],
            "start": row["start_date"],
            "end": row["end_date"],
            "days": row["days"],
        }
        for row in rows
    ]


def months_of(entity: Entity, year: int, person_id: int) -> list[dict[str, Any]]:
    rows = (
        _year_payslips(entity, year, [person_id])
        .values("period")
        .annotate(days=Sum("days"), gross=Sum("gross"), net=Sum("net"))
        .order_by("period")
    )
    return [
        {"month": r["period"], "days": r["days"], "gross": r["gross"], "net": r["net"]}
        for r in rows
    ]


BUILDERS = {
    "281.10": ("pay", form_281_10),
    "281.45": ("copyright", form_281_45),
    "fr-annual": ("pay", french_statement),
    "certificate": ("pay", certificate_figures),
}


def annual_documents(
    entity: Entity, year: int, kind: str, person_ids: list[int] | None = None
) -> list[AnnualDocument]:
    """The documents of one kind for the members of an entity (or some of them) in a year."""
    if kind not in documents_of(entity.country):
        raise InvalidInput(
            f"{entity.code} does not issue {kind!r}; it issues "
            + ", ".join(documents_of(entity.country)),
            field="kind",
        )
    source, build = BUILDERS[kind]
    read = pay_totals if source == "pay" else copyright_totals
    totals = read(entity, year, person_ids)
    people = Person.objects.in_bulk(list(totals))
    documents = []
    for person_id in sorted(totals):
        document = AnnualDocument(
            kind=kind,
            entity=entity.code,
            entity_name=entity.legal_name or entity.name,
            year=year,
            currency=entity.currency,
            beneficiary=Beneficiary.of(people[person_id]),
            figures=build(totals[person_id]),
        )
        documents.append(document)
    return documents


def annual_document(entity: Entity, year: int, kind: str, person_id: int) -> AnnualDocument:
    """One member's document; the certificate also lists the contracts and the months."""
    found = annual_documents(entity, year, kind, [person_id])
    if not found:
        raise NotFound(f"nothing to declare for {year}")
    document = found[0]
    if kind == "certificate":
        document.contracts.extend(contracts_of(entity, year, person_id))
        document.months.extend(months_of(entity, year, person_id))
    return document


# --- access -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Available:
    entity: Entity
    year: int
    kinds: tuple[str, ...]


def member_years(user: Any) -> list[Available]:
    """The (entity, year) pairs for which the member has pay or copyright, latest first."""
    if not getattr(user, "is_authenticated", False):
        return []
    pairs: set[tuple[int, int]] = set()
    slips = Payslip.objects.filter(person__user=user).values("entity_id")
    for row in slips.annotate(first=Min("period"), last=Max("period")):
        pairs.update((row["entity_id"], y) for y in range(row["first"].year, row["last"].year + 1))
    paid = CopyrightPayment.objects.filter(person__user=user, status=CopyrightStatus.APPROVED)
    pairs.update(paid.values_list("entity_id", "paid_on__year").distinct())
    entities = Entity.objects.in_bulk({e for e, _ in pairs})
    return [
        Available(entities[e], y, documents_of(entities[e].country))
        for e, y in sorted(pairs, key=lambda p: (-p[1], p[0]))
    ]


def access_annual(user: Any, entity_id: int, person_id: int) -> tuple[Entity, int]:
    """The member themselves, or a payroll officer of the entity; anything else is not found."""
    if not getattr(user, "is_authenticated", False):
        raise NotFound("no such document")
    entity = Entity.objects.filter(pk=entity_id).first()
    own = Person.objects.filter(pk=person_id, user=user).exists()
    staff = staff_entities(user, PAYROLL_STAFF).filter(pk=entity_id).exists()
    if entity is None or not (own or staff):
        raise NotFound("no such document")
    return entity, person_id
