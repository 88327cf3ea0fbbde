import pytest

from mutua.core.errors import InvalidIdentifier, InvalidInput, StateConflict
from mutua.core.models import AuditEvent
from mutua.members import actions
from mutua.members.models import Membership, Person
from tests.conftest import identity_for, make_entity, make_user


def test_it_creates_the_person_and_an_applicant_membership(db: object) -> None:
    entity = make_entity("BE")
    user = make_user()
    membership = actions.apply_for_membership(
        user=user, entity=entity, identity=identity_for("BE", iban="be68 5390 0754 7034")
    )
    assert membership.status == "applicant" and membership.number is None
    assert membership.person.user == user
    assert membership.person.iban == "BE68539007547034"
    event = AuditEvent.objects.get(action="membership.apply")
    assert event.actor == user and event.after["entity"] == "BE"


@pytest.mark.parametrize(
    ("field", "value"),
    [("national_number", "85073003329"), ("iban", "BE00539007547034"), ("first_name", " ")],
)
def test_bad_identity_is_refused_naming_the_field_and_nothing_is_written(
    db: object, field: str, value: str
) -> None:
    entity = make_entity("BE")
    with pytest.raises(InvalidInput) as excinfo:
        actions.apply_for_membership(
            user=make_user(), entity=entity, identity=identity_for("BE", **{field: value})
        )
    assert excinfo.value.field == field
    assert not Person.objects.exists() and not Membership.objects.exists()
    assert not AuditEvent.objects.exists()


def test_national_numbers_follow_the_country_of_residence(db: object) -> None:
    entity = make_entity("FR")
    belgian_number = identity_for("BE").national_number
    with pytest.raises(InvalidIdentifier):
        actions.apply_for_membership(
            user=make_user(),
            entity=entity,
            identity=identity_for("FR", national_number=belgian_number),
        )


def test_applying_twice_to_the_same_entity_is_refused(db: object) -> None:
    entity = make_entity("BE")
    user = make_user()
    actions.apply_for_membership(user=user, entity=entity, identity=identity_for("BE"))
    with pytest.raises(StateConflict):
        actions.apply_for_membership(user=user, entity=entity, identity=identity_for("BE"))
    assert Membership.objects.count() == 1


def test_one_person_can_join_several_entities(db: object) -> None:
    user = make_user()
    first = actions.apply_for_membership(
        user=user, entity=make_entity("BE"), identity=identity_for("BE")
    )
    again = identity_for("BE", iban=first.person.iban)
    actions.apply_for_membership(user=user, entity=make_entity("FR"), identity=again)
    assert Person.objects.count() == 1 and Membership.objects.count() == 2


def test_a_second_application_does_not_change_the_bank_account(db: object) -> None:
    # The IBAN changes only on the profile, which asks for the password (and TOTP) again.
    user = make_user()
    first = actions.apply_for_membership(
        user=user, entity=make_entity("BE"), identity=identity_for("BE")
    )
    with pytest.raises(InvalidInput) as refused:
        actions.apply_for_membership(user=user, entity=make_entity("FR"), identity=identity_for())
    assert refused.value.field == "iban"
    first.person.refresh_from_db()
    assert Membership.objects.count() == 1 and first.person.iban_changed_at is None


def test_household_rules(db: object) -> None:
    entity = make_entity("BE")
    membership = actions.apply_for_membership(
        user=make_user(), entity=entity, identity=identity_for("BE")
    )
    person = actions.update_household(
        actor=membership.person.user,
        person=membership.person,
        household=actions.Household(
            marital_status="married", partner_has_income=False, dependent_children=2
        ),
    )
    assert person.marital_status == "married" and person.dependent_children == 2
    with pytest.raises(InvalidInput) as excinfo:
        actions.update_household(
            actor=person.user,
            person=person,
            household=actions.Household(dependent_children=1, disabled_dependent_children=2),
        )
    assert excinfo.value.field == "disabled_dependent_children"
    person.refresh_from_db()
    assert person.dependent_children == 2
