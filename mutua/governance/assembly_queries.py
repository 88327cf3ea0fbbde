"""Reads of assemblies: who may see an assembly, its roll, and the set-based tally of an item.

A member sees the assemblies where they are on the roll or hold a proxy; the board and the chair
see those of their entity. The tally is a handful of aggregate queries whatever the roll's size."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count as Counted
from django.db.models import DecimalField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Least

from mutua.core.errors import NotFound
from mutua.governance import tally
from mutua.governance.models import (
    PRESENT,
    AgendaItem,
    Assembly,
    College,
    Participant,
    QuorumKind,
    Vote,
    VoteWeight,
)
from mutua.governance.queries import BOARD_ROLES
from mutua.members.queries import person_of, staff_entities

WEIGHT = DecimalField(max_digits=20, decimal_places=6)


def board_assemblies(user: Any) -> QuerySet[Assembly]:
    return Assembly.objects.filter(entity__in=staff_entities(user, BOARD_ROLES))


def visible_assemblies(user: Any) -> QuerySet[Assembly]:
    if not getattr(user, "is_authenticated", False):
        return Assembly.objects.none()
    person = person_of(user)
    mine = Q(participants__person=person) | Q(participants__proxy_holder=person)
    staff = Q(entity__in=staff_entities(user, BOARD_ROLES)) | Q(chair=user)
    return Assembly.objects.filter((mine if person else Q(pk__in=[])) | staff).distinct()


def access_assembly(user: Any, assembly_id: int) -> Assembly:
    found = visible_assemblies(user).select_related("entity").filter(pk=assembly_id).first()
    if found is None:
        raise NotFound("no such assembly")
    return found


def access_board_assembly(user: Any, assembly_id: int) -> Assembly:
    """The assembly, for its chair or the board of its entity."""
    found = (
        Assembly.objects.select_related("entity")
        .filter(pk=assembly_id)
        .filter(Q(entity__in=staff_entities(user, BOARD_ROLES)) | Q(chair=user))
        .first()
    )
    if found is None or not getattr(user, "is_authenticated", False):
        raise NotFound("no such assembly")
    return found


def access_item(user: Any, item_id: int) -> AgendaItem:
    item = AgendaItem.objects.select_related("assembly").filter(pk=item_id).first()
    if item is None:
        raise NotFound("no such agenda item")
    access_assembly(user, item.assembly_id)
    return item


def voting_for(user: Any, assembly: Assembly) -> list[Participant]:
    """The roll lines the user votes for: their own and those whose proxy they hold."""
    person = person_of(user)
    if person is None:
        return []
    return list(
        Participant.objects.filter(assembly=assembly)
        .filter(Q(person=person) | Q(proxy_holder=person))
        .select_related("holder")
        .order_by("id")
    )


def votes_of(participants: list[Participant], item: AgendaItem) -> dict[int, str]:
    rows = Vote.objects.filter(item=item, participant__in=participants)
    return dict(rows.values_list("participant_id", "choice"))


def college_weights(assembly: Assembly) -> dict[str, Decimal]:
    return dict(College.objects.filter(entity=assembly.entity).values_list("code", "weight"))


def attendance_summary(assembly: Assembly) -> dict[str, int]:
    rows = (
        Participant.objects.filter(assembly=assembly)
        .values("attendance")
        .annotate(n=Counted("id"))
        .order_by()
    )
    return {row["attendance"]: row["n"] for row in rows}


# --- tally -------------------------------------------------------------------------------------
def _weight_expression(assembly: Assembly, present: Decimal, prefix: str = "") -> Any:
    weight = F(f"{prefix}weight")
    if assembly.vote_weight != VoteWeight.SHARE:
        return weight
    cap = tally.share_cap(present, assembly.share_vote_cap)
    return Least(weight, Value(cap, output_field=WEIGHT), output_field=WEIGHT)


def present_weight(assembly: Assembly) -> Decimal:
    total = Participant.objects.filter(assembly=assembly, attendance__in=PRESENT).aggregate(
        w=Sum("weight")
    )["w"]
    return Decimal(total or 0)


def item_count(item: AgendaItem) -> tally.Count:
    """The weighted count of an item: votes per choice, weights present and eligible."""
    assembly = item.assembly
    if assembly.vote_weight == VoteWeight.COLLEGE:
        per_college = _counts_by(item, group="college")
        return tally.college_count(per_college, college_weights(assembly), item.majority_base)
    return _counts_by(item, group=None).get("", tally.Count())


def _counts_by(item: AgendaItem, group: str | None) -> dict[str, tally.Count]:
    assembly = item.assembly
    present = present_weight(assembly) if assembly.vote_weight == VoteWeight.SHARE else Decimal(0)
    weight = _weight_expression(assembly, present)
    roll = Participant.objects.filter(assembly=assembly)
    sums = {"eligible": Sum(weight), "present": Sum(weight, filter=Q(attendance__in=PRESENT))}
    # Without a group, one aggregate row (values() without fields would group by every column).
    rolls = (
        list(roll.values(group).annotate(**sums).order_by()) if group else [roll.aggregate(**sums)]
    )
    vote_weight = _weight_expression(assembly, present, prefix="participant__")
    vote_keys = [f"participant__{group}"] if group else []
    votes = (
        Vote.objects.filter(item=item)
        .values(*vote_keys, "choice")
        .annotate(w=Sum(vote_weight))
        .order_by()
    )
    choices: dict[str, dict[str, Decimal]] = {}
    for row in votes:
        key = row[f"participant__{group}"] if group else ""
        choices.setdefault(key, {})[row["choice"]] = Decimal(row["w"] or 0)
    counts: dict[str, tally.Count] = {}
    for row in rolls:
        key = row[group] if group else ""
        chosen = choices.get(key, {})
        counts[key] = tally.Count(
            for_=chosen.get("for", Decimal(0)),
            against=chosen.get("against", Decimal(0)),
            abstain=chosen.get("abstain", Decimal(0)),
            present=Decimal(row["present"] or 0),
            eligible=Decimal(row["eligible"] or 0),
        )
    return counts


def item_quorum_met(item: AgendaItem) -> bool:
    """Quorum per item; a second convocation deliberates whatever the attendance."""
    if item.quorum_kind == QuorumKind.NONE or item.assembly.is_second_convocation:
        return True
    field = "shares" if item.quorum_kind == QuorumKind.SHARES else None
    roll = Participant.objects.filter(assembly=item.assembly)
    if field:
        sums = roll.aggregate(
            eligible=Sum("shares"), present=Sum("shares", filter=Q(attendance__in=PRESENT))
        )
    else:
        sums = roll.aggregate(
            eligible=Counted("id"), present=Counted("id", filter=Q(attendance__in=PRESENT))
        )
    return tally.quorum_met(
        Decimal(sums["present"] or 0), Decimal(sums["eligible"] or 0), item.quorum
    )
