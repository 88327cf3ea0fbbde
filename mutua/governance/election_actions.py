"""Actions of board elections: set up (constituencies, seats within the board's maximum,
partial renewal), stand (window, eligibility), vote by secret ballot, count and publish.

Secrecy (reference/governance.md, checklist 7): casting writes the voter's record and the
ballots in two tables with no common key; the audit event names the election, never the ballot;
the tracker is returned to the voter once and stored only on the ballot."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils import timezone

from mutua.core import audit, clock
from mutua.core.audit import action
from mutua.core.errors import AccessDenied, InvalidInput, RuleViolation, StateConflict
from mutua.core.spreadsheets import safe_text
from mutua.entities.models import Entity
from mutua.governance import counting, election_box
from mutua.governance.common import require_role
from mutua.governance.models import (
    Assembly,
    Ballot,
    Candidacy,
    CandidacyStatus,
    Constituency,
    Election,
    ElectionMethod,
    ElectionStatus,
    Shareholder,
    ShareMovement,
    VoterRecord,
)
from mutua.governance.queries import BOARD_ROLES, rules_of
from mutua.members.models import Person
from mutua.members.queries import person_of

TRACKER_BYTES = 8  # 16 hex digits: unguessable, short enough to note down


@dataclass(frozen=True)
class Seats:
    code: str
    name: str
    seats: int
    share_classes: str = ""


@action("governance.create_election")
def create_election(
    *,
    entity: Entity,
    title: str,
    method: str,
    candidacy_opens: dt.date,
    candidacy_closes: dt.date,
    voting_opens: dt.datetime,
    voting_closes: dt.datetime,
    constituencies: Sequence[Seats],
    acting_user: Any,
    continuing_seats: int = 0,
    assembly: Assembly | None = None,
) -> Election:
    """An election of board members: at most `board_max_seats` (18 by default) counting the
    seats not up for renewal; candidacies close `candidacy_closes_days` (21) before the
    assembly that holds the vote."""
    require_role(acting_user, BOARD_ROLES, entity, "only the board organises elections")
    rules = rules_of(entity)
    if method not in ElectionMethod.values:
        raise InvalidInput("plurality or stv", field="method")
    if not constituencies or any(seat.seats < 1 for seat in constituencies):
        raise InvalidInput("each constituency elects at least one seat", field="constituencies")
    total = sum(seat.seats for seat in constituencies) + continuing_seats
    if total > rules.board_max_seats:
        raise RuleViolation(f"the board has at most {rules.board_max_seats} seats (here {total})")
    if not candidacy_opens <= candidacy_closes < timezone.localdate(voting_opens):
        raise InvalidInput("candidacies open, close, then voting opens", field="candidacy_closes")
    if voting_closes <= voting_opens:
        raise InvalidInput("voting closes after it opens", field="voting_closes")
    if assembly is not None:
        latest = timezone.localdate(assembly.starts_at) - dt.timedelta(
            days=rules.candidacy_closes_days
        )
        if candidacy_closes > latest:
            raise RuleViolation(f"candidacies must close by {latest}", field="candidacy_closes")
    election = Election.objects.create(
        entity=entity,
        assembly=assembly,
        title=title.strip() or "Board election",
        method=method,
        status=ElectionStatus.CANDIDACY,
        candidacy_opens=candidacy_opens,
        candidacy_closes=candidacy_closes,
        voting_opens=voting_opens,
        voting_closes=voting_closes,
        continuing_seats=continuing_seats,
    )
    Constituency.objects.bulk_create(
        Constituency(
            election=election,
            code=seat.code,
            name=seat.name,
            seats=seat.seats,
            share_classes=seat.share_classes,
        )
        for seat in constituencies
    )
    election_box.new_box(election)
    audit.record(
        actor=acting_user,
        action="governance.create_election",
        subject=election,
        entity_id=entity.pk,
        after={"seats": total, "method": method},
    )
    return election


def _shares_in(holder: Shareholder, codes: list[str]) -> int:
    movements = ShareMovement.objects.filter(holder=holder)
    if codes:
        movements = movements.filter(share_class__code__in=codes)
    return int(movements.aggregate(n=Sum("quantity"))["n"] or 0)


def _holder_of(actor: Any, entity: Entity) -> tuple[Shareholder, Person]:
    person = person_of(actor)
    holder = Shareholder.objects.filter(entity=entity, person=person).first() if person else None
    if holder is None or person is None:
        raise AccessDenied("only shareholders take part in board elections")
    return holder, person


def ballot_label(name: str, number: int) -> str:
    """A candidate's name on the ballot file: unique (register number), no separator in it."""
    clean = name.replace(counting.SEPARATOR, "›").replace(",", " ").strip().lstrip("#").strip()
    # The published ballot file is a .csv: a name must not start a formula (or a new cell).
    return safe_text(f"{clean} ({number})")


