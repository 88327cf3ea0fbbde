"""Payroll runs and payslips (DESIGN.md §3, §4 idempotency).

A run pays one entity's month. It plans its members in chunks; each chunk is computed, stored
and posted in one transaction that also sets the chunk's `done_at`, so a crash loses at most
the chunk in progress and a resumed run skips the chunks done. `(run, person)` is unique, and
`PaidPeriod(contract, period)` is unique, so no contract is ever paid twice, even across runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mutua.contracts.models import Contract
from mutua.core.fields import money_field
from mutua.entities.models import Entity
from mutua.members.models import Person


class RunStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class PayrollRun(models.Model):
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="payroll_runs")
    period = models.DateField(_("month"))  # the first day of the month paid
    sequence = models.PositiveSmallIntegerField(default=1)  # supplementary runs of a month
    status = models.CharField(max_length=8, choices=RunStatus.choices, default="open")
    members_total = models.PositiveIntegerField(default=0)
    members_done = models.PositiveIntegerField(default=0)
    members_refused = models.PositiveIntegerField(default=0)
    chunk_size = models.PositiveIntegerField(default=2000)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-period", "-sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "period", "sequence"], name="payroll_run_unique"
            ),
            # At most one open run per entity and month: a second launch resumes it.
            models.UniqueConstraint(
                fields=["entity", "period"],
                condition=models.Q(status="open"),
                name="payroll_run_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entity.code} {self.period:%Y-%m} #{self.sequence}"

    @property
    def label(self) -> str:
        return f"{self.period:%Y-%m}" + (f" #{self.sequence}" if self.sequence > 1 else "")

    @property
    def progress(self) -> int:
        """Percentage of the planned members handled (paid or refused)."""
        if not self.members_total:
            return 100
        return (self.members_done + self.members_refused) * 100 // self.members_total


class RunChunk(models.Model):
    run = models.ForeignKey(PayrollRun, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    person_ids = models.JSONField(default=list)
    refused = models.JSONField(default=list)  # [[person id, reason], ...]
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "index"]
        constraints = [models.UniqueConstraint(fields=["run", "index"], name="run_chunk_unique")]

    def __str__(self) -> str:
        return f"{self.run} chunk {self.index}"


class Payslip(models.Model):
    run = models.ForeignKey(PayrollRun, on_delete=models.PROTECT, related_name="payslips")
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="payslips")
    period = models.DateField()
    currency = models.CharField(max_length=3)
    language = models.CharField(max_length=5, default="en")
    worker = models.CharField(max_length=14, default="employee")
    days = models.DecimalField(max_digits=6, decimal_places=2, default=0)
    work_budget = money_field()
    gross = money_field()
    employee_contributions = money_field()
    work_bonus = money_field()
    taxable = money_field()
    withholding_tax = money_field()
    special_contribution = money_field()
    net = money_field()
    employer_contributions = money_field()
    cooperative = money_field()  # employer charges + margin + rounding
    # Every line of the breakdown, in order: [code, label, base, rate, amount, side] with the
    # amounts as decimal strings. One row per payslip (not one per line) keeps a 20,000-member
    # run within its time budget; what reports add up is in the columns above.
    lines = models.JSONField(default=list)
    # Computed on values that are not all the official ones yet (not published, or a provisional
    # set): regularised on a later payslip once the official ones are loaded.
    provisional = models.BooleanField(default=False)
    parameters_note = models.CharField(max_length=300, blank=True)
    # The member's situation the pay was computed with, so a regularisation recomputes the
    # same payslip even after the member's household changed.
    situation = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period", "person_id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "person"], name="payslip_once_per_run")
        ]
        indexes = [
            # Reports sum a year of an entity's payslips: an index-only range on PostgreSQL.
            models.Index(
                fields=["entity", "period"],
                include=["days", "gross", "net", "employer_contributions"],
                name="payslip_entity_period",
            ),
            models.Index(fields=["person", "period"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.person}"

    @property
    def reference(self) -> str:
        return f"PS-{self.period:%Y%m}-{self.pk or 0:07d}"

    @property
    def breakdown(self) -> list[PayslipLine]:
        return [PayslipLine.from_row(row) for row in self.lines]

    @property
    def ledger_key(self) -> str:
        """The idempotency key of its ledger entry: one entry per payslip, ever."""
        return payslip_key(self.run_id, self.person_id)


def payslip_key(run_id: int, person_id: int) -> str:
    return f"payslip:{run_id}:{person_id}"


@dataclass(frozen=True)
class PayslipLine:
    """One stored line of a payslip (code, label, base, rate, amount, side)."""

    code: str
    label: str
    base: Decimal | None
    rate: Decimal | None
    amount: Decimal
    side: str

    @classmethod
    def from_row(cls, row: list[Any]) -> PayslipLine:
        code, label, base, rate, amount, side = row
        return cls(
            code,
            label,
            None if base is None else Decimal(base),
            None if rate is None else Decimal(rate),
            Decimal(amount),
            side,
        )

    @staticmethod
    def row(line: Any) -> list[Any]:
        """A calc.PayLine as stored: decimals as strings, so JSON keeps them exact."""
        return [
            line.code,
            line.label,
            None if line.base is None else str(line.base),
            None if line.rate is None else str(line.rate.quantize(RATE)),
            str(line.amount),
            line.side,
        ]


RATE = Decimal("1E-8")


class PaidPeriod(models.Model):
    """A contract paid for a month, on a payslip: never twice."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="paid_periods")
    period = models.DateField()
    payslip = models.ForeignKey(Payslip, on_delete=models.PROTECT, related_name="paid_periods")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contract", "period"], name="contract_paid_once")
        ]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.period:%Y-%m}"


