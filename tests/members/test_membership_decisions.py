from typing import Any

import pytest

from mutua.core.errors import AccessDenied, InvalidInput, StateConflict
from mutua.core.models import AuditEvent
from mutua.core.permissions import Role
from mutua.entities.models import Entity
from mutua.members import actions
from mutua.members.models import Membership
from tests.conftest import make_entity, make_member, make_staff


def test_approval_makes_an_active_member_with_the_next_number(
    entity_be: Entity, adviser_be: Any
) -> None:
    first = make_member(entity_be, approve=False)
    second = make_member(entity_be, approve=False)
    second = actions.approve_membership(actor=adviser_be, membership=second)
    first = actions.approve_membership(actor=adviser_be, membership=first)
    assert second.number == "BE-00001" and first.number == "BE-00002"
    assert first.status == "active" and first.decided_by == adviser_be
    event = AuditEvent.objects.filter(action="membership.approve").first()
    assert event is not None
    assert event.before["status"] == "applicant" and event.after["status"] == "active"


def test_only_staff_of_that_entity_may_decide(entity_be: Entity, adviser_be: Any) -> None:
    applicant = make_member(entity_be, approve=False)
    other_entity_adviser = make_staff(make_entity("FR"), Role.ADVISER)
    accountant = make_staff(entity_be, Role.ACCOUNTANT)
    member = make_member(entity_be).person.user
    for actor in (other_entity_adviser, accountant, member):
        with pytest.raises(AccessDenied):
            actions.approve_membership(actor=actor, membership=applicant)
    applicant.refresh_from_db()
    assert applicant.status == "applicant" and applicant.number is None


def test_a_federation_administrator_may_decide_everywhere(entity_be: Entity) -> None:
    applicant = make_member(entity_be, approve=False)
    admin = make_staff(None, Role.ADMINISTRATOR)
    assert actions.approve_membership(actor=admin, membership=applicant).status == "active"


def test_staff_cannot_approve_their_own_application(entity_be: Entity, adviser_be: Any) -> None:
    from tests.conftest import identity_for

    own = actions.apply_for_membership(
        user=adviser_be, entity=entity_be, identity=identity_for("BE")
    )
    with pytest.raises(AccessDenied):
        actions.approve_membership(actor=adviser_be, membership=own)


def test_a_refused_approval_does_not_consume_a_member_number(
    entity_be: Entity, adviser_be: Any
) -> None:
    active = make_member(entity_be)
    with pytest.raises(StateConflict):
        actions.approve_membership(actor=adviser_be, membership=active)
    nxt = actions.approve_membership(
        actor=adviser_be, membership=make_member(entity_be, approve=False)
    )
    assert (active.number, nxt.number) == ("BE-00001", "BE-00002")


def test_rejection_needs_a_reason_and_ends_the_application(
    entity_be: Entity, adviser_be: Any
) -> None:
    applicant = make_member(entity_be, approve=False)
    with pytest.raises(InvalidInput) as excinfo:
        actions.reject_membership(actor=adviser_be, membership=applicant, reason="  ")
    assert excinfo.value.field == "reason"
    refused = actions.reject_membership(
        actor=adviser_be, membership=applicant, reason="no activity in our sectors"
    )
    assert refused.status == "left" and "no activity" in refused.end_reason


def test_suspension_reinstatement_and_departure(entity_be: Entity, adviser_be: Any) -> None:
    member = make_member(entity_be)
    member = actions.suspend_membership(actor=adviser_be, membership=member, reason="unpaid share")
    assert member.status == "suspended"
    with pytest.raises(StateConflict):
        actions.suspend_membership(actor=adviser_be, membership=member, reason="again")
    member = actions.reinstate_membership(actor=adviser_be, membership=member)
    assert member.status == "active"
    member = actions.record_departure(actor=adviser_be, membership=member, reason="retired")
    assert member.status == "left" and member.ended_at is not None
    assert Membership.objects.get(pk=member.pk).number == member.number


def test_the_applicant_gets_a_mail_in_their_language_once_the_decision_commits(
    entity_be: Entity, adviser_be: Any, django_capture_on_commit_callbacks: Any, mailoutbox: Any
) -> None:
    applicant = make_member(entity_be, approve=False)
    applicant.person.preferred_language = "fr"
    applicant.person.save()
    with django_capture_on_commit_callbacks(execute=True):
        actions.approve_membership(actor=adviser_be, membership=applicant)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [applicant.person.user.email]
    assert "BE-00001" in mailoutbox[0].body and "Bienvenue" in mailoutbox[0].subject


def test_no_mail_leaves_for_a_refused_decision(
    entity_be: Entity, adviser_be: Any, django_capture_on_commit_callbacks: Any, mailoutbox: Any
) -> None:
    applicant = make_member(entity_be, approve=False)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(InvalidInput):
        actions.reject_membership(actor=adviser_be, membership=applicant, reason="")
    assert mailoutbox == []
