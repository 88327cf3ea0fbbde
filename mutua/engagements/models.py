"""Order forms (engagements): the member describes a piece of work, the client confirms it by link.

State machine (every move is an action in `actions.py`; nothing else writes `status`):

    draft ──send──▶ sent ──client confirms──▶ confirmed ──adviser validates──▶ validated
      ▲              │ │                          │ (entity needs no validation)     │
      │              │ │                          ╰───────────────┬──────────────────╯
      │              │ │                                          ▼
      │              │ ╰──client refuses (with a reason)──▶ refused        invoiced
      │              ╰──client asks for changes──▶ changes_requested        (invoice issued,
      ╰────────────────── member edits and sends again ◀─╯                   contracts requested)

    cancelled: the member withdraws a form that is draft, sent or changes_requested.

`confirmed` waits for an adviser when the entity requires validation; otherwise the form is
invoiced in the same request. `validated` is a resting state only when invoicing failed (a closed
period, no fee rate in force...): `invoicing_error` then says why and staff retry from the queue.
refused, invoiced and cancelled are final.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mutua.activities.models import Activity
from mutua.clients.models import Client
from mutua.core.fields import money_field
from mutua.entities.models import Entity
from mutua.members.models import Person


class OrderFormStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent to the client")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    CONFIRMED = "confirmed", _("Confirmed by the client")
    REFUSED = "refused", _("Refused by the client")
    VALIDATED = "validated", _("Validated")
    INVOICED = "invoiced", _("Invoiced")
    CANCELLED = "cancelled", _("Cancelled")


EDITABLE = (OrderFormStatus.DRAFT, OrderFormStatus.CHANGES_REQUESTED)
CANCELLABLE = (OrderFormStatus.DRAFT, OrderFormStatus.SENT, OrderFormStatus.CHANGES_REQUESTED)


class OrderForm(models.Model):
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="order_forms")
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="order_forms")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="order_forms")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=OrderFormStatus.choices, default="draft"
    )
    description = models.TextField(_("description of the work"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    working_days = models.DecimalField(_("working days"), max_digits=6, decimal_places=2)
    amount_excl_vat = money_field(verbose_name=_("amount excl. VAT"))
    reinvoiced_expenses = money_field(verbose_name=_("expenses re-invoiced"))
    vat_rate_name = models.CharField(_("VAT rate"), max_length=20, default="standard")
    wanted_net = models.DecimalField(
        _("net pay wanted"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    # Bumped on every send: a link carries the version it was made for, so an older link dies.
    link_version = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    response_ip = models.GenericIPAddressField(null=True, blank=True)
    response_user_agent = models.CharField(max_length=300, blank=True)
    refusal_reason = models.TextField(blank=True)
    change_request = models.TextField(blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    validated_at = models.DateTimeField(null=True, blank=True)
    invoice = models.OneToOneField(
        "invoicing.Invoice",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="order_form",
    )
    invoicing_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("order form")
        verbose_name_plural = _("order forms")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(working_days__gt=0), name="order_form_working_days_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(amount_excl_vat__gt=0), name="order_form_amount_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(reinvoiced_expenses__gte=0),
                name="order_form_expenses_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="order_form_dates_in_order",
            ),
        ]
        indexes = [models.Index(fields=["entity", "status"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.client}"

    @property
    def reference(self) -> str:
        return f"OF-{self.pk or 0:06d}"

    @property
    def total_excl_vat(self) -> Decimal:
        return self.amount_excl_vat + self.reinvoiced_expenses

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def is_cancellable(self) -> bool:
        return self.status in CANCELLABLE


class ContractRequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DONE = "done", _("Contract made")
    CANCELLED = "cancelled", _("Cancelled")


class ContractRequest(models.Model):
    """What a confirmed order form asks of the contracts module: employ this member for these
    working days. The contracts app consumes the pending rows (see `handoff.py`)."""

    order_form = models.ForeignKey(
        OrderForm, on_delete=models.PROTECT, related_name="contract_requests"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="contract_requests")
    working_days = models.DecimalField(max_digits=6, decimal_places=2)
    start_date = models.DateField()
    end_date = models.DateField()
    status = models.CharField(
        max_length=12, choices=ContractRequestStatus.choices, default="pending"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["order_form", "person"], name="contract_request_once_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.order_form.reference} {self.person} {self.working_days} d"
