"""Consultations: phases decide what members may do, supports are capped, the board answers;
rule changes are announced before they apply, on a public log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from mutua.core.errors import AccessDenied, RuleViolation, StateConflict
from mutua.entities.models import Entity
from mutua.governance.consultation_actions import (
    PhaseSpec,
    answer_proposal,
    create_consultation,
    publish_final_report,
    publish_rule_change,
    submit_proposal,
    support_proposal,
)
from mutua.governance.models import Consultation, GovernanceRules, Proposal, Support
from mutua.members.models import Membership
from tests.conftest import make_entity, make_member

pytestmark = pytest.mark.django_db
Login = Callable[[Any], Client]
PROPOSING = dt.date(2026, 3, 5)
SUPPORTING = dt.date(2026, 3, 20)


@pytest.fixture
def consultation(entity_be: Entity, board_be: Any) -> Consultation:
    return create_consultation(
        entity=entity_be,
        title="SMart in Progress 2026",
        acting_user=board_be,
        phases=[
            PhaseSpec(
                "Proposals",
                dt.date(2026, 3, 1),
                dt.date(2026, 3, 14),
                proposals=True,
                comments=True,
            ),
            PhaseSpec(
                "Supports",
                dt.date(2026, 3, 15),
                dt.date(2026, 3, 31),
                supports=True,
                amendments=True,
                comments=True,
            ),
        ],
    )


def propose(member: Membership, consultation: Consultation, title: str = "Idea") -> Proposal:
    return submit_proposal(
        consultation=consultation,
        title=title,
        body="Because.",
        acting_user=member.person.user,
        on=PROPOSING,
    )


def test_each_phase_opens_what_it_allows(
    consultation: Consultation, alice: Membership, bob: Membership
) -> None:
    proposal = propose(alice, consultation)
    with pytest.raises(RuleViolation, match="supports are not open"):
        support_proposal(proposal=proposal, acting_user=bob.person.user, on=PROPOSING)
    with pytest.raises(RuleViolation, match="proposals are not open"):
        submit_proposal(
            consultation=consultation,
            title="Late",
            body="x",
            acting_user=bob.person.user,
            on=SUPPORTING,
        )
    amendment = submit_proposal(
        consultation=consultation,
        title="Better",
        body="y",
        amends=proposal,
        acting_user=bob.person.user,
        on=SUPPORTING,
    )
    assert amendment.amends == proposal
    support_proposal(proposal=proposal, acting_user=bob.person.user, on=SUPPORTING)
    with pytest.raises(StateConflict, match="already support"):
        support_proposal(proposal=proposal, acting_user=bob.person.user, on=SUPPORTING)


def test_supports_are_capped_per_person(
    entity_be: Entity, consultation: Consultation, alice: Membership, bob: Membership
) -> None:
    GovernanceRules.objects.create(entity=entity_be, supports_per_person=2)
    ideas = [propose(alice, consultation, f"Idea {n}") for n in range(3)]
    for idea in ideas[:2]:
        support_proposal(proposal=idea, acting_user=bob.person.user, on=SUPPORTING)
    with pytest.raises(RuleViolation, match="your 2 supports"):
        support_proposal(proposal=ideas[2], acting_user=bob.person.user, on=SUPPORTING)
    support_proposal(proposal=ideas[2], acting_user=alice.person.user, on=SUPPORTING)
    assert Support.objects.count() == 3


def test_the_default_cap_is_ten(
    consultation: Consultation, alice: Membership, bob: Membership
) -> None:
    ideas = [propose(alice, consultation, f"Idea {n}") for n in range(11)]
    for idea in ideas[:10]:
        support_proposal(proposal=idea, acting_user=bob.person.user, on=SUPPORTING)
    with pytest.raises(RuleViolation, match="your 10 supports"):
        support_proposal(proposal=ideas[10], acting_user=bob.person.user, on=SUPPORTING)


def test_only_the_board_answers_and_reports_after_answering_all(
    consultation: Consultation, alice: Membership, board_be: Any
) -> None:
    proposal = propose(alice, consultation)
    with pytest.raises(AccessDenied):
        answer_proposal(
            proposal=proposal, status="accepted", answer="Yes", acting_user=alice.person.user
        )
    with pytest.raises(RuleViolation, match="1 proposals still await"):
        publish_final_report(consultation=consultation, report="Done", acting_user=board_be)
    answer_proposal(proposal=proposal, status="partly", answer="In 2027.", acting_user=board_be)
    assert publish_final_report(
        consultation=consultation, report="Done", acting_user=board_be
    ).report_published_on


def test_members_of_another_cooperative_take_no_part(
    consultation: Consultation, alice: Membership, client_for: Login
) -> None:
    stranger = make_member(make_entity("FR", country="FR"))
    with pytest.raises(AccessDenied):
        propose(stranger, consultation)
    proposal = propose(alice, consultation)
    browser = client_for(stranger.person.user)
    assert browser.get(f"/governance/consultations/{consultation.pk}/").status_code == 404
    answer = browser.post(f"/governance/consultations/proposals/{proposal.pk}/support/")
    assert answer.status_code == 404 and not Support.objects.exists()
    member = client_for(alice.person.user)
    assert "Idea" in member.get(f"/governance/consultations/{consultation.pk}/").content.decode()


def test_a_rule_change_is_announced_before_it_applies(
    entity_be: Entity, board_be: Any, client_for: Login
) -> None:
    today = dt.date(2026, 4, 1)
    with pytest.raises(RuleViolation, match="never after"):
        publish_rule_change(
            entity=entity_be,
            category="fees",
            title="Fee 7 %",
            description="From 6.5 % to 7 %.",
            effective_on=dt.date(2026, 3, 1),
            decision="Board, 2026-03-28",
            acting_user=board_be,
            on=today,
        )
    change = publish_rule_change(
        entity=entity_be,
        category="fees",
        title="Fee 7 %",
        description="From 6.5 % to 7 %.",
        effective_on=dt.date(2026, 7, 1),
        decision="General assembly, 2026-03-28",
        acting_user=board_be,
        on=today,
    )
    assert change.notice_given_on == today
    page = Client().get(f"/governance/rules/{entity_be.code}/")
    assert page.status_code == 200 and "Fee 7 %" in page.content.decode()


def test_a_member_supports_and_comments_from_the_page(
    entity_be: Entity, alice: Membership, bob: Membership, board_be: Any, client_for: Login
) -> None:
    from django.utils import timezone

    today = timezone.localdate()
    open_now = create_consultation(
        entity=entity_be,
        title="Now",
        acting_user=board_be,
        phases=[
            PhaseSpec(
                "All",
                today - dt.timedelta(days=1),
                today + dt.timedelta(days=1),
                proposals=True,
                comments=True,
                supports=True,
                amendments=True,
            )
        ],
    )
    browser = client_for(bob.person.user)
    browser.post(
        f"/governance/consultations/{open_now.pk}/propose/",
        {"title": "Open the books", "body": "Publish the accounts monthly."},
    )
    proposal = Proposal.objects.get()
    client_for(alice.person.user).post(
        f"/governance/consultations/proposals/{proposal.pk}/support/"
    )
    browser.post(f"/governance/consultations/proposals/{proposal.pk}/comment/", {"body": "Yes!"})
    page = client_for(alice.person.user).get(f"/governance/consultations/{open_now.pk}/")
    text = page.content.decode()
    assert "Withdraw my support" in text and "Yes!" in text and "1 support" in text
    staff = client_for(board_be)
    staff.post(
        f"/governance/consultations/proposals/{proposal.pk}/answer/",
        {"status": "accepted", "answer": "From June."},
    )
    proposal.refresh_from_db()
    assert (proposal.status, proposal.answer) == ("accepted", "From June.")
