"""The share register (Companies and Associations Code 6:24-6:25 as applied to cooperatives).

Holdings are never stored: they are the sum of a holder's movements per class, so the register
and its history cannot disagree. Each movement that changes capital names the ledger entry that
booked it. Only mutua.governance share actions write here."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mutua.core.fields import money_field
from mutua.entities.models import Entity
from mutua.members.models import Person


class ShareClass(models.Model):
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("class"), max_length=4)
    name = models.CharField(_("name"), max_length=100)
    nominal_value = money_field(verbose_name=_("nominal value"))
    currency = models.CharField(max_length=3)
    voting_rights = models.CharField(_("voting rights"), max_length=200, blank=True)
    profit_rights = models.CharField(_("profit rights"), max_length=200, blank=True)
    transfer_restrictions = models.CharField(_("transfer restrictions"), max_length=300, blank=True)
    open_to_members = models.BooleanField(_("members may subscribe themselves"), default=True)

    class Meta:
        ordering = ["entity", "code"]
        constraints = [
            models.UniqueConstraint(fields=["entity", "code"], name="share_class_code_unique"),
            models.CheckConstraint(condition=Q(nominal_value__gt=0), name="share_nominal_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class HolderKind(models.TextChoices):
    PERSON = "person", _("Natural person")
    LEGAL = "legal", _("Legal person")


class Shareholder(models.Model):
    """A person (member, staff, client) or a legal person, including a sister entity of the
    federation holding shares here (the cooperative's stakes in its sister entities)."""

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField(_("register number"))
    kind = models.CharField(max_length=6, choices=HolderKind.choices)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="shareholdings"
    )
    sister_entity = models.ForeignKey(
        Entity, null=True, blank=True, on_delete=models.PROTECT, related_name="stakes_held"
    )
    name = models.CharField(_("name"), max_length=200)
    company_number = models.CharField(_("company number"), max_length=20, blank=True)
    address = models.CharField(_("domicile or seat"), max_length=300)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    registered_on = models.DateField()

    class Meta:
        ordering = ["entity", "number"]
        constraints = [
            models.UniqueConstraint(fields=["entity", "number"], name="shareholder_number_unique"),
            models.UniqueConstraint(
                fields=["entity", "person"],
                condition=Q(person__isnull=False),
                name="shareholder_person_once",
            ),
            models.UniqueConstraint(
                fields=["entity", "sister_entity"],
                condition=Q(sister_entity__isnull=False),
                name="shareholder_sister_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class PaymentMethod(models.TextChoices):
    TRANSFER = "transfer", _("Bank transfer with the structured reference")
    PAYROLL = "payroll", _("Deduction from pay")


class SubscriptionStatus(models.TextChoices):
    REQUESTED = "requested", _("Awaiting payment")
    ISSUED = "issued", _("Paid, shares issued")
    CANCELLED = "cancelled", _("Cancelled")


class Subscription(models.Model):
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    holder = models.ForeignKey(Shareholder, on_delete=models.PROTECT, related_name="subscriptions")
    share_class = models.ForeignKey(ShareClass, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(_("shares"))
    amount = money_field(verbose_name=_("amount"))
    currency = models.CharField(max_length=3)
    method = models.CharField(_("payment"), max_length=10, choices=PaymentMethod.choices)
    payment_reference = models.CharField(_("payment reference"), max_length=40, blank=True)
    status = models.CharField(
        max_length=10, choices=SubscriptionStatus.choices, default=SubscriptionStatus.REQUESTED
    )
    requested_on = models.DateField()
    paid_on = models.DateField(null=True, blank=True)
    entry_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="subscription_positive"),
            # One subscription awaiting payment per holder (so per person) and class: parallel
            # requests cannot queue two (mutua.governance.share_actions.request_subscription).
            models.UniqueConstraint(
                fields=["holder", "share_class"],
                condition=Q(status="requested"),
                name="subscription_pending_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.share_class_id} for {self.holder_id}"


class MovementKind(models.TextChoices):
    ISSUE = "issue", _("Issued on payment")
    TRANSFER_IN = "transfer_in", _("Received by transfer")
    TRANSFER_OUT = "transfer_out", _("Transferred")
    WITHDRAWAL = "withdrawal", _("Withdrawal")
    EXCLUSION = "exclusion", _("Exclusion")
    DEATH = "death", _("Death")


class ShareMovement(models.Model):
    """One line of the register: shares in (+) or out (-) of a holder, with what was paid."""

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    holder = models.ForeignKey(Shareholder, on_delete=models.PROTECT, related_name="movements")
    share_class = models.ForeignKey(ShareClass, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=MovementKind.choices)
    quantity = models.IntegerField(help_text=_("positive in, negative out"))
    paid_up = money_field(help_text=_("capital paid up on these shares (signed like quantity)"))
    amount_paid = money_field(help_text=_("repaid to the holder on a withdrawal or exclusion"))
    date = models.DateField()
    counterpart = models.ForeignKey(
        Shareholder, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    key = models.CharField(max_length=60)
    entry_id = models.BigIntegerField(null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["entity", "date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["entity", "key"], name="share_movement_once"),
            models.CheckConstraint(condition=~Q(quantity=0), name="share_movement_not_zero"),
        ]
        indexes = [models.Index(fields=["holder", "share_class"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.quantity:+d} ({self.date})"


class ApprovedAccounts(models.Model):
    """The last approved annual accounts: the net asset value that caps repayments, and the
    board's solvency and liquidity tests (6:115-6:116) that allow or postpone them."""

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField()
    approved_on = models.DateField()
    net_assets = money_field(verbose_name=_("net assets"))
    solvency_test_passed = models.BooleanField(default=False)
    liquidity_test_passed = models.BooleanField(default=False)

    class Meta:
        ordering = ["entity", "-approved_on"]
        constraints = [
            models.UniqueConstraint(fields=["entity", "year"], name="approved_accounts_once")
        ]

    def __str__(self) -> str:
        return f"accounts {self.year}"


class ExitKind(models.TextChoices):
    WITHDRAWAL = "withdrawal", _("Withdrawal")
    EXCLUSION = "exclusion", _("Exclusion")
    DEATH = "death", _("Death")


class ExitStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    POSTPONED = "postponed", _("Postponed (solvency or liquidity test)")
    SETTLED = "settled", _("Settled")


class Exit(models.Model):
    """A holder leaving with all their shares: withdrawal, exclusion or death (6:120-6:121)."""

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    holder = models.ForeignKey(Shareholder, on_delete=models.PROTECT, related_name="exits")
    kind = models.CharField(max_length=10, choices=ExitKind.choices)
    status = models.CharField(
        max_length=10, choices=ExitStatus.choices, default=ExitStatus.REQUESTED
    )
    requested_on = models.DateField()
    reason = models.CharField(max_length=300, blank=True)
    settled_on = models.DateField(null=True, blank=True)
    repayment = money_field()
    note = models.CharField(max_length=300, blank=True)
    entry_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["holder"],
                condition=~Q(status="settled"),
                name="exit_one_open_per_holder",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} of {self.holder_id}"
