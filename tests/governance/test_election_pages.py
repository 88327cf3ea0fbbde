"""Election pages: a secret ballot from the portal, the tracker shown once, a public board."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from mutua.entities.models import Entity
from mutua.governance.counting import count_file
from mutua.governance.election_actions import Seats, create_election, stand_for_election
from mutua.governance.models import Ballot, Election, ShareClass, VoterRecord
from mutua.members.models import Membership
from tests.conftest import make_entity, make_member
from tests.governance.conftest import shareholder

pytestmark = pytest.mark.django_db
Login = Callable[[Any], Client]


@pytest.fixture
def voting(
    entity_be: Entity, alice: Membership, bob: Membership, class_a: ShareClass, board_be: Any
) -> Election:
    """An STV election for 1 seat, open now; Alice and Bob stand."""
    from django.utils import timezone

    for member in (alice, bob):
        shareholder(member, class_a, 1, board_be)
    today = timezone.localdate()
    election = create_election(
        entity=entity_be,
        title="Board",
        method="stv",
        acting_user=board_be,
        candidacy_opens=today - dt.timedelta(days=30),
        candidacy_closes=today - dt.timedelta(days=1),
        voting_opens=timezone.now() - dt.timedelta(hours=1),
        voting_closes=timezone.now() + dt.timedelta(hours=1),
        constituencies=[Seats("members", "Members", 1, "A")],
    )
    seat = election.constituencies.get()
    for member in (alice, bob):
        stand_for_election(
            constituency=seat, acting_user=member.person.user, on=today - dt.timedelta(days=2)
        )
    return election


def test_a_member_votes_secretly_and_finds_their_ballot_on_the_board(
    voting: Election, alice: Membership, bob: Membership, board_be: Any, client_for: Login
) -> None:
    seat = voting.constituencies.get()
    first, second = sorted(seat.candidacies.all(), key=lambda c: c.pk)
    browser = client_for(alice.person.user)
    page = browser.post(
        f"/governance/elections/{voting.pk}/vote/",
        {f"rank-{seat.pk}-{second.pk}": "1", f"rank-{seat.pk}-{first.pk}": "2"},
    )
    # The tracker is on the page; no ballot row exists before the count (ADR 0004: the ballot
    # waits in the sealed ballot box, so this reads the tracker from the page).
    found_tracker = re.search(
        r'class="tracker"><strong><code>([0-9a-f]+)</code>', page.content.decode()
    )
    assert found_tracker is not None
    tracker = found_tracker.group(1)
    assert not Ballot.objects.exists()
    # Nobody else, nor Alice later, sees the tracker in the portal: it lives on the ballot only.
    for user in (bob.person.user, alice.person.user):
        assert (
            tracker
            not in client_for(user).get(f"/governance/elections/{voting.pk}/").content.decode()
        )
    again = browser.post(f"/governance/elections/{voting.pk}/vote/", {}, follow=True)
    assert "already voted" in again.content.decode()
    assert VoterRecord.objects.count() == 1 and not Ballot.objects.exists()

    anonymous = Client()
    assert anonymous.get(f"/governance/elections/{voting.pk}/board/").status_code == 404
    Election.objects.filter(pk=voting.pk).update(voting_closes=voting.voting_opens)
    client_for(board_be).post(f"/governance/elections/{voting.pk}/count/")
    assert Ballot.objects.get().tracker == tracker
    board = anonymous.get(f"/governance/elections/{voting.pk}/board/?tracker={tracker}")
    assert board.status_code == 200 and 'role="img"' in board.content.decode()
    assert f"{second.label} > {first.label}" in board.content.decode()
    ballots = anonymous.get(f"/governance/elections/{voting.pk}/board/{seat.pk}.csv")
    seat.refresh_from_db()
    recount = count_file(ballots.content.decode(), seats=1, method="stv").as_dict()
    assert recount == seat.result and recount["elected"] == [second.label]


def test_members_act_only_in_their_own_cooperative(
    voting: Election, alice: Membership, client_for: Login
) -> None:
    stranger = make_member(make_entity("FR", country="FR"))
    browser = client_for(stranger.person.user)
    assert browser.get(f"/governance/elections/{voting.pk}/").status_code == 404
    assert browser.post(f"/governance/elections/{voting.pk}/vote/").status_code == 404
    member = client_for(alice.person.user)
    assert member.post(f"/governance/elections/{voting.pk}/count/").status_code == 404
    assert not VoterRecord.objects.exists()