class ProvisionalApproval(models.Model):
    """Staff agreed to pay an entity's month on provisional values (DESIGN.md: rules are dated
    data; past the published ones the product computes with the last values, flagged)."""

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    period = models.DateField()  # the first day of the month
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField()
    notes = models.CharField(max_length=500)  # what was provisional when approved

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entity", "period"], name="provisional_month_once")
        ]

    def __str__(self) -> str:
        return f"{self.entity_id} {self.period:%Y-%m}"


class Regularisation(models.Model):
    """What a posted payslip should have paid with the values in force now, less what it and
    its earlier regularisations paid: settled on the member's next payslip, never by rewriting
    the posted one. `differences` holds each figure's difference as a decimal string."""

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="regularisations")
    payslip = models.ForeignKey(Payslip, on_delete=models.PROTECT, related_name="regularisations")
    differences = models.JSONField(default=dict)
    note = models.CharField(max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    applied_to = models.ForeignKey(
        Payslip, null=True, blank=True, on_delete=models.PROTECT, related_name="settled"
    )

    class Meta:
        ordering = ["payslip_id", "id"]
        indexes = [
            models.Index(
                fields=["entity", "person"],
                condition=models.Q(applied_to=None),
                name="regularisation_pending",
            )
        ]

    def __str__(self) -> str:
        return f"REG-{self.pk or 0:07d} of {self.payslip_id}"

    def difference(self, name: str) -> Decimal:
        return Decimal(self.differences.get(name, "0"))


# --- copyright payments (droits d'auteur) -------------------------------------------------------
class CopyrightShare(models.Model):
    """The most of what an activity invoiced that an entity lets it pay as copyright, from a
    date on (SMart Belgium: at most 50 % of an invoice). Rows are added, never edited, so a past
    payment keeps the share it was checked against."""

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateField(_("in force from"))
    share = models.DecimalField(_("share of the invoiced amount"), max_digits=5, decimal_places=4)
    source = models.CharField(_("decision"), max_length=200, blank=True)

    class Meta:
        ordering = ["entity", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["entity", "valid_from"], name="copyright_share_once"),
            models.CheckConstraint(
                condition=models.Q(share__gte=0, share__lte=1), name="copyright_share_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entity_id} {self.share} from {self.valid_from}"


class CopyrightStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved and booked")
    REFUSED = "refused", _("Refused")


class CopyrightPayment(models.Model):
    """Copyright fees an activity pays a member for a work: requested by the member, checked by
    staff (is the work eligible?), then booked and paid by credit transfer. The figures are
    estimates while requested and final once approved (the year's earlier payments count)."""

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="copyright_payments")
    activity = models.ForeignKey(
        "activities.Activity", on_delete=models.PROTECT, related_name="copyright_payments"
    )
    work = models.CharField(_("work"), max_length=200)
    status = models.CharField(
        max_length=10, choices=CopyrightStatus.choices, default=CopyrightStatus.REQUESTED
    )
    paid_on = models.DateField(_("date"))  # requested on, then booked on: sets the income year
    currency = models.CharField(max_length=3)
    gross = money_field(verbose_name=_("gross copyright fees"))
    flat_costs = money_field(verbose_name=_("flat-rate costs"))
    taxable = money_field(verbose_name=_("taxable"))
    withholding = money_field(verbose_name=_("withholding tax"))
    net = money_field(verbose_name=_("net"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-paid_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(gross__gt=0), name="copyright_payment_positive"
            )
        ]
        indexes = [
            models.Index(fields=["person", "status", "paid_on"]),
            models.Index(fields=["activity", "status"]),
            models.Index(fields=["entity", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.person}"

    @property
    def reference(self) -> str:
        return f"CR-{self.pk or 0:07d}"

    @property
    def ledger_key(self) -> str:
        return f"copyright:{self.pk}"
