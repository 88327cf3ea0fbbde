"""Paying on provisional values, and regularising once the official ones are loaded.

Past the last published values the product computes with the last ones, flagged (DESIGN.md,
"rules are dated data"). A month is paid on them only after a payroll officer or administrator
agreed to it for the entity; once the official set is approved, `regularise_payroll` stores
what each provisional payslip still owes or is owed, settled on the member's next payslip.
It works member by member in batches, each in its own transaction: a crash costs at most the
batch in progress, and running it again adds nothing for the members already done.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from mutua.core import audit, clock
from mutua.core.audit import action, person_acting
from mutua.core.errors import RuleViolation
from mutua.entities.models import Entity
from mutua.payroll import regularisation
from mutua.payroll.actions import _check_officer
from mutua.payroll.models import Payslip, ProvisionalApproval, Regularisation

BATCH = 500


@action("payroll.approve_provisional_month")
def approve_provisional_month(
    *, entity: Entity, period: dt.date, acting_user: Any
) -> ProvisionalApproval:
    """Agree to pay the entity's month on provisional values (once per month)."""
    _check_officer(acting_user, entity)
    period = period.replace(day=1)
    notes = regularisation.provisional_notes(entity, period)
    if not notes:
        raise RuleViolation(f"{period:%Y-%m} is paid on official values", field="period")
    approval, created = ProvisionalApproval.objects.get_or_create(
        entity=entity,
        period=period,
        defaults={
            "approved_by": person_acting(acting_user),
            "approved_at": clock.now(),
            "notes": "; ".join(notes)[:500],
        },
    )
    audit.record(
        actor=acting_user,
        action="payroll.approve_provisional_month",
        subject=approval,
        entity_id=entity.pk,
        after={"period": f"{period:%Y-%m}", "notes": approval.notes, "new": created},
    )
    return approval


@dataclass(frozen=True)
class RegularisationReport:
    entity: Entity
    first_month: dt.date
    payslips: int
    totals: dict[str, Decimal]
    stored: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "entity": self.entity.code,
            "from": f"{self.first_month:%Y-%m}",
            "payslips": self.payslips,
            "stored": self.stored,
            "currency": self.entity.currency,
            "totals": {name: f"{amount:.2f}" for name, amount in self.totals.items()},
        }


def preview_regularisation(*, entity: Entity, first_month: dt.date) -> RegularisationReport:
    """What regularising would store, with its totals; stores nothing."""
    planned = regularisation.plan(entity, first_month)
    return RegularisationReport(
        entity, first_month, len(planned), regularisation.totals(planned), False
    )


def regularise_payroll(
    *, entity: Entity, first_month: dt.date, acting_user: Any = None, batch: int = BATCH
) -> RegularisationReport:
    """Store the regularisations of every member, batch by batch (safe to run again)."""
    _check_officer(acting_user, entity)
    first_month = first_month.replace(day=1)
    people = sorted(
        set(
            Payslip.objects.filter(
                entity=entity, period__gte=first_month, provisional=True
            ).values_list("person_id", flat=True)
        )
    )
    stored: list[regularisation.Planned] = []
    for start in range(0, len(people), batch):
        stored += regularise_members(
            entity=entity,
            first_month=first_month,
            person_ids=people[start : start + batch],
            acting_user=acting_user,
        )
    return RegularisationReport(
        entity, first_month, len(stored), regularisation.totals(stored), True
    )


@action("payroll.regularise_members")
def regularise_members(
    *, entity: Entity, first_month: dt.date, person_ids: list[int], acting_user: Any = None
) -> list[regularisation.Planned]:
    """One batch: lock the members' payslips, recompute, store what is left to regularise."""
    list(
        Payslip.objects.select_for_update()
        .filter(entity=entity, person_id__in=person_ids, period__gte=first_month)
        .values_list("pk", flat=True)
    )
    planned = regularisation.plan(entity, first_month, person_ids)
    user = person_acting(acting_user)
    Regularisation.objects.bulk_create(
        Regularisation(
            entity=entity,
            person_id=item.payslip.person_id,
            payslip=item.payslip,
            differences={name: str(amount) for name, amount in item.differences.items()},
            note=item.note,
            created_by=user,
        )
        for item in planned
    )
    audit.record(
        actor=acting_user,
        action="payroll.regularise_members",
        entity_id=entity.pk,
        after={
            "from": f"{first_month:%Y-%m}",
            "members": len(person_ids),
            "regularisations": len(planned),
            "totals": {k: str(v) for k, v in regularisation.totals(planned).items()},
        },
    )
    return planned
