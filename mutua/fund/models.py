"""The mutual guarantee fund (DESIGN.md §2-3): its dated policy per entity, the advances it makes
when pay is due before a client paid, the debts it absorbs, and what feeds it.

Balances are never stored here: the fund's balance and exposure are read from the ledger
(guarantee_fund, fund_exposure accounts). These rows say *which* invoice each movement was for,
and their unique keys make every posting job safe to run again.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mutua.activities.models import Activity
from mutua.clients.models import Client
from mutua.core.fields import money_field
from mutua.entities.models import Entity
from mutua.invoicing.models import Invoice

ZERO = Decimal("0")


class FundPolicy(models.Model):
    """The entity's guarantee rules from `valid_from` until the next policy starts."""

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="fund_policies")
    valid_from = models.DateField(_("valid from"))
    pay_within_working_days = models.PositiveSmallIntegerField(
        _("pay within (working days after the work)"), default=7
    )
    require_confirmed_order = models.BooleanField(
        _("the client must have confirmed the order form"), default=True
    )
    require_eu_client = models.BooleanField(
        _("the client must be established in the EU"), default=True
    )
    limit_per_client = models.DecimalField(
        _("limit per client"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    limit_per_activity = models.DecimalField(
        _("limit per activity"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    fee_share = models.DecimalField(
        _("share of the fees that feeds the fund"), max_digits=5, decimal_places=4, default=0
    )
    order_advance_share = models.DecimalField(
        _("share of a confirmed order form that may be advanced before the work ends"),
        max_digits=5,
        decimal_places=4,
        default=0,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["entity", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["entity", "valid_from"], name="fund_policy_dated"),
            models.CheckConstraint(
                condition=Q(fee_share__gte=0, fee_share__lte=1)
                & Q(order_advance_share__gte=0, order_advance_share__lte=1),
                name="fund_policy_shares",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entity_id} fund policy from {self.valid_from}"

    @property
    def fee_share_percent(self) -> Decimal:
        return (self.fee_share * 100).quantize(Decimal("0.01"))


class AdvanceKind(models.TextChoices):
    PAYROLL = "payroll", _("Pay before the client paid")
    ORDER_FORM = "order_form", _("Advance on a confirmed order form")


class FundAdvance(models.Model):
    """Money the fund put up for an activity against one unpaid invoice. What is still open is
    the fund's exposure: released as the client pays, absorbed when the debt is written off."""

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="fund_advances")
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="fund_advances")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=AdvanceKind.choices)
    key = models.CharField(max_length=80, help_text=_("idempotency key, also its entry's"))
    amount = money_field()
    released = money_field()
    written_off = money_field()
    granted_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["entity", "granted_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["key"], name="fund_advance_once"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="fund_advance_positive"),
            models.CheckConstraint(
                condition=Q(released__gte=0, written_off__gte=0)
                & Q(amount__gte=models.F("released") + models.F("written_off")),
                name="fund_advance_not_over_closed",
            ),
        ]
        indexes = [models.Index(fields=["invoice"]), models.Index(fields=["entity", "activity"])]

    def __str__(self) -> str:
        return f"{self.key} {self.amount}"

    @property
    def open_amount(self) -> Decimal:
        return self.amount - self.released - self.written_off


class WriteOff(models.Model):
    """A debt given up after dunning failed: once per invoice, ever."""

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    invoice = models.OneToOneField(Invoice, on_delete=models.PROTECT, related_name="write_off")
    amount = money_field(help_text=_("What the client still owed"))
    covered = money_field(help_text=_("Absorbed by the guarantee fund"))
    uncovered = money_field(help_text=_("Charged to the activity"))
    reason = models.CharField(max_length=300)
    written_on = models.DateField()
    entry_id = models.BigIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["entity", "-written_on", "-id"]

    def __str__(self) -> str:
        return f"write-off {self.invoice_id}: {self.amount}"


class FundFeed(models.Model):
    """The fund's share of one month's fees, booked once; a top-up if fees came in later."""

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    month = models.DateField()  # first day of the month
    sequence = models.PositiveSmallIntegerField(default=1)
    fees = money_field()
    amount = money_field()
    entry_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["entity", "month", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["entity", "month", "sequence"], name="fund_feed_once")
        ]

    def __str__(self) -> str:
        return f"{self.entity_id} {self.month:%Y-%m} #{self.sequence}"


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for staff")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class AdvanceRequest(models.Model):
    """A member asks for part of a confirmed order form's pay before the work ends."""

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    order_form = models.ForeignKey(
        "engagements.OrderForm", on_delete=models.PROTECT, related_name="advance_requests"
    )
    person = models.ForeignKey(
        "members.Person", on_delete=models.PROTECT, related_name="advance_requests"
    )
    amount = money_field()
    status = models.CharField(
        max_length=8, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.CharField(max_length=300, blank=True)
    # What later net pay has taken back (AdvanceRecovery): the advance is prepaid net pay.
    recovered = money_field()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["entity", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="advance_request_positive"),
            models.CheckConstraint(
                condition=Q(recovered__gte=0, recovered__lte=models.F("amount")),
                name="advance_request_recovered_within",
            ),
            # One request waiting per order form and member: a second one would double count.
            models.UniqueConstraint(
                fields=["order_form", "person"],
                condition=Q(status="pending"),
                name="advance_request_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"advance request {self.pk} {self.amount}"


class AdvanceRecovery(models.Model):
    """Part of an approved advance taken back from a payslip's net pay, once per payslip."""

    request = models.ForeignKey(AdvanceRequest, on_delete=models.PROTECT, related_name="+")
    payslip = models.ForeignKey("payroll.Payslip", on_delete=models.PROTECT, related_name="+")
    amount = money_field()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "payslip"], name="advance_recovered_once"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="advance_recovery_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} ← {self.payslip_id}: {self.amount}"
