"""Work contracts and the employment declarations that go with them (DESIGN.md §2, §3).

A contract employs one member for one piece of work, in one entity, paid from one activity:

- `day`: a Belgian fixed-term contract for one working day (or part of one) of an order form;
  each has its own Dimona (IN with the end date: start and end go together for fixed terms).
- `monthly`: an open-ended contract paying `monthly_work_budget` from the activity every month
  (income smoothing anywhere; the fixed part of a French CESA). Starts on the first of a month.
- `variable`: the variable part of a monthly contract for one month: an order form's work budget
  paid with that month's salary (CESA, L7332-3). It is covered by the monthly contract's DPAE.

Every write goes through `actions.py`; payroll reads the contracts of a month to make payslips.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mutua.activities.models import Activity
from mutua.core.fields import money_field
from mutua.engagements.models import ContractRequest, OrderForm
from mutua.entities.models import Entity
from mutua.members.models import Person


class WorkerType(models.TextChoices):
    EMPLOYEE = "employee", _("Employee")
    ARTIST = "artist", _("Artist")
    MANUAL = "manual", _("Manual worker")
    # Art. 1bis law of 27 June 1969: artistic work without an employment contract, under
    # employee social security; paid as an artist (108 % base). Only where the entity allows it.
    ARTICLE_1BIS = "article_1bis", _("Artist, article 1bis")


class ContractKind(models.TextChoices):
    DAY = "day", _("Fixed-term day contract")
    MONTHLY = "monthly", _("Monthly contract")
    VARIABLE = "variable", _("Variable part of a monthly contract")


class ContractStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CANCELLED = "cancelled", _("Cancelled")


class EntityContractSettings(models.Model):
    """What an entity allows and declares as an employer (one row per entity; defaults apply
    when there is none)."""

    entity = models.OneToOneField(
        Entity, on_delete=models.CASCADE, related_name="contract_settings"
    )
    allows_article_1bis = models.BooleanField(_("offers article 1bis"), default=False)
    employer_number = models.CharField(_("employer number (ONSS / URSSAF)"), max_length=20)
    joint_committee = models.CharField(_("joint committee"), max_length=10, default="200")
    employer_charges = models.DecimalField(
        _("employer charges (part of k)"), max_digits=6, decimal_places=4, null=True, blank=True
    )
    margin = models.DecimalField(
        _("margin (part of k)"), max_digits=6, decimal_places=4, null=True, blank=True
    )

    def __str__(self) -> str:
        return f"{self.entity.code} contract settings"


class Contract(models.Model):
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="contracts")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="contracts")
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="contracts")
    order_form = models.ForeignKey(
        OrderForm, null=True, blank=True, on_delete=models.PROTECT, related_name="contracts"
    )
    request = models.ForeignKey(
        ContractRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="contracts"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="variable_parts"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ContractKind.choices)
    worker = models.CharField(
        _("worker type"), max_length=14, choices=WorkerType.choices, default="employee"
    )
    category = models.CharField(_("category"), max_length=10, default="non-cadre")
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"), null=True, blank=True)  # empty: open-ended
    days = models.DecimalField(_("working days"), max_digits=6, decimal_places=2, default=0)
    # day/variable: what the activity pays for this contract; monthly: what it pays each month.
    work_budget = money_field(verbose_name=_("work budget"))
    gross = money_field(verbose_name=_("gross pay (estimate)"))
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=10, choices=ContractStatus.choices, default="active")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["start_date", "id"]
        constraints = [
            # A request makes each of its days once, whatever retries happen.
            models.UniqueConstraint(
                fields=["request", "kind", "start_date"],
                condition=models.Q(request__isnull=False),
                name="contract_once_per_request_day",
            ),
            models.CheckConstraint(
                condition=models.Q(work_budget__gte=0), name="contract_work_budget_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="contract_dates_in_order",
            ),
        ]
        indexes = [
            models.Index(
                fields=["entity", "start_date"],
                include=["days", "status", "parent"],
                name="contract_entity_start",
            ),
            models.Index(fields=["entity", "kind", "start_date"]),
            models.Index(fields=["person", "start_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.person}"

    @property
    def reference(self) -> str:
        return f"CT-{self.pk or 0:07d}"


class DeclarationScheme(models.TextChoices):
    DIMONA = "dimona", _("Dimona (BE)")
    DPAE = "dpae", _("DPAE (FR)")


class DeclarationAction(models.TextChoices):
    IN = "in", _("Start (IN)")
    OUT = "out", _("End (OUT)")
    CANCEL = "cancel", _("Cancellation")


class DeclarationStatus(models.TextChoices):
    PREPARED = "prepared", _("Prepared")
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")
    CANCELLED = "cancelled", _("Cancelled")


class Declaration(models.Model):
    """One employment declaration to the government, as prepared, sent and answered.

    `payload` is what the sender transmits (the government service's fields); `reference` is the
    number the service gives back (Dimona period id, DPAE receipt). A cancellation is its own
    declaration pointing at the one it cancels.
    """

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="declarations")
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    scheme = models.CharField(max_length=8, choices=DeclarationScheme.choices)
    action = models.CharField(max_length=8, choices=DeclarationAction.choices)
    status = models.CharField(max_length=10, choices=DeclarationStatus.choices, default="prepared")
    cancels = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="cancelled_by"
    )
    payload = models.JSONField(default=dict)
    reference = models.CharField(max_length=40, blank=True)
    transport = models.CharField(max_length=40, blank=True)
    transport_ref = models.CharField(max_length=200, blank=True)  # e.g. the outbox file name
    error = models.CharField(max_length=300, blank=True)
    prepared_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "scheme", "action"], name="declaration_once_per_action"
            )
        ]
        indexes = [models.Index(fields=["entity", "status"])]

    def __str__(self) -> str:
        return f"{self.get_scheme_display()} {self.action} {self.contract.reference}"


class AmountBasis(models.TextChoices):
    GROSS = "gross", _("Monthly gross")
    WORK_BUDGET = "work_budget", _("Monthly work budget")


class MonthlyAmount(models.Model):
    """A dated amendment of a monthly contract: what it pays from `valid_from` (the first of a
    month) on, as the member chose it (income smoothing, issue 6 item 5). Rows are only added:
    the amount in force for a month is the latest row starting on or before it (the newest row
    wins when a member changes their mind before the month starts), so past months keep the
    amount they were paid with and the history stays readable."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="amounts")
    valid_from = models.DateField(_("from the month of"))
    basis = models.CharField(max_length=12, choices=AmountBasis.choices)
    chosen = money_field(verbose_name=_("amount chosen"))
    work_budget = money_field(verbose_name=_("monthly work budget"))
    gross = money_field(verbose_name=_("monthly gross (estimate)"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["contract", "-valid_from", "-id"]
        indexes = [models.Index(fields=["contract", "valid_from"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(work_budget__gt=0), name="monthly_amount_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.work_budget} from {self.valid_from:%Y-%m}"
