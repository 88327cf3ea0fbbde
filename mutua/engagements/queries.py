"""Reads and the access function for order forms.

Members see the order forms of the activities they take part in; advisers, accountants and
administrators those of their entities. Anything else is NotFound, so a guessed id reveals nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from mutua.core.errors import NotFound
from mutua.core.permissions import Role
from mutua.engagements.models import OrderForm, OrderFormStatus
from mutua.members.queries import staff_entities

ORDER_FORM_STAFF = (Role.ADVISER, Role.ACCOUNTANT, Role.ADMINISTRATOR)


def visible_order_forms(user: Any) -> QuerySet[OrderForm]:
    if not getattr(user, "is_authenticated", False):
        return OrderForm.objects.none()
    return (
        OrderForm.objects.filter(
            Q(activity__participants__person__user=user)
            | Q(entity__in=staff_entities(user, ORDER_FORM_STAFF))
        )
        .select_related("entity", "activity", "client", "invoice")
        .distinct()
    )


def member_order_forms(user: Any) -> QuerySet[OrderForm]:
    """The member's own list: forms of the activities they take part in (not the staff view)."""
    if not getattr(user, "is_authenticated", False):
        return OrderForm.objects.none()
    return (
        OrderForm.objects.filter(activity__participants__person__user=user)
        .select_related("entity", "activity", "client", "invoice")
        .distinct()
    )


def access_order_form(user: Any, order_form_id: int) -> OrderForm:
    order_form = visible_order_forms(user).filter(pk=order_form_id).first()
    if order_form is None:
        raise NotFound("no such order form")
    return order_form


def waiting_for_validation(user: Any) -> QuerySet[OrderForm]:
    """The adviser's queue, oldest answer first: confirmed forms of entities that require
    validation, and confirmed or validated forms whose invoicing failed (to retry)."""
    waiting = Q(status=OrderFormStatus.CONFIRMED, entity__order_forms_need_validation=True)
    stuck = Q(
        status__in=[OrderFormStatus.CONFIRMED, OrderFormStatus.VALIDATED],
        invoice__isnull=True,
    ) & ~Q(invoicing_error="")
    return (
        OrderForm.objects.filter(entity__in=staff_entities(user, [Role.ADVISER]))
        .filter(waiting | stuck)
        .select_related("entity", "activity", "client", "created_by")
        .order_by("responded_at", "id")
    )
