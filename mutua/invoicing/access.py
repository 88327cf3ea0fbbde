"""Who may see and act on invoices."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from mutua.activities.models import Activity, ActivityParticipant
from mutua.core.errors import NotFound
from mutua.core.permissions import Role
from mutua.invoicing.models import Invoice
from mutua.members.queries import staff_entities

INVOICING_STAFF = (Role.ADVISER, Role.ACCOUNTANT, Role.ADMINISTRATOR)
MANAGING_ROLES = ("holder", "co_manager")


def may_invoice_for(user: Any, activity: Activity) -> bool:
    """Holders and co-managers of the activity, and the entity's invoicing staff."""
    if not getattr(user, "is_authenticated", False):
        return False
    if ActivityParticipant.objects.filter(
        activity=activity, person__user=user, role__in=MANAGING_ROLES
    ).exists():
        return True
    return staff_entities(user, INVOICING_STAFF).filter(pk=activity.entity_id).exists()


def visible_invoices(user: Any) -> QuerySet[Invoice]:
    if not getattr(user, "is_authenticated", False):
        return Invoice.objects.none()
    return Invoice.objects.filter(
        Q(activity__participants__person__user=user)
        | Q(entity__in=staff_entities(user, INVOICING_STAFF))
    ).distinct()


def access_invoice(user: Any, invoice_id: int) -> Invoice:
    invoice = (
        visible_invoices(user)
        .select_related("entity", "activity", "client")
        .filter(pk=invoice_id)
        .first()
    )
    if invoice is None:
        raise NotFound("no such invoice")
    return invoice
