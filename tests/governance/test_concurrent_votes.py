"""Two votes by the same member on the same item sent at once: one counts (PostgreSQL only:
SQLite lets one writer in at a time)."""

from __future__ import annotations

import contextlib
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from mutua.core.errors import StateConflict
from mutua.governance.assembly_actions import cast_vote, open_assembly, open_item
from mutua.governance.models import Participant, Vote
from mutua.governance.share_actions import define_share_class
from tests.conftest import make_entity, make_member, make_staff
from tests.governance.conftest import assembly_with
from tests.ledger.test_concurrent_posting import run_in_threads

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)"
)


def test_four_votes_sent_at_once_count_once(transactional_db: Any) -> None:
    from mutua.ledger.actions import set_up_ledger

    entity = make_entity("BE")
    set_up_ledger(entity=entity, years=[2025, 2026])
    board = make_staff(entity, "board")
    alice = make_member(entity)
    class_a = define_share_class(
        entity=entity, code="A", name="Members", nominal_value=Decimal("30.00"), acting_user=board
    )
    assembly = assembly_with(entity, board, [(alice, 1)], class_a)
    open_assembly(assembly=assembly, acting_user=board)
    item = open_item(item=assembly.items.get(), acting_user=board)
    participant = Participant.objects.get(assembly=assembly, person=alice.person)

    def work(n: int) -> None:
        choice = "for" if n % 2 else "against"
        with contextlib.suppress(StateConflict):  # the losers are told they already voted
            cast_vote(
                item=item, participant=participant, choice=choice, acting_user=alice.person.user
            )

    assert run_in_threads(work) == []
    assert Vote.objects.filter(item=item).count() == 1


def test_votes_racing_the_chairs_close_are_either_counted_or_refused(
    transactional_db: Any,
) -> None:
    from mutua.governance.assembly_actions import close_item
    from mutua.ledger.actions import set_up_ledger

    entity = make_entity("BE")
    set_up_ledger(entity=entity, years=[2025, 2026])
    board = make_staff(entity, "board")
    members = [make_member(entity) for _ in range(3)]
    class_a = define_share_class(
        entity=entity, code="A", name="Members", nominal_value=Decimal("30.00"), acting_user=board
    )
    assembly = assembly_with(entity, board, [(m, 1) for m in members], class_a)
    open_assembly(assembly=assembly, acting_user=board)
    item = open_item(item=assembly.items.get(), acting_user=board)

    def work(n: int) -> None:
        if n == 0:
            close_item(item=item, acting_user=board)
            return
        member = members[n - 1]
        participant = Participant.objects.get(assembly=assembly, person=member.person)
        with contextlib.suppress(StateConflict):  # too late: refused, nothing stored
            cast_vote(
                item=item, participant=participant, choice="for", acting_user=member.person.user
            )

    assert run_in_threads(work) == []
    item.refresh_from_db()
    assert item.votes_for == Vote.objects.filter(item=item).count()
