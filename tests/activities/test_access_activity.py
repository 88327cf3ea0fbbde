import pytest

from mutua.activities.queries import access_activity
from mutua.core.errors import NotFound
from mutua.core.permissions import Role
from mutua.members.models import Membership
from tests.conftest import make_entity, make_staff, make_user
from tests.ledger.conftest import make_activity


def test_participants_and_staff_of_the_entity_see_an_activity(
    alice: Membership, bob: Membership
) -> None:
    studio = make_activity(alice.entity, holder=alice.person)
    assert access_activity(alice.person.user, studio.pk) == studio
    assert access_activity(make_staff(alice.entity, Role.ACCOUNTANT), studio.pk) == studio
    for outsider in (bob.person.user, make_staff(make_entity("FR"), Role.ADVISER), make_user()):
        with pytest.raises(NotFound):
            access_activity(outsider, studio.pk)


def test_an_anonymous_visitor_sees_no_activity(alice: Membership) -> None:
    from django.contrib.auth.models import AnonymousUser

    studio = make_activity(alice.entity, holder=alice.person)
    with pytest.raises(NotFound):
        access_activity(AnonymousUser(), studio.pk)
