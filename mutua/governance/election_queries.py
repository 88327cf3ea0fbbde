"""Reads of elections: members of the entity and its board see an election; anyone sees the
board (ballots and count) of a counted election."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from mutua.core.errors import NotFound
from mutua.governance.counting import ballot_lines
from mutua.governance.election_actions import constituency_ballots
from mutua.governance.models import (
    Ballot,
    Candidacy,
    CandidacyStatus,
    Constituency,
    Election,
    ElectionStatus,
    VoterRecord,
)
from mutua.governance.queries import BOARD_ROLES
from mutua.members.queries import member_entities, person_of, staff_entities


def visible_elections(user: Any) -> QuerySet[Election]:
    if not getattr(user, "is_authenticated", False):
        return Election.objects.none()
    entities = Q(entity__in=member_entities(user)) | Q(entity__in=staff_entities(user, BOARD_ROLES))
    return Election.objects.filter(entities).select_related("entity").distinct()


def access_election(user: Any, election_id: int) -> Election:
    found = visible_elections(user).filter(pk=election_id).first()
    if found is None:
        raise NotFound("no such election")
    return found


def access_board_election(user: Any, election_id: int) -> Election:
    found = Election.objects.filter(
        pk=election_id, entity__in=staff_entities(user, BOARD_ROLES)
    ).first()
    if found is None:
        raise NotFound("no such election")
    return found


def published_election(election_id: int) -> Election:
    found = (
        Election.objects.select_related("entity")
        .filter(pk=election_id, status=ElectionStatus.COUNTED)
        .first()
    )
    if found is None:
        raise NotFound("no published board for this election")
    return found


def has_voted(user: Any, election: Election) -> bool:
    person = person_of(user)
    return (
        person is not None
        and VoterRecord.objects.filter(election=election, holder__person=person).exists()
    )


def standing(constituency: Constituency) -> QuerySet[Candidacy]:
    return Candidacy.objects.filter(
        constituency=constituency, status=CandidacyStatus.STANDING
    ).order_by("label")


def board_ballots(constituency: Constituency) -> QuerySet[Ballot]:
    return Ballot.objects.filter(constituency=constituency).order_by("tracker")


def ballot_file(constituency: Constituency) -> str:
    """The published ballot file of a constituency, as `mutua election count` reads it."""
    candidates, ballots = constituency_ballots(constituency)
    return ballot_lines(candidates, ballots)
