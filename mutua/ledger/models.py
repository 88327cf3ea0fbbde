"""Ledger tables: chart, journals, fiscal years and periods, posted entries and their lines,
and the balance aggregate that keeps reads fast without scanning history.

Only mutua.ledger.actions writes here. Entries and lines are append-only (also in the database:
see migration 0002); a correction is a reversal entry.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mutua.activities.models import Activity
from mutua.clients.models import Client
from mutua.core.models import AppendOnlyModel
from mutua.entities.models import Entity
from mutua.members.models import Person


class AccountKind(models.TextChoices):
    ASSET = "asset", _("Asset")
    LIABILITY = "liability", _("Liability")
    EQUITY = "equity", _("Equity")
    INCOME = "income", _("Income")
    EXPENSE = "expense", _("Expense")


class Account(models.Model):
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=AccountKind.choices)
    counts_in_budget = models.BooleanField(
        default=False, help_text=_("Movements on an activity's dimension count in its budget")
    )

    class Meta:
        ordering = ["entity", "code"]
        constraints = [
            models.UniqueConstraint(fields=["entity", "code"], name="ledger_account_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class JournalKind(models.TextChoices):
    SALES = "sales", _("Sales")
    PURCHASES = "purchases", _("Purchases")
    BANK = "bank", _("Bank")
    PAYROLL = "payroll", _("Payroll")
    EXPENSES = "expenses", _("Expenses")
    MISCELLANEOUS = "miscellaneous", _("Miscellaneous")
    OPENING = "opening", _("Opening")


class Journal(models.Model):
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=15, choices=JournalKind.choices)

    class Meta:
        ordering = ["entity", "code"]
        constraints = [
            models.UniqueConstraint(fields=["entity", "code"], name="ledger_journal_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class PostingRule(models.Model):
    """Which account an event of the money loop uses in this entity (from the country template)."""

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    event = models.CharField(max_length=40)
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["entity", "event"]
        constraints = [
            models.UniqueConstraint(fields=["entity", "event"], name="ledger_posting_rule_unique")
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.account_id}"


class FiscalYear(models.Model):
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField(_("year"))
    start = models.DateField()
    end = models.DateField()

    class Meta:
        ordering = ["entity", "year"]
        constraints = [
            models.UniqueConstraint(fields=["entity", "year"], name="ledger_fiscal_year_unique")
        ]

    def __str__(self) -> str:
        return str(self.year)


class Period(models.Model):
    """A month of a fiscal year; once closed it refuses postings (closing is final)."""

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="periods")
    start = models.DateField()
    end = models.DateField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["entity", "start"]
        constraints = [
            models.UniqueConstraint(fields=["entity", "start"], name="ledger_period_unique")
        ]

    def __str__(self) -> str:
        return f"{self.start:%Y-%m}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class Entry(AppendOnlyModel):
    # References from entries, lines and balances carry no database constraint: per-row
    # constraint triggers cost more than half of bulk posting time (docs/BENCHMARKS.md). The
    # posting path takes every id from rows it reads in the same transaction and checks the
    # dimensions set-based; entries and lines are append-only and the chart tables refuse
    # DELETE (migration 0005); `mutua ledger verify` reports any orphan.
    entity = models.ForeignKey(
        Entity, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    journal = models.ForeignKey(
        Journal, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    number = models.PositiveIntegerField(_("number"))
    date = models.DateField(_("date"))
    label = models.CharField(_("label"), max_length=200)
    piece_ref = models.CharField(_("document"), max_length=60, blank=True)
    piece_date = models.DateField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=120)
    fingerprint = models.CharField(max_length=64)
    reverses = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversals",
        db_index=False,
        db_constraint=False,
    )
    posted_at = models.DateTimeField()
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )

    class Meta:
        verbose_name_plural = _("entries")
        ordering = ["date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["journal", "fiscal_year", "number"], name="ledger_entry_number_unique"
            ),
            models.UniqueConstraint(
                fields=["entity", "idempotency_key"], name="ledger_entry_idempotency_unique"
            ),
            # An entry is reversed once at most; partial, so ordinary entries cost no index.
            models.UniqueConstraint(
                fields=["reverses"],
                condition=Q(reverses__isnull=False),
                name="ledger_entry_reversed_once",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"{self.journal.code}-{self.fiscal_year.year}-{self.number:06d}"


class Line(AppendOnlyModel):
    entry = models.ForeignKey(
        Entry, on_delete=models.PROTECT, related_name="lines", db_constraint=False
    )
    # Copied from the entry so reports filter lines without a join.
    entity = models.ForeignKey(
        Entity, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    date = models.DateField()
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    debit = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    credit = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    currency = models.CharField(max_length=3)
    activity = models.ForeignKey(
        Activity,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    member = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    client = models.ForeignKey(
        Client,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    label = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["entry_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(debit__gt=0) & Q(credit=0)) | (Q(credit__gt=0) & Q(debit=0)),
                name="ledger_line_one_side",
            )
        ]
        indexes = [
            models.Index(fields=["account", "date"], name="ledger_line_account_date"),
            models.Index(
                fields=["activity", "date"],
                name="ledger_line_activity_date",
                condition=Q(activity__isnull=False),
            ),
            models.Index(
                fields=["client", "date"],
                name="ledger_line_client_date",
                condition=Q(client__isnull=False),
            ),
            models.Index(
                fields=["member", "date"],
                name="ledger_line_member_date",
                condition=Q(member__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} D{self.debit} C{self.credit}"


class Balance(models.Model):
    """Sum of posted lines per account and day (dimension '') and per account, dimension
    (activity, client, member) and month (`day` is then the first of the month).

    Kept in the same transaction as the entries by one set-based upsert (storage.py); `mutua
    ledger verify` recomputes it from the lines. A balance at a date sums the rows before it
    and, for a dimension, the lines of that date's month up to it.
    """

    entity = models.ForeignKey(
        Entity, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    dimension = models.CharField(max_length=8)
    dimension_id = models.BigIntegerField(default=0)
    currency = models.CharField(max_length=3)
    day = models.DateField()
    debit = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    credit = models.DecimalField(max_digits=18, decimal_places=2, default=0)

    class Meta:
        constraints = [
            # Leads with the dimension so one activity's or client's balance is one index range.
            models.UniqueConstraint(
                fields=["dimension", "dimension_id", "account", "currency", "day"],
                name="ledger_balance_key",
            )
        ]
        indexes = [
            # The trial balance reads only account totals: a small partial index.
            models.Index(
                fields=["entity", "day"],
                name="ledger_balance_totals",
                condition=Q(dimension=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.dimension}:{self.dimension_id} {self.day}"