@action("governance.stand_for_election")
def stand_for_election(
    *, constituency: Constituency, acting_user: Any, statement: str = "", on: dt.date | None = None
) -> Candidacy:
    """A shareholder of the constituency's classes stands, within the candidacy window."""
    election = constituency.election
    on = on or clock.today()
    if not election.candidacy_opens <= on <= election.candidacy_closes:
        raise RuleViolation("candidacies are not open", field="constituency")
    holder, person = _holder_of(acting_user, election.entity)
    if _shares_in(holder, constituency.class_codes) <= 0:
        raise RuleViolation("you hold no shares of the classes this constituency represents")
    if Candidacy.objects.filter(
        constituency__election=election, person=person, status=CandidacyStatus.STANDING
    ).exists():
        raise StateConflict("you already stand in this election")
    candidacy = Candidacy.objects.create(
        constituency=constituency,
        person=person,
        holder=holder,
        label=ballot_label(holder.name, holder.number),
        statement=statement.strip(),
    )
    audit.record(
        actor=acting_user,
        action="governance.stand_for_election",
        subject=candidacy,
        entity_id=election.entity_id,
        after={"constituency": constituency.code},
    )
    return candidacy


@action("governance.withdraw_candidacy")
def withdraw_candidacy(*, candidacy: Candidacy, acting_user: Any) -> Candidacy:
    person = person_of(acting_user)
    if person is None or candidacy.person_id != person.pk:
        raise AccessDenied("only the candidate withdraws their candidacy")
    if clock.now() >= candidacy.constituency.election.voting_opens:
        raise StateConflict("the vote has opened: the candidacy stands")
    candidacy.status = CandidacyStatus.WITHDRAWN
    candidacy.save(update_fields=["status"])
    audit.record(
        actor=acting_user,
        action="governance.withdraw_candidacy",
        subject=candidacy,
        entity_id=candidacy.constituency.election.entity_id,
    )
    return candidacy


# --- voting ------------------------------------------------------------------------------------
@action("governance.cast_ballot")
def cast_ballot(
    *,
    election: Election,
    choices: Mapping[int, Sequence[int]],
    acting_user: Any,
    now: dt.datetime | None = None,
) -> str:
    """Vote once, secretly, in every constituency (a constituency left out is a blank ballot).
    Returns the tracker: shown once to the voter, stored only with the sealed ballot.

    The transaction writes who voted (VoterRecord), the audit event (the election, nothing of
    the ballot) and the ballot box rewritten with this ballot among the others, reshuffled and
    sealed; no Ballot row before the count (election_box.py says why)."""
    now = now or clock.now()
    if _hold_election(election) == ElectionStatus.COUNTED:
        raise StateConflict("the vote is counted")
    if not election.voting_opens <= now < election.voting_closes:
        raise StateConflict("the vote is not open")
    holder, _ = _holder_of(acting_user, election.entity)
    if _shares_in(holder, []) <= 0:
        raise AccessDenied("only shareholders vote")
    constituencies = list(election.constituencies.all())
    rankings = {
        seat.pk: _ranking(election, seat, choices.get(seat.pk, ())) for seat in constituencies
    }
    unknown = set(choices) - set(rankings)
    if unknown:
        raise InvalidInput("a choice names another election's constituency")
    try:
        with transaction.atomic():
            VoterRecord.objects.create(
                election=election, holder=holder, voted_on=timezone.localdate(now)
            )
    except IntegrityError as exc:
        raise StateConflict("you have already voted in this election") from exc
    tracker = secrets.token_hex(TRACKER_BYTES)
    election_box.drop(election=election, entry=election_box.Entry(tracker, rankings))
    # The audit event says that someone voted in the election, not how (no ballot, no tracker).
    audit.record(
        actor=acting_user,
        action="governance.cast_ballot",
        subject=election,
        entity_id=election.entity_id,
    )
    return tracker


