"""Write path for clients: identifiers checked, duplicates merged, every change audited."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import Q

from mutua.clients.models import Client, ClientKind, ClientUser
from mutua.core import audit
from mutua.core.audit import action
from mutua.core.errors import AccessDenied, InvalidInput
from mutua.countries.registry import SUPPORTED, checked_business_identifiers, vat_rules_for
from mutua.entities.models import Entity
from mutua.members.models import MembershipStatus
from mutua.members.queries import person_of

CLIENT_FIELDS = (
    "kind",
    "name",
    "country",
    "language",
    "vat_number",
    "company_number",
    "peppol_id",
    "street",
    "postcode",
    "city",
    "email",
    "payment_terms_days",
)


@dataclass(frozen=True)
class ClientDetails:
    name: str
    country: str
    kind: str = ClientKind.COMPANY
    language: str = "en"
    vat_number: str = ""
    company_number: str = ""
    peppol_id: str = ""
    street: str = ""
    postcode: str = ""
    city: str = ""
    email: str = ""
    payment_terms_days: int | None = None


def checked_details(details: ClientDetails) -> ClientDetails:
    """Names, country and identifiers as the client's country defines them."""
    if not details.name.strip():
        raise InvalidInput("the client needs a name", field="name")
    country = details.country.strip().upper()
    if len(country) != 2 or not country.isalpha():
        raise InvalidInput("give the country as a two-letter code", field="country")
    if details.kind not in ClientKind.values:
        raise InvalidInput("unknown kind of client", field="kind")
    vat, company = checked_business_identifiers(
        country, details.vat_number.strip(), details.company_number.strip()
    )
    if details.kind == ClientKind.PERSON and (vat or company):
        raise InvalidInput("a private person has no VAT or company number", field="kind")
    peppol = details.peppol_id.strip() or _default_peppol_id(country, company)
    if peppol and not _looks_like_peppol_id(peppol):
        raise InvalidInput("a Peppol id looks like 0208:0403170701", field="peppol_id")
    values = {**asdict(details), "country": country, "vat_number": vat, "company_number": company}
    return ClientDetails(**{**values, "name": details.name.strip(), "peppol_id": peppol})


def _default_peppol_id(country: str, company_number: str) -> str:
    if country not in SUPPORTED or not company_number:
        return ""
    return vat_rules_for(country).peppol_id(company_number) or ""


def _looks_like_peppol_id(value: str) -> bool:
    scheme, _, identifier = value.partition(":")
    return len(scheme) == 4 and scheme.isdigit() and bool(identifier.strip())


def _duplicate_of(entity: Entity, details: ClientDetails) -> Client | None:
    same = Q()
    if details.vat_number:
        same |= Q(vat_number=details.vat_number)
    if details.company_number:
        same |= Q(country=details.country, company_number=details.company_number)
    if not same:
        return None
    return Client.objects.filter(entity=entity).filter(same).first()


@action("client.add")
def add_client(*, actor: Any, entity: Entity, details: ClientDetails) -> tuple[Client, bool]:
    """Add a client for the acting member (or staff). A client already known by the same VAT or
    company number is reused, not duplicated. Returns the client and whether it is new."""
    details = checked_details(details)
    person = _member_person(actor, entity)
    client = _duplicate_of(entity, details)
    created = client is None
    if client is None:
        client = Client.objects.create(entity=entity, **asdict(details))
    if person is not None:
        ClientUser.objects.get_or_create(client=client, person=person)
    audit.record(
        actor=actor,
        action="client.add" if created else "client.link_existing",
        subject=client,
        entity_id=entity.pk,
        after=audit.snapshot(client, CLIENT_FIELDS),
    )
    return client, created


def _member_person(actor: Any, entity: Entity) -> Any:
    """The acting member's person, if they are an active member of the entity; staff pass."""
    from mutua.invoicing.access import INVOICING_STAFF
    from mutua.members.queries import has_role

    person = person_of(actor)
    active = (
        person is not None
        and person.memberships.filter(entity=entity, status=MembershipStatus.ACTIVE).exists()
    )
    if active:
        return person
    if has_role(actor, INVOICING_STAFF, entity):
        return None
    raise AccessDenied(f"only active members of {entity.name} may add its clients")


@action("client.update")
def update_client(*, actor: Any, client: Client, details: ClientDetails) -> Client:
    details = checked_details(details)
    duplicate = _duplicate_of(client.entity, details)
    if duplicate is not None and duplicate.pk != client.pk:
        raise InvalidInput(
            "another client already has this VAT or company number", field="vat_number"
        )
    before = audit.snapshot(client, CLIENT_FIELDS)
    for name, value in asdict(details).items():
        setattr(client, name, value)
    client.save()
    audit.record(
        actor=actor,
        action="client.update",
        subject=client,
        entity_id=client.entity_id,
        before=before,
        after=audit.snapshot(client, CLIENT_FIELDS),
    )
    return client
