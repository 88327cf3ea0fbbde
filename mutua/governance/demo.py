"""Demo governance for an entity with a board: share classes, members holding paid-up shares
(a few subscriptions still waiting for their transfer), a general assembly convened in three
weeks with its agenda, and a consultation open for proposals — all through the real actions."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from mutua.core import clock
from mutua.core.permissions import Role
from mutua.entities.models import Entity
from mutua.governance.assembly_actions import add_agenda_item, convene_assembly, create_assembly
from mutua.governance.consultation_actions import PhaseSpec, create_consultation, submit_proposal
from mutua.governance.models import Assembly, Majority, MajorityBase, QuorumKind, ShareClass
from mutua.governance.share_actions import (
    confirm_share_payment,
    define_share_class,
    request_subscription,
)
from mutua.members.models import Membership, StaffRole

AGENDA = (
    ("Approve the annual accounts", Majority.SIMPLE, MajorityBase.CAST, QuorumKind.NONE, 0),
    ("Discharge the directors", Majority.SIMPLE, MajorityBase.CAST, QuorumKind.NONE, 0),
    (
        "Amend the statutes: a second share class for partners",
        Majority.THREE_QUARTERS,
        MajorityBase.CAST,
        QuorumKind.SHARES,
        Decimal("0.5"),
    ),
)


def build_governance_demo(entity: Entity, rng: random.Random) -> dict[str, int]:
    board = StaffRole.objects.filter(entity=entity, role=Role.BOARD).select_related("user").first()
    if board is None or ShareClass.objects.filter(entity=entity).exists():
        return {}
    user = board.user
    today = clock.today()
    members = define_share_class(
        entity=entity,
        code="A",
        name="Members",
        nominal_value=Decimal("30.00"),
        acting_user=user,
        voting_rights="one vote per member",
    )
    define_share_class(
        entity=entity,
        code="B",
        name="Staff, partners and clients",
        nominal_value=Decimal("100.00"),
        acting_user=user,
        voting_rights="one vote per member",
    )
    holders = _shareholders(entity, members, user, rng, today)
    _assembly(entity, user, today)
    _consultation(entity, user, today)
    return {"shareholders": holders, "assemblies": 1, "consultations": 1}


def _shareholders(
    entity: Entity, share_class: Any, board: Any, rng: random.Random, today: dt.date
) -> int:
    active = Membership.objects.filter(entity=entity, status="active").select_related(
        "person__user"
    )
    issued = 0
    for n, membership in enumerate(active.order_by("number")):
        subscription = request_subscription(
            entity=entity,
            share_class=share_class,
            quantity=rng.randint(1, 4),
            method="transfer",
            on=today - dt.timedelta(days=60),
            acting_user=membership.person.user,
        )
        if n % 6 != 5:  # one in six still waits for the transfer
            confirm_share_payment(
                subscription=subscription,
                paid_on=today - dt.timedelta(days=50),
                acting_user=board,
            )
            issued += 1
    return issued


def _assembly(entity: Entity, board: Any, today: dt.date) -> Assembly:
    assembly = create_assembly(
        entity=entity,
        kind="ordinary",
        title=f"Ordinary general assembly {today.year}",
        acting_user=board,
        starts_at=clock.now() + dt.timedelta(days=21),
        place="Brussels, Maison des coopératives",
    )
    for title, majority, base, quorum_kind, quorum in AGENDA:
        add_agenda_item(
            assembly=assembly,
            title=title,
            acting_user=board,
            majority=majority,
            majority_base=base,
            quorum_kind=quorum_kind,
            quorum=Decimal(quorum),
        )
    return convene_assembly(assembly=assembly, acting_user=board)


def _consultation(entity: Entity, board: Any, today: dt.date) -> None:
    consultation = create_consultation(
        entity=entity,
        title="How should the guarantee fund grow?",
        description="Proposals on the share of fees that feeds the fund and its limits.",
        phases=[
            PhaseSpec(
                "Proposals",
                today - dt.timedelta(days=7),
                today + dt.timedelta(days=21),
                proposals=True,
                comments=True,
                supports=True,
            ),
            PhaseSpec("Answers", today + dt.timedelta(days=22), today + dt.timedelta(days=45)),
        ],
        acting_user=board,
    )
    author = (
        Membership.objects.filter(entity=entity, status="active")
        .select_related("person__user")
        .order_by("number")
        .first()
    )
    if author is not None:
        submit_proposal(
            consultation=consultation,
            title="Raise the fund's share of the fees to 35 %",
            body="Late payments grew this year; a larger fund keeps paying us on time.",
            acting_user=author.person.user,
        )
