"""General assemblies: convocation, roll and weights, proxies, votes, results, minutes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from mutua.core.errors import AccessDenied, RuleViolation, StateConflict
from mutua.entities.models import Entity
from mutua.governance.assembly_actions import (
    add_agenda_item,
    cast_vote,
    check_in,
    close_assembly,
    close_item,
    convene_assembly,
    convene_second,
    create_assembly,
    give_proxy,
    open_assembly,
    open_item,
    sign_minutes,
)
from mutua.governance.assembly_queries import item_count
from mutua.governance.models import (
    AgendaItem,
    Assembly,
    GovernanceRules,
    Participant,
    ShareClass,
    Vote,
)
from mutua.members.models import Membership
from tests.conftest import make_member
from tests.governance.conftest import assembly_with, shareholder

pytestmark = pytest.mark.django_db


def roll(assembly: Assembly, member: Membership) -> Participant:
    return Participant.objects.get(assembly=assembly, person=member.person)


def first_item(assembly: Assembly) -> AgendaItem:
    return assembly.items.get(position=1)


def in_session(assembly: Assembly, board: Any) -> AgendaItem:
    open_assembly(assembly=assembly, acting_user=board, stream_url="https://stream.example/ag")
    return open_item(item=first_item(assembly), acting_user=board)


def test_the_convocation_respects_the_delay_and_freezes_the_agenda(
    entity_be: Entity, alice: Membership, class_a: ShareClass, board_be: Any
) -> None:
    shareholder(alice, class_a, 1, board_be)
    soon = create_assembly(
        entity=entity_be,
        kind="ordinary",
        title="AG",
        acting_user=board_be,
        starts_at=timezone.now() + dt.timedelta(days=10),
    )
    add_agenda_item(assembly=soon, title="Accounts", acting_user=board_be)
    with pytest.raises(RuleViolation, match="at least 15 days"):
        convene_assembly(assembly=soon, acting_user=board_be)

    GovernanceRules.objects.create(entity=entity_be, convocation_days=8)
    later = create_assembly(
        entity=entity_be,
        kind="ordinary",
        title="AG",
        acting_user=board_be,
        starts_at=timezone.now() + dt.timedelta(days=10),
    )
    add_agenda_item(assembly=later, title="Accounts", acting_user=board_be)
    with django_capture_on_commit():
        convene_assembly(assembly=later, acting_user=board_be)
    with pytest.raises(StateConflict, match="frozen"):
        add_agenda_item(assembly=later, title="Late item", acting_user=board_be)
    sent = roll(later, alice)
    assert sent.convocation_channel == "email" and len(sent.convocation_proof) == 64
    assert alice.person.user is not None
    assert mail.outbox and mail.outbox[-1].to == [alice.person.user.email]


def django_capture_on_commit() -> Any:
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


def test_one_member_one_vote_by_default(
    entity_be: Entity, alice: Membership, bob: Membership, class_a: ShareClass, board_be: Any
) -> None:
    assembly = assembly_with(entity_be, board_be, [(alice, 2), (bob, 30)], class_a)
    item = in_session(assembly, board_be)
    cast_vote(
        item=item, participant=roll(assembly, alice), choice="for", acting_user=alice.person.user
    )
    cast_vote(
        item=item, participant=roll(assembly, bob), choice="against", acting_user=bob.person.user
    )
    count = item_count(item)
    assert (count.for_, count.against, count.present, count.eligible) == (1, 1, 2, 2)
    closed = close_item(item=item, acting_user=board_be)
    assert closed.adopted is False  # a tie is no majority


def test_one_share_one_vote_is_capped_at_a_tenth_of_the_votes_present(
    entity_be: Entity, alice: Membership, bob: Membership, class_a: ShareClass, board_be: Any
) -> None:
    GovernanceRules.objects.create(entity=entity_be, vote_weight="share")
    others = [(make_member(entity_be), 10) for _ in range(8)]
    assembly = assembly_with(entity_be, board_be, [(alice, 10), (bob, 120), *others], class_a)
    item = in_session(assembly, board_be)
    for member, _ in [(alice, 10), (bob, 120), *others]:
        cast_vote(
            item=item,
            participant=roll(assembly, member),
            choice="against" if member == bob else "for",
            acting_user=member.person.user,
        )
    count = item_count(item)
    # Present: 10 + 120 + 80 = 210 shares; nobody votes for more than 21.
    assert count.against == Decimal(21)
    assert count.for_ == Decimal(90)
    assert count.present == Decimal(111)  # 10 + 21 + 80, each capped at 21
    assert close_item(item=item, acting_user=board_be).adopted


def test_a_member_votes_once_and_only_for_themselves(
    entity_be: Entity, alice: Membership, bob: Membership, class_a: ShareClass, board_be: Any
) -> None:
    assembly = assembly_with(entity_be, board_be, [(alice, 1), (bob, 1)], class_a)
    item = in_session(assembly, board_be)
    mine = roll(assembly, alice)
    with pytest.raises(AccessDenied):
        cast_vote(item=item, participant=mine, choice="against", acting_user=bob.person.user)
    cast_vote(item=item, participant=mine, choice="for", acting_user=alice.person.user)
    with pytest.raises(StateConflict, match="already"):
        cast_vote(item=item, participant=mine, choice="against", acting_user=alice.person.user)
    assert list(Vote.objects.filter(item=item).values_list("choice", flat=True)) == ["for"]
    assert roll(assembly, alice).attendance == "online"


def test_a_proxy_holder_votes_for_the_principal_within_the_cap(
    entity_be: Entity, alice: Membership, bob: Membership, class_a: ShareClass, board_be: Any
) -> None:
    carol = make_member(entity_be)
    GovernanceRules.objects.create(entity=entity_be, proxies_per_holder=1)
    assembly = assembly_with(entity_be, board_be, [(alice, 1), (bob, 1), (carol, 1)], class_a)
    with pytest.raises(AccessDenied):
        give_proxy(
            participant=roll(assembly, alice), holder=bob.person, acting_user=bob.person.user
        )
    given = give_proxy(
        participant=roll(assembly, alice), holder=bob.person, acting_user=alice.person.user
    )
    assert given.attendance == "proxy"
    with pytest.raises(RuleViolation, match="at most 1 prox"):
        give_proxy(
            participant=roll(assembly, carol), holder=bob.person, acting_user=carol.person.user
        )
    item = in_session(assembly, board_be)
    with pytest.raises(AccessDenied):  # her vote is now the holder's to cast
        cast_vote(item=item, participant=given, choice="for", acting_user=alice.person.user)
    cast_vote(item=item, participant=given, choice="for", acting_user=bob.person.user)
    assert Vote.objects.get(participant=given).cast_by == bob.person


def test_the_statutes_may_require_the_proxy_holder_to_be_a_shareholder(
    entity_be: Entity, alice: Membership, bob: Membership, class_a: ShareClass, board_be: Any
) -> None:
    GovernanceRules.objects.create(entity=entity_be, proxy_holder_must_be_shareholder=True)
    assembly = assembly_with(entity_be, board_be, [(alice, 1)], class_a)
    with pytest.raises(RuleViolation, match="shareholder"):
        give_proxy(
            participant=roll(assembly, alice), holder=bob.person, acting_user=alice.person.user
        )


def test_without_quorum_an_item_fails_and_a_second_convocation_deliberates(
    entity_be: Entity, alice: Membership, bob: Membership, class_a: ShareClass, board_be: Any
) -> None:
    assembly = assembly_with(
        entity_be,
        board_be,
        [(alice, 1), (bob, 3)],
        class_a,
        majority="three_quarters",
        quorum_kind="shares",
        quorum=Decimal("0.5"),
    )
    item = in_session(assembly, board_be)
    cast_vote(
        item=item, participant=roll(assembly, alice), choice="for", acting_user=alice.person.user
    )
    closed = close_item(item=item, acting_user=board_be)
    assert (closed.quorum_met, closed.adopted) == (False, False)  # 1 share of 4 present
    close_assembly(assembly=assembly, acting_user=board_be)

    second = convene_second(
        assembly=assembly,
        starts_at=timezone.now() + dt.timedelta(days=16),
        acting_user=board_be,
    )
    convene_assembly(assembly=second, acting_user=board_be)
    again = in_session(second, board_be)
    cast_vote(
        item=again, participant=roll(second, alice), choice="for", acting_user=alice.person.user
    )
    result = close_item(item=again, acting_user=board_be)
    assert (result.quorum_met, result.adopted) == (True, True)


def test_items_open_one_at_a_time_and_only_for_the_chair(
    entity_be: Entity, alice: Membership, class_a: ShareClass, board_be: Any
) -> None:
    assembly = assembly_with(entity_be, board_be, [(alice, 1)], class_a)
    second_item = AgendaItem.objects.create(assembly=assembly, position=2, title="Other")
    with pytest.raises(AccessDenied):
        open_assembly(assembly=assembly, acting_user=alice.person.user)
    in_session(assembly, board_be)
    with pytest.raises(StateConflict, match="close the open item"):
        open_item(item=second_item, acting_user=board_be)


def test_an_advance_vote_counts_the_member_present(
    entity_be: Entity, alice: Membership, class_a: ShareClass, board_be: Any
) -> None:
    assembly = assembly_with(entity_be, board_be, [(alice, 1)], class_a)
    cast_vote(
        item=first_item(assembly),
        participant=roll(assembly, alice),
        choice="for",
        acting_user=alice.person.user,
    )
    assert roll(assembly, alice).attendance == "advance"
    with pytest.raises(AccessDenied):  # only the chair records who is in the room
        check_in(participant=roll(assembly, alice), mode="onsite", acting_user=alice.person.user)
    checked = check_in(participant=roll(assembly, alice), mode="onsite", acting_user=board_be)
    assert checked.attendance == "onsite"


def test_minutes_are_generated_from_the_records_and_sealed(
    entity_be: Entity, alice: Membership, class_a: ShareClass, board_be: Any
) -> None:
    assembly = assembly_with(entity_be, board_be, [(alice, 1)], class_a)
    item = in_session(assembly, board_be)
    cast_vote(
        item=item, participant=roll(assembly, alice), choice="for", acting_user=alice.person.user
    )
    close_item(item=item, acting_user=board_be)
    close_assembly(assembly=assembly, acting_user=board_be)
    signed = sign_minutes(assembly=assembly, acting_user=board_be)
    assert signed.minutes_pdf is not None
    assert bytes(signed.minutes_pdf).startswith(b"%PDF") and len(signed.minutes_digest) == 64
    with pytest.raises(StateConflict, match="signed"):
        sign_minutes(assembly=assembly, acting_user=board_be)


def test_colleges_weigh_their_share_whatever_their_size(
    entity_be: Entity, alice: Membership, bob: Membership, class_a: ShareClass, board_be: Any
) -> None:
    """A (members, 50 %): Alice for. B (staff, 30 %): Bob and Dan against. C (partners, 20 %):
    Carol for. For = 50 % + 20 % = 70 % of the weighted votes cast: adopted at two thirds,
    although two of the four voters are against."""
    from mutua.governance.assembly_actions import define_colleges
    from mutua.governance.share_actions import define_share_class

    b = define_share_class(
        entity=entity_be, code="B", name="Staff", nominal_value=Decimal(30), acting_user=board_be
    )
    c = define_share_class(
        entity=entity_be, code="C", name="Partners", nominal_value=Decimal(30), acting_user=board_be
    )
    with pytest.raises(RuleViolation, match="between"):
        define_colleges(
            entity=entity_be,
            acting_user=board_be,
            colleges={
                "A": ("Members", Decimal("0.6")),
                "B": ("Staff", Decimal("0.3")),
                "C": ("Partners", Decimal("0.1")),
            },
        )
    define_colleges(
        entity=entity_be,
        acting_user=board_be,
        colleges={
            "A": ("Members", Decimal("0.5")),
            "B": ("Staff", Decimal("0.3")),
            "C": ("Partners", Decimal("0.2")),
        },
    )
    GovernanceRules.objects.create(entity=entity_be, vote_weight="college")
    carol, dan = make_member(entity_be), make_member(entity_be)
    shareholder(bob, b, 1, board_be)
    shareholder(dan, b, 1, board_be)
    shareholder(carol, c, 1, board_be)
    assembly = assembly_with(entity_be, board_be, [(alice, 1)], class_a, majority="two_thirds")
    assert roll(assembly, bob).college == "B"
    item = in_session(assembly, board_be)
    for member, choice in ((alice, "for"), (bob, "against"), (dan, "against"), (carol, "for")):
        cast_vote(
            item=item,
            participant=roll(assembly, member),
            choice=choice,
            acting_user=member.person.user,
        )
    closed = close_item(item=item, acting_user=board_be)
    assert (closed.votes_for, closed.votes_against) == (Decimal("0.7"), Decimal("0.3"))
    assert closed.adopted


def test_a_legal_person_is_convened_by_recorded_mail_with_its_proof(
    entity_be: Entity, alice: Membership, class_a: ShareClass, board_be: Any
) -> None:
    from mutua.governance.assembly_actions import record_mail_proof
    from mutua.governance.share_actions import (
        confirm_share_payment,
        register_shareholder,
        request_subscription,
    )
    from tests.conftest import make_entity

    sister = register_shareholder(
        entity=entity_be,
        on=dt.date(2026, 3, 1),
        acting_user=board_be,
        sister_entity=make_entity("FR", country="FR"),
    )
    subscription = request_subscription(
        entity=entity_be,
        share_class=class_a,
        quantity=10,
        method="transfer",
        on=dt.date(2026, 3, 1),
        acting_user=board_be,
        holder=sister,
    )
    confirm_share_payment(
        subscription=subscription, paid_on=dt.date(2026, 3, 2), acting_user=board_be
    )
    assembly = assembly_with(entity_be, board_be, [(alice, 1)], class_a)
    line = Participant.objects.get(assembly=assembly, holder=sister)
    assert (line.convocation_channel, line.convocation_proof) == ("post", "")
    with pytest.raises(AccessDenied):
        record_mail_proof(
            participant=line,
            proof="RR123",
            sent_on=dt.date(2026, 3, 3),
            acting_user=alice.person.user,
        )
    record_mail_proof(
        participant=line, proof="RR 1234 5678 BE", sent_on=dt.date(2026, 3, 3), acting_user=board_be
    )
    line.refresh_from_db()
    assert line.convocation_proof == "RR 1234 5678 BE" and line.convocation_sent_at


@pytest.mark.parametrize(("binding", "allowed"), [(True, False), (False, True)])
def test_a_proxy_holder_follows_the_instructions_when_they_bind(
    entity_be: Entity,
    alice: Membership,
    bob: Membership,
    class_a: ShareClass,
    board_be: Any,
    binding: bool,
    allowed: bool,
) -> None:
    from mutua.core.errors import InvalidInput

    GovernanceRules.objects.create(entity=entity_be, proxy_instructions_bind=binding)
    assembly = assembly_with(entity_be, board_be, [(alice, 1), (bob, 1)], class_a)
    item = first_item(assembly)
    with pytest.raises(InvalidInput, match="instructions"):
        give_proxy(
            participant=roll(assembly, alice),
            holder=bob.person,
            acting_user=alice.person.user,
            instructions={item.pk + 99: "for"},
        )
    given = give_proxy(
        participant=roll(assembly, alice),
        holder=bob.person,
        acting_user=alice.person.user,
        instructions={item.pk: "for"},
    )
    in_session(assembly, board_be)
    if allowed:
        cast_vote(item=item, participant=given, choice="against", acting_user=bob.person.user)
    else:
        with pytest.raises(RuleViolation, match="instruction on this item is: for"):
            cast_vote(item=item, participant=given, choice="against", acting_user=bob.person.user)
        cast_vote(item=item, participant=given, choice="for", acting_user=bob.person.user)
    assert Vote.objects.filter(participant=given).count() == 1
