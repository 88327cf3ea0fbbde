from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F

from mutua.core.errors import NotFound
from mutua.entities.models import Entity, FeeRate, NumberSequence


def entity_by_code(code: str) -> Entity:
    try:
        return Entity.objects.get(code=code.upper())
    except Entity.DoesNotExist as exc:
        raise NotFound(f"no entity with code {code!r}", field="entity") from exc


def fee_rate_on(
    entity: Entity, on: dt.date, activity_type: str = "", activity_id: int | None = None
) -> FeeRate:
    """The fee rate in force on a date, the most specific first: the activity's own, then its
    type's, then the entity's."""
    rates = FeeRate.objects.filter(entity=entity, valid_from__lte=on).order_by("-valid_from")
    own = rates.filter(activity_id=activity_id).first() if activity_id else None
    general = rates.filter(activity__isnull=True)
    typed = general.filter(activity_type=activity_type).first() if activity_type else None
    rate = own or typed or general.filter(activity_type="").first()
    if rate is None:
        raise NotFound(f"entity {entity.code} has no fee rate in force on {on}")
    return rate


def take_number(entity: Entity, key: str, year: int = 0) -> int:
    """Take the next gapless number; must run inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("take_number must run inside a transaction")
    sequence = _locked_sequence(entity, key, year)
    NumberSequence.objects.filter(pk=sequence.pk).update(last=F("last") + 1)
    return sequence.last + 1


def _locked_sequence(entity: Entity, key: str, year: int) -> NumberSequence:
    lookup = {"entity": entity, "key": key, "year": year}
    sequence = NumberSequence.objects.select_for_update().filter(**lookup).first()
    if sequence is not None:
        return sequence
    try:
        with transaction.atomic():
            NumberSequence.objects.create(**lookup)
    except IntegrityError:
        pass  # a concurrent transaction created it first; lock theirs below
    return NumberSequence.objects.select_for_update().get(**lookup)
