"""Invoices and credit notes the entity issues in its own name (DESIGN.md §3).

A draft can change; issuing freezes it: number, dates, totals and the snapshot of seller and buyer
are stored as they were, so a later change to the client never alters an issued document.
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


class InvoiceKind(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    CREDIT_NOTE = "credit_note", _("Credit note")


class InvoiceStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")
    SENT = "sent", _("Sent")
    PARTLY_PAID = "partly_paid", _("Partly paid")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled by credit note")


class Invoice(models.Model):
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="invoices")
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="invoices")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="invoices")
    kind = models.CharField(max_length=12, choices=InvoiceKind.choices, default="invoice")
    status = models.CharField(max_length=12, choices=InvoiceStatus.choices, default="draft")
    number = models.CharField(max_length=30, null=True, blank=True)
    fiscal_year = models.PositiveIntegerField(null=True, blank=True)
    issue_date = models.DateField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    currency = models.CharField(max_length=3)
    language = models.CharField(max_length=5, default="en")
    payment_reference = models.CharField(max_length=40, blank=True)
    total_net = money_field()
    total_vat = money_field()
    total_gross = money_field()
    fee_amount = money_field()
    credited_invoice = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="credit_notes"
    )
    seller_snapshot = models.JSONField(default=dict, blank=True)
    buyer_snapshot = models.JSONField(default=dict, blank=True)
    legal_mentions = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True)
    ledger_entry_id = models.BigIntegerField(null=True, blank=True)
    # Dunning: the last reminder stage reached; a dispute stops reminders until resolved.
    dunning_stage = models.PositiveSmallIntegerField(default=0)
    disputed_at = models.DateTimeField(null=True, blank=True)
    dispute_reason = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    issued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issue_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "fiscal_year", "number"], name="invoice_number_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(number__isnull=False),
                name="invoice_issued_has_number",
            ),
        ]
        indexes = [
            models.Index(fields=["entity", "status"]),
            # Reports count a year's invoices of an entity: one index range, kind read from it.
            models.Index(fields=["entity", "issue_date", "kind"], name="invoice_entity_issued"),
        ]

    def __str__(self) -> str:
        return self.number or f"draft #{self.pk}"

    @property
    def is_draft(self) -> bool:
        return self.status == InvoiceStatus.DRAFT


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    description = models.CharField(max_length=500)
    quantity = models.DecimalField(max_digits=12, decimal_places=3)
    unit_price = models.DecimalField(max_digits=18, decimal_places=2)
    vat_rate_name = models.CharField(max_length=20, default="standard")
    vat_category = models.CharField(max_length=2, blank=True)
    vat_percent = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("0"))
    net_amount = money_field()

    class Meta:
        ordering = ["invoice", "position"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "position"], name="invoice_line_position")
        ]

    def __str__(self) -> str:
        return f"{self.invoice} #{self.position}"


class DeliveryChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    PEPPOL = "peppol", _("Peppol")


class InvoiceDelivery(models.Model):
    """Every time a document leaves for a client, and how it went."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="deliveries")
    channel = models.CharField(max_length=10, choices=DeliveryChannel.choices)
    destination = models.CharField(max_length=200)
    status = models.CharField(max_length=10, default="queued")  # queued, sent, failed
    reference = models.CharField(max_length=200, blank=True)  # message id at the access point
    detail = models.CharField(max_length=500, blank=True)
    document_sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One delivery waiting to leave per invoice and channel: a repeated "send" (a double
            # click, parallel posts) answers the waiting one (mutua.invoicing.sending).
            models.UniqueConstraint(
                fields=["invoice", "channel"],
                condition=models.Q(status="queued"),
                name="delivery_queued_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.invoice} {self.channel} {self.status}"


class DunningReminder(models.Model):
    """One reminder stage sent for one invoice: the unique pair makes re-runs harmless."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="reminders")
    stage = models.PositiveSmallIntegerField()
    sent_on = models.DateField()
    language = models.CharField(max_length=5)
    email = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["invoice", "stage"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "stage"], name="dunning_stage_once")
        ]

    def __str__(self) -> str:
        return f"{self.invoice} reminder {self.stage}"


class InternalCharge(models.Model):
    """Work one activity bills to another of the same entity: no invoice document, no VAT and
    no fee (SMart's rule), only a transfer between the two budgets in the books."""

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    number = models.CharField(max_length=30)
    seller = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="charges_out")
    buyer = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="charges_in")
    description = models.CharField(max_length=500)
    amount = money_field()
    date = models.DateField()
    ledger_entry_id = models.BigIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["entity", "number"], name="internal_charge_number"),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="internal_charge_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.number