def _hold_election(election: Election) -> str:
    """The election's status, held until the ballot commits: ballots go together under a share
    lock, and count_election's row lock waits for those under way (PostgreSQL)."""
    lock = " FOR SHARE" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT status FROM {Election._meta.db_table} WHERE id = %s{lock}",  # noqa: S608
            [election.pk],
        )
        row = cursor.fetchone()
    return str(row[0]) if row else ElectionStatus.COUNTED


def _ranking(election: Election, seat: Constituency, chosen: Sequence[int]) -> list[int]:
    """The candidacies chosen (ids, most preferred first), checked: standing, each once."""
    standing = set(
        Candidacy.objects.filter(constituency=seat, status=CandidacyStatus.STANDING).values_list(
            "pk", flat=True
        )
    )
    if len(set(chosen)) != len(chosen) or any(pk not in standing for pk in chosen):
        raise InvalidInput(f"{seat.name}: choose standing candidates, each once")
    if election.method == ElectionMethod.PLURALITY and len(chosen) > seat.seats:
        raise InvalidInput(f"{seat.name}: choose at most {seat.seats}")
    return [int(pk) for pk in chosen]


# --- counting ----------------------------------------------------------------------------------
def constituency_ballots(seat: Constituency) -> tuple[list[str], list[tuple[str, ...]]]:
    """The candidates standing and the ballots (ordered by tracker), as published on the board."""
    candidates = list(
        Candidacy.objects.filter(constituency=seat, status=CandidacyStatus.STANDING)
        .order_by("label")
        .values_list("label", flat=True)
    )
    ballots = [
        tuple(ranking)
        for ranking in Ballot.objects.filter(constituency=seat)
        .order_by("tracker")
        .values_list("ranking", flat=True)
    ]
    return candidates, ballots


@action("governance.count_election")
def count_election(
    *, election: Election, acting_user: Any, now: dt.datetime | None = None
) -> Election:
    """Open the ballot box and write every ballot at once, in random order (election_box.py);
    count each constituency with counting.count (the code `mutua election count` runs on the
    published ballot file) and publish the board."""
    require_role(acting_user, BOARD_ROLES, election.entity, "only the board counts the vote")
    # The row lock waits for the votes under way (they hold it FOR SHARE until they commit).
    election = Election.objects.select_for_update().get(pk=election.pk)
    if election.status == ElectionStatus.COUNTED:
        raise StateConflict("this election is already counted")
    if (now or clock.now()) < election.voting_closes:
        raise StateConflict("the vote is still open")
    published = _publish_ballots(election)
    for seat in election.constituencies.all():
        candidates, ballots = constituency_ballots(seat)
        filled = [ranking for ranking in ballots if ranking]
        result = counting.count(
            filled,
            seats=seat.seats,
            method=election.method,
            candidates=candidates,
            blank=len(ballots) - len(filled),
        )
        seat.result = result.as_dict()
        seat.save(update_fields=["result"])
    election.status, election.counted_at = ElectionStatus.COUNTED, clock.now()
    election.save(update_fields=["status", "counted_at"])
    audit.record(
        actor=acting_user,
        action="governance.count_election",
        subject=election,
        entity_id=election.entity_id,
        after={"ballots": published},
    )
    return election


def _publish_ballots(election: Election) -> int:
    """The ballots out of the box, one row per voter and constituency, inserted in random order
    in the count's transaction: they all share its transaction id, their physical order is
    random, their ids and trackers random. Returns how many voters' ballots were published."""
    entries = election_box.empty(election=election)
    labels = dict(
        Candidacy.objects.filter(constituency__election=election).values_list("pk", "label")
    )
    seats = list(election.constituencies.values_list("pk", flat=True))
    ballots = [
        Ballot(
            constituency_id=seat,
            tracker=entry.tracker,
            ranking=[labels[pk] for pk in entry.rankings.get(seat, [])],
        )
        for entry in entries
        for seat in seats
    ]
    election_box.shuffle(ballots)
    Ballot.objects.bulk_create(ballots)
    return len(entries)
