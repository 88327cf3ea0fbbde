"""Secret ballots (docs/adr/0004-secret-ballots.md): whoever holds the database, its logs or its
backups cannot tell who cast which ballot, and the count, the trackers and the public recount
still work.

The first tests run on both databases: the ballot box is sealed and padded, large elections
spill sealed batches, the count publishes every ballot once, a rotated SECRET_KEY still opens
the box. The last ones (PostgreSQL, committed transactions) play the attacker: 30 members vote
from the portal, each a different ranking, and every join we can think of between the voters
(their records, the audit log, the log lines) and the ballots (ids, `xmin`, `ctid`, trackers,
datetime columns, the raw pages of every table, the write-ahead log) is tried: none does better
than chance, and no page or log line written while the vote was open holds a tracker."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import logging
import random
import re
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from mutua.core.errors import StateConflict
from mutua.core.models import AuditEvent
from mutua.core.permissions import Role
from mutua.entities.models import Entity
from mutua.governance import counting, election_box
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
    Candidacy,
    Election,
    SealedBatch,
    ShareClass,
    Shareholder,
    VoterRecord,
)
from mutua.governance.share_actions import define_share_class
from mutua.members.models import Membership
from tests.conftest import make_member, make_staff
from tests.governance.conftest import shareholder
from tests.ledger.conftest import books

OPENS = dt.datetime(2026, 6, 1, 8, tzinfo=dt.UTC)
CLOSES = dt.datetime(2026, 6, 30, 18, tzinfo=dt.UTC)
DURING = dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC)
AFTER = CLOSES + dt.timedelta(hours=1)
# A method that links nobody matches a random permutation: on average 1 of 30 right; 8 or more
# right by luck happens about once in 100 000 (Poisson(1)). A leak gives 30.
CHANCE_BOUND = 7
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="xmin, ctid, raw pages and WAL are PostgreSQL's"
)


@dataclass
class Vote:
    election: Election
    seat: Any
    candidates: list[Candidacy]
    voters: list[Membership]
    trackers: dict[int, str] = field(default_factory=dict)  # shareholder id → tracker
    rankings: dict[int, list[int]] = field(default_factory=dict)  # shareholder id → candidacies


def _election(
    entity: Entity, board: Any, members: Sequence[Membership], class_a: ShareClass, stand: int
) -> Vote:
    for member in members:
        shareholder(member, class_a, 1, board)
    election = create_election(
        entity=entity,
        title="Board 2026",
        method="stv",
        candidacy_opens=dt.date(2026, 5, 1),
        candidacy_closes=dt.date(2026, 5, 15),
        voting_opens=OPENS,
        voting_closes=CLOSES,
        constituencies=[Seats("members", "Members", 2, "A")],
        acting_user=board,
    )
    seat = election.constituencies.get()
    candidates = [
        stand_for_election(
            constituency=seat, acting_user=member.person.user, on=dt.date(2026, 5, 4)
        )
        for member in members[:stand]
    ]
    return Vote(election, seat, candidates, list(members))


def _holder(member: Membership) -> int:
    return int(Shareholder.objects.get(entity=member.entity, person=member.person).pk)


def _cast(vote: Vote, member: Membership, ranking: list[int]) -> str:
    tracker = cast_ballot(
        election=vote.election,
        choices={vote.seat.pk: ranking},
        acting_user=member.person.user,
        now=DURING,
    )
    vote.trackers[_holder(member)] = tracker
    vote.rankings[_holder(member)] = ranking
    return tracker


def _box(election: Election) -> bytes:
    return bytes(BallotBox.objects.get(election=election).sealed)


def _expected_result(vote: Vote) -> dict[str, Any]:
    labels = {c.pk: c.label for c in vote.candidates}
    ballots = [tuple(labels[pk] for pk in ranking) for ranking in vote.rankings.values()]
    filled = [ballot for ballot in ballots if ballot]
    return counting.count(
        filled,
        seats=vote.seat.seats,
        method="stv",
        candidates=sorted(labels.values()),
        blank=len(ballots) - len(filled),
    ).as_dict()


# --- both databases ----------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_box_is_sealed_padded_and_the_count_publishes_every_ballot(
    entity_be: Entity, board_be: Any, class_a: ShareClass
) -> None:
    vote = _election(
        entity_be, board_be, [make_member(entity_be) for _ in range(6)], class_a, stand=3
    )
    a, b, c = (candidate.pk for candidate in vote.candidates)
    sizes = [len(_box(vote.election))]
    for member, ranking in zip(
        vote.voters, [[a, b, c], [], [c], [b, a], [a], [c, a, b]], strict=True
    ):
        tracker = _cast(vote, member, ranking)
        sealed = _box(vote.election)
        sizes.append(len(sealed))
        # Nothing in clear: no tracker, no name, no ballot row before the count.
        assert tracker.encode() not in sealed
        assert not any(candidate.label.encode() in sealed for candidate in vote.candidates)
        assert not Ballot.objects.exists()
    # Every ballot takes the same room, whether blank or ranking everyone.
    growth = {after - before for before, after in itertools.pairwise(sizes[1:])}
    assert len(growth) == 1 and sizes[0] == 0
    # The audit events of the votes say who voted in which election, nothing else.
    events = AuditEvent.objects.filter(action="governance.cast_ballot")
    assert events.count() == 6
    logged = json.dumps(list(events.values("subject_type", "subject_id", "before", "after")))
    assert all(tracker not in logged for tracker in vote.trackers.values())
    assert set(events.values_list("subject_id", flat=True)) == {str(vote.election.pk)}
    assert set(events.values_list("after", flat=True)) == {None}

    count_election(election=vote.election, acting_user=board_be, now=AFTER)
    vote.seat.refresh_from_db()
    assert vote.seat.result == _expected_result(vote)
    assert _box(vote.election) == b"" and not SealedBatch.objects.exists()
    # Each voter finds their ballot by its tracker, as they cast it.
    labels = {candidate.pk: candidate.label for candidate in vote.candidates}
    for holder, tracker in vote.trackers.items():
        ballot = Ballot.objects.get(constituency=vote.seat, tracker=tracker)
        assert ballot.ranking == [labels[pk] for pk in vote.rankings[holder]]
        assert uuid.UUID(str(ballot.pk)).version == 4
    recount = counting.count_file(ballot_file(vote.seat), seats=2, method="stv").as_dict()
    assert recount == vote.seat.result


@pytest.mark.django_db
def test_a_large_election_spills_sealed_batches_and_loses_no_ballot(
    entity_be: Entity, board_be: Any, class_a: ShareClass, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(election_box, "BOX_CAPACITY", 4)
    vote = _election(
        entity_be, board_be, [make_member(entity_be) for _ in range(11)], class_a, stand=3
    )
    pks = [candidate.pk for candidate in vote.candidates]
    waiting = []
    for n, member in enumerate(vote.voters):
        _cast(vote, member, [pks[n % 3], pks[(n + 1) % 3]][: n % 3])
        waiting.append(len(election_box._open(vote.election, _box(vote.election), "box")))
    # The box never falls under half its capacity once full: each spill takes 2 of 4 at random.
    assert waiting == [1, 2, 3, 2, 3, 2, 3, 2, 3, 2, 3]
    batches = list(SealedBatch.objects.filter(election=vote.election))
    assert len(batches) == 4 and len({len(bytes(batch.sealed)) for batch in batches}) == 1
    assert not Ballot.objects.exists()
    count_election(election=vote.election, acting_user=board_be, now=AFTER)
    vote.seat.refresh_from_db()
    assert vote.seat.result == _expected_result(vote)
    assert Ballot.objects.filter(constituency=vote.seat).count() == 11
    assert set(Ballot.objects.values_list("tracker", flat=True)) == set(vote.trackers.values())
    assert not SealedBatch.objects.exists()


@pytest.mark.django_db
def test_a_rotated_secret_key_still_opens_the_box_while_the_old_one_is_kept(
    entity_be: Entity, board_be: Any, class_a: ShareClass, settings: Any
) -> None:
    vote = _election(
        entity_be, board_be, [make_member(entity_be) for _ in range(4)], class_a, stand=2
    )
    first, second = (candidate.pk for candidate in vote.candidates)
    settings.SECRET_KEY = "the key the vote started with"
    _cast(vote, vote.voters[0], [first])
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = (
        "a new key",
        ["the key the vote started with"],
    )
    _cast(vote, vote.voters[1], [second, first])
    settings.SECRET_KEY_FALLBACKS = []  # the box was sealed again with the new key
    _cast(vote, vote.voters[2], [second])

    settings.SECRET_KEY = "a key that never sealed anything"
    with pytest.raises(StateConflict, match="SECRET_KEY_FALLBACKS"):
        count_election(election=vote.election, acting_user=board_be, now=AFTER)
    assert not Ballot.objects.exists() and _box(vote.election)  # nothing lost, nothing counted
    settings.SECRET_KEY = "a new key"
    count_election(election=vote.election, acting_user=board_be, now=AFTER)
    assert Ballot.objects.count() == 3


@pytest.mark.django_db
def test_a_box_cannot_be_moved_to_another_election(
    entity_be: Entity, board_be: Any, class_a: ShareClass
) -> None:
    members = [make_member(entity_be) for _ in range(2)]
    vote = _election(entity_be, board_be, members, class_a, stand=1)
    _cast(vote, members[0], [vote.candidates[0].pk])
    other = create_election(
        entity=entity_be,
        title="Another",
        method="stv",
        candidacy_opens=dt.date(2026, 5, 1),
        candidacy_closes=dt.date(2026, 5, 15),
        voting_opens=OPENS,
        voting_closes=CLOSES,
        constituencies=[Seats("members", "Members", 1, "A")],
        acting_user=board_be,
    )
    BallotBox.objects.filter(election=other).update(sealed=_box(vote.election))
    with pytest.raises(StateConflict, match="cannot be opened"):
        count_election(election=other, acting_user=board_be, now=AFTER)


# --- PostgreSQL: the attacker holds the database, its logs and its write-ahead log --------------
@dataclass
class Evidence:
    """What the attacker reads, and what the test knows (who cast which tracker)."""

    vote: Vote
    voting_logs: list[str]
    count_logs: list[str]
    wal_voting: tuple[str, str]
    wal_count: tuple[str, str]


@contextmanager
def _captured(caplog: pytest.LogCaptureFixture, into: list[str]) -> Iterator[None]:
    """Every log line (SQL with its parameters included) written inside the block."""
    caplog.clear()
    connection.force_debug_cursor = True
    try:
        with (
            caplog.at_level(logging.DEBUG),
            caplog.at_level(logging.DEBUG, logger="django"),
            caplog.at_level(logging.DEBUG, logger="django.db.backends"),
        ):
            yield
    finally:
        connection.force_debug_cursor = False
        into.extend(record.getMessage() for record in caplog.records)


def _lsn() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_insert_lsn()::text")
        return str(cursor.fetchone()[0])


def _thirty_votes_from_the_portal(
    entity: Entity,
    board: Any,
    class_a: ShareClass,
    client_for: Callable[[Any], Client],
    caplog: pytest.LogCaptureFixture,
    clock: Any,
) -> Evidence:
    vote = _election(entity, board, [make_member(entity) for _ in range(30)], class_a, stand=5)
    pks = [candidate.pk for candidate in vote.candidates]
    every = [list(p) for n in (1, 2, 3) for p in itertools.permutations(pks, n)]
    rankings = random.Random(2026).sample(every, 30)  # 30 voters, 30 different ballots
    voting_logs: list[str] = []
    start = _lsn()
    with _captured(caplog, voting_logs):
        for member, ranking in zip(vote.voters, rankings, strict=True):
            clock.tick(dt.timedelta(minutes=7))
            browser = client_for(member.person.user)
            form = {f"rank-{vote.seat.pk}-{pk}": str(n) for n, pk in enumerate(ranking, 1)}
            page = browser.post(f"/governance/elections/{vote.election.pk}/vote/", form)
            shown = re.search(r'class="tracker"><strong><code>([0-9a-f]+)<', page.content.decode())
            assert shown is not None, (page.status_code, page.get("Location"))
            vote.trackers[_holder(member)] = shown.group(1)
            vote.rankings[_holder(member)] = ranking
    voted = _lsn()
    assert VoterRecord.objects.filter(election=vote.election).count() == 30
    assert not Ballot.objects.exists()
    count_logs: list[str] = []
    with _captured(caplog, count_logs):
        count_election(election=vote.election, acting_user=board, now=AFTER)
    counted = _lsn()
    return Evidence(vote, voting_logs, count_logs, (start, voted), (voted, counted))


@pytest.fixture
def evidence(
    transactional_db: Any,
    client_for: Callable[[Any], Client],
    caplog: pytest.LogCaptureFixture,
    clock: Any,
) -> Evidence:
    entity = books("BE", years=(2025, 2026))
    board = make_staff(entity, Role.BOARD)
    class_a = define_share_class(
        entity=entity, code="A", name="Members", nominal_value=Decimal("30.00"), acting_user=board
    )
    return _thirty_votes_from_the_portal(entity, board, class_a, client_for, caplog, clock)


def _rows(sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _right(voters: Sequence[int], trackers: Sequence[str], truth: dict[int, str]) -> int:
    """How many voters a method pairing the i-th voter with the i-th ballot gets right."""
    return sum(truth[holder] == tracker for holder, tracker in zip(voters, trackers, strict=True))


@postgres_only
@pytest.mark.postgres
def test_no_join_links_a_voter_to_a_ballot(evidence: Evidence) -> None:
    vote, truth = evidence.vote, evidence.vote.trackers
    election, seat = vote.election.pk, vote.seat.pk
    assert Ballot.objects.filter(constituency_id=seat).count() == 30

    # The ballot table has no time, no sequence, no voter: text, json, a random UUID and the
    # constituency; the box and its batches name the election only.
    columns = dict(
        _rows(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = 'governance_ballot'"
        )
    )
    assert columns == {
        "id": "uuid",
        "constituency_id": "bigint",
        "tracker": "character varying",
        "ranking": "jsonb",
    }
    for table in ("governance_ballot", "governance_ballotbox", "governance_sealedbatch"):
        targets = {
            str(target)
            for (target,) in _rows(
                "SELECT confrelid::regclass::text FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'f'",
                [table],
            )
        }
        assert targets <= {"governance_constituency", "governance_election"}, table

    # The voters, in every order the database keeps.
    voter_orders = {
        f"voter records by {key}": [
            holder
            for (holder,) in _rows(
                "SELECT holder_id FROM governance_voterrecord WHERE election_id = %s "
                f"ORDER BY {key}",
                [election],
            )
        ]
        for key in ("id", "xmin::text::bigint", "ctid", "voted_on, id")
    }
    actor_holder = {member.person.user.pk: _holder(member) for member in vote.voters}
    for key in ("id", "at", "xmin::text::bigint", "ctid"):
        voter_orders[f"audit events by {key}"] = [
            actor_holder[actor]
            for (actor,) in _rows(
                "SELECT actor_id FROM core_auditevent WHERE action = 'governance.cast_ballot' "
                f"AND subject_id = %s ORDER BY {key}",
                [str(election)],
            )
        ]
    # The order in which the voters appear in the log lines of the vote (their records' SQL).
    voter_orders["log lines of the votes"] = [
        int(match.group(1))
        for line in evidence.voting_logs
        if (match := re.search(r'INSERT INTO "governance_voterrecord".*args=\(\d+, (\d+),', line))
    ]
    assert all(sorted(order) == sorted(truth) for order in voter_orders.values())

    # The ballots, in every order the database keeps, and in the count's log lines.
    ballot_orders = {
        f"ballots by {key}": [
            tracker
            for (tracker,) in _rows(
                f"SELECT tracker FROM governance_ballot WHERE constituency_id = %s ORDER BY {key}",
                [seat],
            )
        ]
        for key in ("ctid", "xmin::text::bigint, ctid", "id", "id::text", "tracker")
    }
    in_count_logs = "\n".join(evidence.count_logs)
    assert all(tracker in in_count_logs for tracker in truth.values())
    ballot_orders["count's log lines"] = sorted(truth.values(), key=in_count_logs.find)
    for name, order in list(ballot_orders.items()):
        ballot_orders[f"{name}, reversed"] = order[::-1]

    results = {
        f"{voters} ↔ {ballots}": _right(voter_order, ballot_order, truth)
        for voters, voter_order in voter_orders.items()
        for ballots, ballot_order in ballot_orders.items()
    }
    assert max(results.values()) <= CHANCE_BOUND, results

    # Same transaction, nearest transaction: the ballots were all written by the count.
    ballot_xmins = {
        x
        for (x,) in _rows(
            "SELECT DISTINCT xmin::text FROM governance_ballot WHERE constituency_id = %s", [seat]
        )
    }
    assert len(ballot_xmins) == 1
    (same,) = _rows(
        "SELECT count(*) FROM governance_voterrecord v JOIN governance_ballot b "
        "ON v.xmin = b.xmin WHERE v.election_id = %s",
        [election],
    )
    (audited,) = _rows(
        "SELECT count(*) FROM core_auditevent a JOIN governance_ballot b ON a.xmin = b.xmin "
        "WHERE a.action = 'governance.cast_ballot'"
    )
    assert same == (0,) and audited == (0,)
    (count_event,) = _rows(
        "SELECT xmin::text FROM core_auditevent WHERE action = 'governance.count_election'"
    )
    assert ballot_xmins == {count_event[0]}

    # Nothing in the audit log of the votes carries a ballot.
    events = json.dumps(
        list(
            AuditEvent.objects.filter(action="governance.cast_ballot").values(
                "subject_type", "subject_id", "before", "after", "actor_label"
            )
        )
    )
    ballot_ids = [str(pk) for pk in Ballot.objects.values_list("pk", flat=True)]
    assert not any(secret in events for secret in [*truth.values(), *ballot_ids])


@postgres_only
@pytest.mark.postgres
def test_nothing_written_while_the_vote_was_open_holds_a_ballot(evidence: Evidence) -> None:
    trackers = [tracker.encode() for tracker in evidence.vote.trackers.values()]
    labels = [candidate.label for candidate in evidence.vote.candidates]

    # The log lines of the votes: no tracker, no ranking. The count's: every tracker.
    voting = "\n".join(evidence.voting_logs)
    assert "governance_voterrecord" in voting  # the SQL was captured
    assert not any(tracker.decode() in voting for tracker in trackers)
    assert not any(f'"{label}"' in voting for label in labels)
    assert all(tracker.decode() in "\n".join(evidence.count_logs) for tracker in trackers)

    # Every page of every table, index and TOAST table of the database, dead rows included
    # (the box's old versions): the trackers are only in the ballot table and its indexes.
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
    relations = _rows(
        "SELECT c.oid::regclass::text, "
        "pg_relation_size(c.oid) / current_setting('block_size')::int, "
        "c.oid IN (SELECT oid FROM pg_class WHERE relname = 'governance_ballot' "
        "  UNION SELECT indexrelid FROM pg_index "
        "    WHERE indrelid = 'governance_ballot'::regclass) "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i', 'm') "
        "UNION ALL "
        "SELECT t.oid::regclass::text, "
        "pg_relation_size(t.oid) / current_setting('block_size')::int, "
        "c.relname = 'governance_ballot' "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "JOIN pg_class t ON t.oid IN (c.reltoastrelid, "
        "  (SELECT indexrelid FROM pg_index WHERE indrelid = c.reltoastrelid LIMIT 1)) "
        "WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.reltoastrelid <> 0"
    )
    ballot_pages, other_pages = b"", {}
    for name, blocks, is_ballot in relations:
        pages = b"".join(
            bytes(page)
            for (page,) in _rows(
                "SELECT get_raw_page(%s, 'main', b::int) FROM generate_series(0, %s - 1) b",
                [name, blocks],
            )
        )
        if is_ballot:
            ballot_pages += pages
        else:
            other_pages[name] = pages
    assert all(tracker in ballot_pages for tracker in trackers)  # the scan does find them
    holding = {name for name, pages in other_pages.items() if any(t in pages for t in trackers)}
    assert holding == set()
    assert "governance_ballotbox" in other_pages

    # The write-ahead log (what a replica or a point-in-time backup keeps): nothing of the
    # ballots while the vote was open; every tracker once the count wrote them.
    during, count = _wal(*evidence.wal_voting), _wal(*evidence.wal_count)
    if during is None or count is None:
        pytest.skip("the server recycled the WAL segments before the test read them")
    assert all(tracker in count for tracker in trackers)  # the scan does find them
    assert not any(tracker in during for tracker in trackers)


def _wal(start: str, end: str) -> bytes | None:
    """The bytes of the write-ahead log between two positions, or None if already recycled."""
    (segment_size,) = _rows(
        "SELECT setting::bigint FROM pg_settings WHERE name = 'wal_segment_size'"
    )[0]
    timeline = _rows("SELECT pg_walfile_name(%s::pg_lsn)", [start])[0][0][:8]

    def position(lsn: str) -> int:
        high, low = lsn.split("/")
        return (int(high, 16) << 32) | int(low, 16)

    first, last = position(start), position(end)
    per_log = 0x100000000 // segment_size
    out = b""
    for segment in range(first // segment_size, last // segment_size + 1):
        name = f"{timeline}{segment // per_log:08X}{segment % per_log:08X}"
        offset = first - segment * segment_size if segment == first // segment_size else 0
        stop = last - segment * segment_size if segment == last // segment_size else segment_size
        (data,) = _rows(
            "SELECT pg_read_binary_file(%s, %s, %s, true)",
            [f"pg_wal/{name}", offset, stop - offset],
        )[0]
        if data is None:
            return None
        out += bytes(data)
    return out


@postgres_only
@pytest.mark.postgres
def test_votes_sent_at_once_all_reach_the_box(transactional_db: Any) -> None:
    """The box is rewritten by every vote: its row lock makes them wait their turn, none is
    lost (a lost update would drop a ballot whose voter is recorded as having voted)."""
    from tests.ledger.test_concurrent_posting import WORKERS, run_in_threads

    entity = books("BE", years=(2025, 2026))
    board = make_staff(entity, Role.BOARD)
    class_a = define_share_class(
        entity=entity, code="A", name="Members", nominal_value=Decimal("30.00"), acting_user=board
    )
    vote = _election(entity, board, [make_member(entity) for _ in range(WORKERS)], class_a, 2)
    first, second = (candidate.pk for candidate in vote.candidates)

    def work(n: int) -> None:
        _cast(vote, vote.voters[n], [first, second] if n % 2 else [second])

    assert run_in_threads(work) == []
    assert VoterRecord.objects.filter(election=vote.election).count() == WORKERS
    count_election(election=vote.election, acting_user=board, now=AFTER)
    vote.seat.refresh_from_db()
    assert vote.seat.result == _expected_result(vote)
    assert set(Ballot.objects.values_list("tracker", flat=True)) == set(vote.trackers.values())


@pytest.mark.django_db
def test_the_upgrade_boxes_every_election_and_rewrites_earlier_ballots(
    entity_be: Entity, board_be: Any, class_a: ShareClass
) -> None:
    """Migration 0007: ballots cast before the box (one row per vote, in the order of the votes)
    are rewritten together with new random ids; their trackers and rankings stay."""
    import importlib

    from django.apps import apps

    upgrade = importlib.import_module("mutua.governance.migrations.0007_ballot_box")
    vote = _election(entity_be, board_be, [make_member(entity_be)], class_a, stand=1)
    BallotBox.objects.all().delete()  # as before the upgrade
    before = [
        Ballot.objects.create(constituency=vote.seat, tracker=f"{n:016x}", ranking=[f"C{n}"])
        for n in range(12)
    ]
    upgrade.boxes_and_reshuffled_ballots(apps, None)
    assert _box(vote.election) == b""
    after = list(Ballot.objects.values_list("pk", "tracker", "ranking"))
    assert sorted((t, r) for _, t, r in after) == sorted((b.tracker, b.ranking) for b in before)
    assert not {pk for pk, _, _ in after} & {b.pk for b in before}
