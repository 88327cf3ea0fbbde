"""Members see only what is theirs; staff see the files of their own entities."""

from typing import Any

import pytest

from mutua.core.errors import NotFound
from mutua.core.permissions import Role
from mutua.entities.models import Entity
from mutua.members.models import Membership
from mutua.members.queries import access_membership, access_person, pending_applications
from tests.conftest import make_entity, make_member, make_staff


def test_a_member_sees_their_own_file(alice: Membership) -> None:
    user = alice.person.user
    assert access_person(user, alice.person_id) == alice.person
    assert access_membership(user, alice.pk) == alice


def test_a_member_cannot_see_another_members_file(alice: Membership, bob: Membership) -> None:
    for viewer, other in ((alice, bob), (bob, alice)):
        with pytest.raises(NotFound):
            access_person(viewer.person.user, other.person_id)
        with pytest.raises(NotFound):
            access_membership(viewer.person.user, other.pk)


def test_a_missing_id_and_a_forbidden_id_look_the_same(alice: Membership, bob: Membership) -> None:
    with pytest.raises(NotFound) as forbidden:
        access_person(alice.person.user, bob.person_id)
    with pytest.raises(NotFound) as missing:
        access_person(alice.person.user, 10**9)
    assert forbidden.value.message == missing.value.message


def test_staff_see_only_the_files_of_their_entities(
    entity_be: Entity, alice: Membership, adviser_be: Any
) -> None:
    french = make_member(make_entity("FR"))
    assert access_person(adviser_be, alice.person_id) == alice.person
    with pytest.raises(NotFound):
        access_person(adviser_be, french.person_id)
    accountant = make_staff(entity_be, Role.ACCOUNTANT)
    with pytest.raises(NotFound):
        access_person(accountant, alice.person_id)


def test_the_validation_queue_is_per_entity_and_oldest_first(
    entity_be: Entity, adviser_be: Any
) -> None:
    first = make_member(entity_be, approve=False)
    second = make_member(entity_be, approve=False)
    make_member(make_entity("FR"), approve=False)
    assert list(pending_applications(adviser_be)) == [first, second]


def test_anonymous_users_see_nothing(alice: Membership) -> None:
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotFound):
        access_person(AnonymousUser(), alice.person_id)
