from __future__ import annotations

from typing import Any

import pytest

from mutua.clients.actions import ClientDetails, add_client, update_client
from mutua.clients.models import Client
from mutua.clients.queries import access_client, visible_clients
from mutua.core.errors import AccessDenied, InvalidIdentifier, InvalidInput, NotFound
from mutua.entities.models import Entity
from mutua.members.models import Membership
from tests.conftest import make_member


def company(**overrides: Any) -> ClientDetails:
    values: dict[str, Any] = {
        "name": "Théâtre National",
        "country": "BE",
        "vat_number": "BE 0403.170.701",
        "language": "fr",
        "email": "factures@theatre.test",
    }
    values.update(overrides)
    return ClientDetails(**values)


def test_a_belgian_company_is_stored_compact_with_its_peppol_id(alice: Membership) -> None:
    client, created = add_client(
        actor=alice.person.user,
        entity=alice.entity,
        details=company(company_number="0403.170.701"),
    )
    assert created and client.vat_number == "BE0403170701"
    assert client.peppol_id == "0208:0403170701" and client.is_business


@pytest.mark.parametrize(
    ("field", "details"),
    [
        ("vat_number", company(vat_number="BE0403170702")),
        ("company_number", company(company_number="0403170799")),
        ("vat_number", company(country="DE", vat_number="DE123456789")),
        ("name", company(name="  ")),
        ("country", company(country="Belgium")),
        ("peppol_id", company(peppol_id="not-an-id")),
    ],
)
def test_bad_identifiers_are_refused_naming_the_field(
    alice: Membership, field: str, details: ClientDetails
) -> None:
    with pytest.raises(InvalidInput) as excinfo:
        add_client(actor=alice.person.user, entity=alice.entity, details=details)
    assert excinfo.value.field == field
    assert not Client.objects.exists()


def test_other_eu_vat_numbers_are_checked_and_other_countries_kept(alice: Membership) -> None:
    dutch, _ = add_client(
        actor=alice.person.user,
        entity=alice.entity,
        details=company(name="Stadsschouwburg", country="NL", vat_number="NL004495445B01"),
    )
    assert dutch.vat_number == "NL004495445B01"
    swiss, _ = add_client(
        actor=alice.person.user,
        entity=alice.entity,
        details=company(name="Opéra de Genève", country="CH", vat_number="CHE-123.456.789 MWST"),
    )
    assert swiss.vat_number == "CHE-123.456.789 MWST"
    with pytest.raises(InvalidIdentifier):
        add_client(
            actor=alice.person.user,
            entity=alice.entity,
            details=company(name="X", country="NL", vat_number="NL123"),
        )


def test_the_same_company_added_twice_is_one_client_shared(
    alice: Membership, bob: Membership
) -> None:
    first, created = add_client(actor=alice.person.user, entity=alice.entity, details=company())
    again, created_again = add_client(
        actor=bob.person.user,
        entity=bob.entity,
        details=company(name="TN", vat_number="0403170701"),
    )
    assert created and not created_again and first == again
    assert Client.objects.count() == 1 and first.users.count() == 2


def test_members_see_only_the_clients_they_work_with(alice: Membership, bob: Membership) -> None:
    mine, _ = add_client(actor=alice.person.user, entity=alice.entity, details=company())
    assert list(visible_clients(alice.person.user)) == [mine]
    assert list(visible_clients(bob.person.user)) == []
    with pytest.raises(NotFound):
        access_client(bob.person.user, mine.pk)


def test_only_active_members_or_staff_add_clients(entity_be: Entity, adviser_be: Any) -> None:
    applicant = make_member(entity_be, approve=False)
    with pytest.raises(AccessDenied):
        add_client(actor=applicant.person.user, entity=entity_be, details=company())
    client, _ = add_client(actor=adviser_be, entity=entity_be, details=company())
    assert access_client(adviser_be, client.pk) == client


def test_a_private_person_has_no_vat_number(alice: Membership) -> None:
    with pytest.raises(InvalidInput) as excinfo:
        add_client(
            actor=alice.person.user,
            entity=alice.entity,
            details=company(kind="person", name="Jan Peeters"),
        )
    assert excinfo.value.field == "kind"


def test_an_update_cannot_steal_another_clients_identifier(alice: Membership) -> None:
    one, _ = add_client(actor=alice.person.user, entity=alice.entity, details=company())
    other, _ = add_client(
        actor=alice.person.user,
        entity=alice.entity,
        details=company(name="Other", vat_number="", company_number=""),
    )
    with pytest.raises(InvalidInput):
        update_client(actor=alice.person.user, client=other, details=company(name="Other"))
    other.refresh_from_db()
    assert other.vat_number == "" and one.vat_number == "BE0403170701"
