"""Board elections: seats, candidacy window and eligibility, one secret ballot per voter, and a
published board whose recount equals the product's count."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import models
from django.utils import timezone

from mutua.core.errors import AccessDenied, InvalidInput, RuleViolation, StateConflict
from mutua.core.models import AuditEvent
from mutua.entities.models import Entity
from mutua.governance.counting import count_file
from mutua.governance.election_actions import (
    Seats,
    cast_ballot,
    count_election,
    create_election,
    stand_for_election,
)
from mutua.governance.election_queries import ballot_file
from mutua.governance.models import (
    Ballot,
    BallotBox,
    Election,
    GovernanceRules,
    ShareClass,
    VoterRecord,
)
from mutua.governance.share_actions import define_share_class
from mutua.members.models import Membership
from tests.conftest import make_member
from tests.governance.conftest import shareholder

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 5, 4)
OPENS = dt.datetime(2026, 6, 1, 8, tzinfo=dt.UTC)
CLOSES = dt.datetime(2026, 6, 10, 18, tzinfo=dt.UTC)
DURING = dt.datetime(2026, 6, 5, 12, tzinfo=dt.UTC)


def election(
    entity: Entity, board: Any, *seats: Seats, method: str = "stv", **extra: Any
) -> Election:
    return create_election(
        entity=entity,
        title="Board 2026",
        method=method,
        candidacy_opens=dt.date(2026, 5, 1),
        candidacy_closes=dt.date(2026, 5, 15),
        voting_opens=OPENS,
        voting_closes=CLOSES,
        constituencies=seats or [Seats("members", "Members", 2, "A")],
        acting_user=board,
        **extra,
    )


def stand(member: Membership, vote: Election, code: str = "members") -> Any:
    return stand_for_election(
        constituency=vote.constituencies.get(code=code), acting_user=member.person.user, on=TODAY
    )


def test_the_board_has_at_most_18_seats_by_default(entity_be: Entity, board_be: Any) -> None:
    with pytest.raises(RuleViolation, match="at most 18 seats"):
        election(entity_be, board_be, Seats("members", "Members", 10), continuing_seats=9)
    GovernanceRules.objects.create(entity=entity_be, board_max_seats=19)
    assert election(entity_be, board_be, Seats("members", "Members", 10), continuing_seats=9)


def test_candidacies_close_three_weeks_before_the_assembly(
    entity_be: Entity, board_be: Any
) -> None:
    from mutua.governance.assembly_actions import create_assembly

    june = create_assembly(
        entity=entity_be,
        kind="ordinary",
        title="AG",
        acting_user=board_be,
        starts_at=dt.datetime(2026, 6, 1, 18, tzinfo=dt.UTC),
    )
    with pytest.raises(RuleViolation, match="must close by 2026-05-11"):
        election(entity_be, board_be, assembly=june)


def test_only_shareholders_of_the_constituency_stand_in_the_window(
    entity_be: Entity, alice: Membership, bob: Membership, class_a: ShareClass, board_be: Any
) -> None:
    define_share_class(
        entity=entity_be, code="B", name="Staff", nominal_value=Decimal("30"), acting_user=board_be
    )
    shareholder(alice, class_a, 1, board_be)
    vote = election(
        entity_be,
        board_be,
        Seats("members", "Members", 2, "A"),
        Seats("staff", "Permanent staff", 1, "B"),
    )
    with pytest.raises(RuleViolation, match="no shares of the classes"):
        stand(alice, vote, "staff")
    with pytest.raises(AccessDenied):
        stand(bob, vote)  # not a shareholder
    with pytest.raises(RuleViolation, match="not open"):
        stand_for_election(
            constituency=vote.constituencies.get(code="members"),
            acting_user=alice.person.user,
            on=dt.date(2026, 5, 16),
        )
    assert stand(alice, vote).label.endswith(")")
    with pytest.raises(StateConflict):
        stand(alice, vote)


def test_a_voter_votes_once_and_the_ballot_holds_no_link_to_them(
    entity_be: Entity, alice: Membership, bob: Membership, class_a: ShareClass, board_be: Any
) -> None:
    shareholder(alice, class_a, 1, board_be)
    shareholder(bob, class_a, 1, board_be)
    vote = election(entity_be, board_be)
    candidate = stand(alice, vote)
    seat = vote.constituencies.get()
    tracker = cast_ballot(
        election=vote, choices={seat.pk: [candidate.pk]}, acting_user=bob.person.user, now=DURING
    )
    with pytest.raises(StateConflict, match="already voted"):
        cast_ballot(election=vote, choices={seat.pk: []}, acting_user=bob.person.user, now=DURING)
    # While the vote is open the ballot is only in the sealed ballot box: a ballot row written
    # in the voter's transaction (as before ADR 0004) shared its transaction id with theirs.
    assert VoterRecord.objects.count() == 1 and not Ballot.objects.exists()
    box = bytes(BallotBox.objects.get(election=vote).sealed)
    assert box and tracker.encode() not in box and candidate.label.encode() not in box
    count_election(election=vote, acting_user=board_be, now=CLOSES)
    assert Ballot.objects.count() == 1 and not bytes(BallotBox.objects.get(election=vote).sealed)

    # The ballot table: a random id, the constituency, the tracker, the ranking. Nothing else.
    fields = {f.name for f in Ballot._meta.get_fields()}
    assert fields == {"id", "constituency", "tracker", "ranking"}
    relations = {f.related_model for f in Ballot._meta.get_fields() if f.is_relation}
    assert relations == {seat.__class__}
    assert isinstance(Ballot._meta.pk, models.UUIDField)
    # The voter's record has no ballot, and the audit log never shows the tracker.
    assert {f.name for f in VoterRecord._meta.get_fields()} == {
        "id",
        "election",
        "holder",
        "voted_on",
    }
    logged = json.dumps(list(AuditEvent.objects.values("after", "before", "subject_id")))
    assert tracker not in logged and str(Ballot.objects.get().pk) not in logged
    assert Ballot.objects.get().tracker == tracker
    assert Ballot.objects.get().ranking == [candidate.label]


def test_a_vote_outside_the_window_or_beyond_the_seats_is_refused(
    entity_be: Entity, alice: Membership, bob: Membership, class_a: ShareClass, board_be: Any
) -> None:
    carol = make_member(entity_be)
    for member in (alice, bob, carol):
        shareholder(member, class_a, 1, board_be)
    vote = election(entity_be, board_be, Seats("members", "Members", 1, "A"), method="plurality")
    seat = vote.constituencies.get()
    picks = [stand(alice, vote).pk, stand(bob, vote).pk]
    with pytest.raises(InvalidInput, match="at most 1"):
        cast_ballot(
            election=vote, choices={seat.pk: picks}, acting_user=carol.person.user, now=DURING
        )
    with pytest.raises(StateConflict, match="not open"):
        cast_ballot(
            election=vote, choices={seat.pk: picks[:1]}, acting_user=carol.person.user, now=CLOSES
        )
    assert not VoterRecord.objects.exists()


def test_anyone_recounts_the_published_board_and_finds_the_same_result(
    entity_be: Entity,
    alice: Membership,
    bob: Membership,
    class_a: ShareClass,
    board_be: Any,
    tmp_path: Path,
) -> None:
    voters = [alice, bob] + [make_member(entity_be) for _ in range(5)]
    for member in voters:
        shareholder(member, class_a, 1, board_be)
    vote = election(entity_be, board_be)
    seat = vote.constituencies.get()
    a, b, c = (stand(member, vote).pk for member in voters[:3])
    for member, ranking in zip(voters, [[a, b], [a, c], [b], [c, b], [a], [], [b, a]], strict=True):
        cast_ballot(
            election=vote, choices={seat.pk: ranking}, acting_user=member.person.user, now=DURING
        )
    with pytest.raises(StateConflict, match="still open"):
        count_election(election=vote, acting_user=board_be, now=DURING)
    count_election(election=vote, acting_user=board_be, now=CLOSES)
    seat.refresh_from_db()
    assert seat.result is not None
    assert seat.result["ballots"] == 6 and seat.result["blank"] == 1

    published = tmp_path / "ballots.csv"
    published.write_text(ballot_file(seat), encoding="utf-8")
    out = StringIO()
    call_command(
        "election", "count", str(published), "--seats", "2", "--method", "stv", "--json", stdout=out
    )
    assert json.loads(out.getvalue()) == seat.result
    assert count_file(published.read_text(), seats=2, method="stv").as_dict() == seat.result


def test_the_count_is_the_boards(
    entity_be: Entity, alice: Membership, class_a: ShareClass, board_be: Any
) -> None:
    shareholder(alice, class_a, 1, board_be)
    vote = election(entity_be, board_be)
    with pytest.raises(AccessDenied):
        count_election(
            election=vote,
            acting_user=alice.person.user,
            now=timezone.now() + dt.timedelta(days=400),
        )
