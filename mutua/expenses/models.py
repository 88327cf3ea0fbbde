"""Expense claims: a member's claim for an activity, its lines, its receipts, and the entity's
dated rules. Only mutua.expenses.actions writes here.

A receipt file lives under settings.MEDIA_ROOT (outside the web root) and is served only by a
view that checks who may see it; its SHA-256 is unique per entity among live receipts, so the
same file cannot be claimed twice.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mutua.activities.models import Activity
from mutua.core.fields import money_field
from mutua.core.permissions import Role
from mutua.entities.models import Entity
from mutua.members.models import Person


class ExpenseRules(models.Model):
    """An entity's expense rules from a date on (they override the country's defaults)."""

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="expense_rules")
    valid_from = models.DateField(_("valid from"))
    mileage_rate = models.DecimalField(_("mileage rate per km"), max_digits=8, decimal_places=4)
    per_diem_full = money_field(verbose_name=_("daily allowance, full day"))
    per_diem_travel = money_field(verbose_name=_("daily allowance, travel day"))
    accommodation_ceiling = models.DecimalField(
        _("accommodation ceiling per night"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Empty: no ceiling"),
    )
    deadline_month = models.PositiveSmallIntegerField(_("claims of last year due by: month"))
    deadline_day = models.PositiveSmallIntegerField(_("claims of last year due by: day"))
    refund_only_collected = models.BooleanField(
        _("refund only from money clients have paid"), default=False
    )
    self_approval_allowed = models.BooleanField(
        _("members may approve small claims"), default=False
    )
    self_approval_threshold = money_field(verbose_name=_("self-approval below"))
    retention_years = models.PositiveSmallIntegerField(_("receipts kept (years)"))
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["entity", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["entity", "valid_from"], name="expense_rules_once"),
            models.CheckConstraint(
                condition=Q(mileage_rate__gte=0, per_diem_full__gte=0, per_diem_travel__gte=0),
                name="expense_rules_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entity.code} expense rules from {self.valid_from}"


class ApprovalLimit(models.Model):
    """The largest claim a staff role may approve in an entity from a date on (empty: no limit)."""

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="approval_limits")
    role = models.CharField(max_length=20, choices=Role.choices)
    limit = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    valid_from = models.DateField()

    class Meta:
        ordering = ["entity", "role", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "role", "valid_from"], name="approval_limit_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.entity.code} {self.role} {self.limit or '∞'} from {self.valid_from}"


class ClaimStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class RefundMode(models.TextChoices):
    PAYOUT = "payout", _("By bank transfer")
    WITH_PAY = "with_pay", _("With the next pay")


class Claim(models.Model):
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="expense_claims")
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="expense_claims")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="expense_claims")
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(max_length=10, choices=ClaimStatus.choices, default="draft")
    refund_mode = models.CharField(
        _("refund"), max_length=10, choices=RefundMode.choices, default=RefundMode.PAYOUT
    )
    currency = models.CharField(max_length=3)
    total = money_field(help_text=_("What the member paid, VAT included: the refund"))
    vat_recoverable = money_field()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rejection_reason = models.CharField(_("reason"), max_length=500, blank=True)
    entry_id = models.BigIntegerField(null=True, blank=True, help_text=_("The approval entry"))

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="expense_claim_rejected_with_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(entry_id__isnull=False),
                name="expense_claim_approved_is_posted",
            ),
        ]
        indexes = [
            models.Index(fields=["entity", "status"]),
            models.Index(fields=["person", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        return f"EXP-{self.pk or 0:06d}"

    @property
    def is_draft(self) -> bool:
        return self.status == ClaimStatus.DRAFT

    @property
    def charged(self) -> Decimal:
        """What the activity bears: the refund less the VAT the cooperative gets back."""
        return self.total - self.vat_recoverable


class ClaimLine(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="lines")
    date = models.DateField(_("date"))
    category = models.CharField(_("category"), max_length=30)
    description = models.CharField(_("description"), max_length=200)
    supplier = models.CharField(_("supplier"), max_length=200, blank=True)
    quantity = models.DecimalField(
        _("km, days or nights"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    rate = models.DecimalField(max_digits=10, decimal_places=4, null=True, blank=True)
    amount = money_field(verbose_name=_("amount incl. VAT"))
    vat_rate = models.DecimalField(_("VAT rate (%)"), max_digits=5, decimal_places=2, default=0)
    vat_recoverable = money_field(verbose_name=_("recoverable VAT"))

    class Meta:
        ordering = ["claim", "date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="expense_line_positive"),
            models.CheckConstraint(
                condition=Q(vat_recoverable__gte=0, vat_recoverable__lte=models.F("amount")),
                name="expense_line_vat_within_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.category} {self.amount}"


class Receipt(models.Model):
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="receipts")
    file_name = models.CharField(max_length=200, help_text=_("The name it was uploaded with"))
    content_type = models.CharField(max_length=40, help_text=_("Found from the content"))
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    path = models.CharField(max_length=300, help_text=_("Relative to MEDIA_ROOT"))
    # Live receipts are unique per entity; a rejected claim's receipts may be claimed again.
    live = models.BooleanField(default=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["claim", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "sha256"], condition=Q(live=True), name="receipt_once"
            )
        ]

    def __str__(self) -> str:
        return self.file_name
