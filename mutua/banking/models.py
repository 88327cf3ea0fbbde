"""Bank accounts, imported statements and their lines, and what each line paid.

Only mutua.banking.actions writes here. A statement line is known by a natural key (its dates,
amount, counterparty and communication) plus an occurrence counter for identical lines on the
same day, unique per account: importing the same file, or a statement that overlaps an earlier
one, never stores a movement twice, whatever ids the bank gives.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mutua.clients.models import Client
from mutua.core.fields import money_field
from mutua.entities.models import Entity
from mutua.invoicing.models import Invoice
from mutua.ledger.models import Account, Journal


class BankAccount(models.Model):
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="bank_accounts")
    iban = models.CharField(_("IBAN"), max_length=34, unique=True)
    currency = models.CharField(_("currency"), max_length=3)
    name = models.CharField(_("name"), max_length=100, blank=True)
    ledger_account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    journal = models.ForeignKey(Journal, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["entity", "iban"]

    def __str__(self) -> str:
        return self.iban


class StatementFormat(models.TextChoices):
    CODA = "coda", "CODA"
    CAMT053 = "camt053", "camt.053"


class Statement(models.Model):
    account = models.ForeignKey(BankAccount, on_delete=models.PROTECT, related_name="statements")
    number = models.CharField(_("number"), max_length=35)
    opening_date = models.DateField()
    closing_date = models.DateField()
    opening_balance = money_field()
    closing_balance = money_field()
    file_format = models.CharField(max_length=10, choices=StatementFormat.choices)
    file_name = models.CharField(max_length=200, blank=True)
    file_digest = models.CharField(max_length=64, help_text=_("SHA-256 of the imported file"))
    line_count = models.PositiveIntegerField(default=0)
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["account", "-closing_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "number", "closing_date"], name="bank_statement_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.account} n° {self.number} ({self.closing_date})"


class LineStatus(models.TextChoices):
    MATCHED = "matched", _("Matched")
    OVERPAID = "overpaid", _("Matched, surplus on the client's account")
    UNMATCHED = "unmatched", _("To match")
    AMBIGUOUS = "ambiguous", _("Several invoices could match")


QUEUE_STATUSES = (LineStatus.UNMATCHED, LineStatus.AMBIGUOUS)


class StatementLine(models.Model):
    account = models.ForeignKey(BankAccount, on_delete=models.PROTECT, related_name="lines")
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="lines")
    position = models.PositiveIntegerField()
    booking_date = models.DateField()
    value_date = models.DateField()
    amount = money_field(help_text=_("Positive: money in; negative: money out"))
    currency = models.CharField(max_length=3)
    counterparty_name = models.CharField(max_length=200, blank=True)
    counterparty_iban = models.CharField(max_length=34, blank=True)
    structured_reference = models.CharField(max_length=40, blank=True)
    free_text = models.CharField(max_length=500, blank=True)
    bank_reference = models.CharField(max_length=100, blank=True)
    natural_key = models.CharField(max_length=64)
    occurrence = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=10, choices=LineStatus.choices)
    note = models.CharField(max_length=300, blank=True, help_text=_("Why it waits in the queue"))
    client = models.ForeignKey(
        Client, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    client_credit = money_field(
        help_text=_("Paid beyond the invoices: left on the client's account")
    )
    entry_id = models.BigIntegerField(null=True, blank=True, help_text=_("The bank entry"))
    matched_entry_id = models.BigIntegerField(
        null=True, blank=True, help_text=_("The entry that moved it out of suspense")
    )
    matched_at = models.DateTimeField(null=True, blank=True)
    matched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["account", "booking_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "natural_key", "occurrence"], name="bank_line_once"
            ),
            models.CheckConstraint(condition=~Q(amount=0), name="bank_line_not_zero"),
        ]
        indexes = [
            models.Index(fields=["account", "status"]),
            models.Index(fields=["account", "booking_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.booking_date} {self.amount} {self.counterparty_name}"


class MatchMethod(models.TextChoices):
    REFERENCE = "reference", _("Structured reference")
    INVOICE_NUMBER = "invoice_number", _("Invoice number in the communication")
    AMOUNT_AND_IBAN = "amount_iban", _("Amount and payer's account")
    MANUAL = "manual", _("Matched by staff")


class Allocation(models.Model):
    """The part of a statement line that paid one invoice."""

    line = models.ForeignKey(StatementLine, on_delete=models.PROTECT, related_name="allocations")
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="allocations")
    amount = money_field()
    method = models.CharField(max_length=15, choices=MatchMethod.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["line", "id"]
        constraints = [
            models.UniqueConstraint(fields=["line", "invoice"], name="bank_allocation_once"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="bank_allocation_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.line_id} → {self.invoice_id}: {self.amount}"


# --- payouts ------------------------------------------------------------------------------------
class PayoutSource(models.TextChoices):
    """What a payout pays, each with its own key `<source>:<id>`. The app that owes the money
    registers a collector for its source (mutua.banking.payouts.register_collector)."""

    PAYSLIP = "payslip", _("Net pay of a payslip")
    EXPENSE = "expense", _("Refund of an expense claim")
    COPYRIGHT = "copyright", _("Copyright fees")
    SUPPLIER = "supplier", _("Payment to a supplier")
    SHARES = "shares", _("Repayment of shares")
    ADVANCE = "advance", _("Advance on a confirmed order form")


class BatchStatus(models.TextChoices):
    EXPORTED = "exported", _("Sent to the bank")
    PAID = "paid", _("Debited on the statement")


class PayoutBatch(models.Model):
    """One pain.001 credit transfer: exported once, confirmed by its debit on a statement."""

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="payout_batches")
    message_id = models.CharField(_("message id"), max_length=35, unique=True)
    debtor_iban = models.CharField(max_length=34)
    debtor_bic = models.CharField(max_length=11, blank=True)
    currency = models.CharField(max_length=3)
    total = money_field()
    item_count = models.PositiveIntegerField(default=0)
    execution_date = models.DateField()
    status = models.CharField(
        max_length=8, choices=BatchStatus.choices, default=BatchStatus.EXPORTED
    )
    document = models.TextField(blank=True, help_text=_("The pain.001 XML as exported"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    statement_line = models.OneToOneField(
        StatementLine,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payout_batch",
        help_text=_("The debit that confirmed it"),
    )
    paid_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["entity", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="exported", statement_line__isnull=True)
                | Q(status="paid", statement_line__isnull=False),
                name="payout_batch_paid_by_a_line",
            )
        ]

    def __str__(self) -> str:
        return self.message_id


class Payout(models.Model):
    """Money the entity owes someone, to pay by credit transfer: once, in one batch ever."""

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="payouts")
    key = models.CharField(_("key"), max_length=35, help_text=_("<source>:<id>, the end-to-end id"))
    source = models.CharField(max_length=10, choices=PayoutSource.choices)
    source_id = models.BigIntegerField()
    person = models.ForeignKey(
        "members.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="payouts"
    )
    amount = money_field()
    currency = models.CharField(max_length=3)
    remittance = models.CharField(max_length=140)
    due_date = models.DateField()
    batch = models.ForeignKey(
        PayoutBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="items"
    )
    # Who was paid, as written in the batch (the member may change their IBAN later).
    creditor_name = models.CharField(max_length=70, blank=True)
    creditor_iban = models.CharField(max_length=34, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["entity", "due_date", "key"]
        constraints = [
            models.UniqueConstraint(fields=["key"], name="payout_once_per_source"),
            models.UniqueConstraint(fields=["source", "source_id"], name="payout_source_once"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payout_positive"),
        ]
        indexes = [models.Index(fields=["entity", "batch"])]

    def __str__(self) -> str:
        return f"{self.key} {self.amount} {self.currency}"
