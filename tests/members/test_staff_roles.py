"""Who grants and removes staff roles (found while tying API tokens to the role that made them)."""

from __future__ import annotations

import pytest

from mutua.core.errors import AccessDenied
from mutua.core.permissions import Role
from mutua.entities.models import Entity
from mutua.members import actions
from mutua.members.models import StaffRole
from tests.conftest import make_staff, make_user


def test_an_entity_administrator_cannot_make_federation_administrators(entity_be: Entity) -> None:
    local = make_staff(entity_be, Role.ADMINISTRATOR)
    with pytest.raises(AccessDenied):
        actions.grant_role(actor=local, user=make_user(), role=Role.ADMINISTRATOR, entity=None)
    with pytest.raises(AccessDenied):
        actions.grant_role(actor=local, user=local, role=Role.ADMINISTRATOR, entity=None)
    assert not StaffRole.objects.filter(entity__isnull=True).exists()
    federation = make_staff(None, Role.ADMINISTRATOR)
    made = actions.grant_role(actor=federation, user=local, role=Role.ACCOUNTANT, entity=None)
    with pytest.raises(AccessDenied):
        actions.revoke_role(actor=local, staff_role=made)
    actions.revoke_role(actor=federation, staff_role=made)
    assert not StaffRole.objects.filter(pk=made.pk).exists()


def test_an_entity_administrator_manages_the_roles_of_their_entity(entity_be: Entity) -> None:
    local = make_staff(entity_be, Role.ADMINISTRATOR)
    role = actions.grant_role(actor=local, user=make_user(), role=Role.ADVISER, entity=entity_be)
    actions.revoke_role(actor=local, staff_role=role)
    assert not StaffRole.objects.filter(pk=role.pk).exists()
