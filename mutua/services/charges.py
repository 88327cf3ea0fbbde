"""What a service costs an activity, posted to the ledger.

A charge is Dr services_charge on the activity's dimension / Cr services_income (the
cooperative's own income), refused when it is more than the activity's available budget. The
activity row is locked first so two charges at once cannot both spend the same money.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from mutua.activities.models import Activity
from mutua.core.errors import RuleViolation
from mutua.ledger.actions import post_entry, reverse_entry
from mutua.ledger.drafts import EntryDraft, LineDraft
from mutua.ledger.models import Entry, JournalKind
from mutua.ledger.queries import activity_balance, journal_for, posting_account


def lock_budget(activity: Activity, amount: Decimal, *, field: str = "activity") -> Activity:
    """The activity, locked for this transaction, if its budget covers `amount`."""
    locked = Activity.objects.select_for_update().select_related("entity").get(pk=activity.pk)
    available = activity_balance(locked)
    if available < amount:
        raise RuleViolation(
            _(
                "The budget of activity %(number)s (%(available)s %(currency)s available) is "
                "too small for %(amount)s %(currency)s."
            )
            % {
                "number": locked.number,
                "available": available,
                "amount": amount,
                "currency": locked.entity.currency,
            },
            field=field,
        )
    return locked


def charge_activity(
    *, actor: Any, activity: Activity, amount: Decimal, label: str, key: str, on: dt.date
) -> int | None:
    """Post the charge; returns the entry id (None for a free service). `key` makes it once."""
    if amount == 0:
        return None
    locked = lock_budget(activity, amount)
    entity = locked.entity
    draft = EntryDraft(
        entity_id=entity.pk,
        journal=journal_for(entity, JournalKind.MISCELLANEOUS).code,
        date=on,
        label=label[:200],
        lines=(
            LineDraft(
                posting_account(entity, "services_charge").code,
                debit=amount,
                activity_id=locked.pk,
            ),
            LineDraft(posting_account(entity, "services_income").code, credit=amount),
        ),
    )
    return post_entry(draft, acting_user=actor, idempotency_key=key).pk


def refund_charge(*, actor: Any, entry_id: int | None, on: dt.date, label: str) -> int | None:
    """Reverse a charge (dated `on`: the charge's period may be closed by now)."""
    if entry_id is None:
        return None
    entry = Entry.objects.get(pk=entry_id)
    return reverse_entry(entry, acting_user=actor, on=on, label=label[:200]).pk
