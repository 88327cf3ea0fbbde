"""Mutualised services: workspace, training, loans, insurance and advice (issue #7).

What an activity pays for a service is never stored as a balance here: each charge is a ledger
entry (Dr services_charge on the activity / Cr services_income) whose id the row keeps, so the
activity's budget stays the ledger's word (DESIGN.md §3).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from mutua.activities.models import Activity
from mutua.core.fields import money_field
from mutua.entities.models import Entity
from mutua.members.models import Person

USER = settings.AUTH_USER_MODEL


def _rate_field(verbose: str) -> models.DecimalField:
    return models.DecimalField(_(verbose), max_digits=7, decimal_places=5, default=Decimal("0"))


# --- workspace ------------------------------------------------------------------------------


class Place(models.Model):
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    address = models.CharField(_("address"), max_length=250, blank=True)
    active = models.BooleanField(_("open for booking"), default=True)

    class Meta:
        ordering = ["entity", "name"]

    def __str__(self) -> str:
        return self.name


class ResourceKind(models.TextChoices):
    DESK = "desk", _("Desk")
    ROOM = "room", _("Meeting room")
    STUDIO = "studio", _("Studio")
    EQUIPMENT = "equipment", _("Equipment")


class Resource(models.Model):
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="resources")
    kind = models.CharField(_("kind"), max_length=12, choices=ResourceKind.choices)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    hourly_price = money_field(verbose_name=_("price per hour"))
    daily_price = money_field(verbose_name=_("price per day"))
    free_cancellation_hours = models.PositiveSmallIntegerField(
        _("free cancellation until (hours before)"), default=24
    )
    active = models.BooleanField(_("bookable"), default=True)

    class Meta:
        ordering = ["place", "kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hourly_price__gte=0) & Q(daily_price__gte=0),
                name="services_resource_prices_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.place})"


class BookingStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")


class Booking(models.Model):
    """A time slot of a resource. Two confirmed bookings of one resource never overlap: the
    database refuses it (exclusion constraint on PostgreSQL, trigger on SQLite; migration 0002)."""

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="bookings")
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="+")
    booked_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    price = money_field(verbose_name=_("price"))
    status = models.CharField(max_length=10, choices=BookingStatus.choices, default="confirmed")
    charge_entry_id = models.BigIntegerField(null=True, blank=True)
    refund_entry_id = models.BigIntegerField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["resource", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="services_booking_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.resource.name} {self.starts_at:%Y-%m-%d %H:%M}"


# --- training -------------------------------------------------------------------------------


class TrainingSession(models.Model):
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    topic = models.CharField(_("topic"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    trainer = models.CharField(_("trainer"), max_length=120)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    online_url = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(_("seats"))
    price = money_field(verbose_name=_("price per participant"))
    free_cancellation_hours = models.PositiveSmallIntegerField(
        _("free cancellation until (hours before)"), default=48
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="services_session_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="services_session_seats"),
            models.CheckConstraint(condition=Q(price__gte=0), name="services_session_price"),
            models.CheckConstraint(
                condition=Q(place__isnull=False) | ~Q(online_url=""),
                name="services_session_place_or_online",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic} {self.starts_at:%Y-%m-%d}"


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Enrolment(models.Model):
    session = models.ForeignKey(
        TrainingSession, on_delete=models.PROTECT, related_name="enrolments"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=EnrolmentStatus.choices)
    attended = models.BooleanField(null=True, blank=True)
    price = money_field(verbose_name=_("price"))
    charge_entry_id = models.BigIntegerField(null=True, blank=True)
    refund_entry_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    enrolled_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"],
                condition=~Q(status="cancelled"),
                name="services_enrolment_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.session}"


# --- loans ----------------------------------------------------------------------------------


class LoanTerms(models.Model):
    """The entity's dated loan terms (e.g. SMart: a 3 % file fee on investment loans)."""

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateField(_("valid from"))
    investment_rate = _rate_field("yearly interest rate of investment loans")
    file_fee_rate = _rate_field("file fee rate of investment loans")
    max_months = models.PositiveSmallIntegerField(_("longest term in months"), default=60)

    class Meta:
        ordering = ["entity", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["entity", "valid_from"], name="services_loan_terms")
        ]

    def __str__(self) -> str:
        return f"{self.entity_id} loan terms from {self.valid_from}"


class LoanKind(models.TextChoices):
    INVESTMENT = "investment", _("Investment loan")
    BRIDGE = "bridge", _("Interest-free bridge loan")


class RepaymentMethod(models.TextChoices):
    ANNUITY = "annuity", _("Equal instalments (annuity)")
    LINEAR = "linear", _("Equal capital repayments (linear)")


class LoanStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    REFUSED = "refused", _("Refused")
    DISBURSED = "disbursed", _("Disbursed")
    REPAID = "repaid", _("Repaid")


class Loan(models.Model):
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=LoanKind.choices)
    principal = money_field(verbose_name=_("amount"))
    months = models.PositiveSmallIntegerField(_("term in months"))
    method = models.CharField(_("repayment"), max_length=8, choices=RepaymentMethod.choices)
    purpose = models.TextField(_("purpose"))
    annual_rate = _rate_field("yearly interest rate")
    file_fee = money_field(verbose_name=_("file fee"))
    status = models.CharField(max_length=10, choices=LoanStatus.choices, default="requested")
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.TextField(blank=True)
    disbursed_on = models.DateField(null=True, blank=True)
    disbursement_entry_id = models.BigIntegerField(null=True, blank=True)
    fee_entry_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(principal__gt=0), name="services_loan_principal"),
            models.CheckConstraint(condition=Q(months__gt=0), name="services_loan_months"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.principal} ({self.activity.number})"


class Instalment(models.Model):
    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="instalments")
    number = models.PositiveSmallIntegerField()
    due_date = models.DateField(_("due"))
    principal = money_field(verbose_name=_("capital"))
    interest = money_field(verbose_name=_("interest"))
    amount = money_field(verbose_name=_("instalment"))
    entry_id = models.BigIntegerField(null=True, blank=True)
    paid_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["loan", "number"]
        constraints = [
            # amount = principal + interest is checked in Python: SQLite adds decimals as floats.
            models.UniqueConstraint(fields=["loan", "number"], name="services_instalment_once"),
        ]

    def __str__(self) -> str:
        return f"{self.loan_id}/{self.number} due {self.due_date}"


# --- insurance ------------------------------------------------------------------------------


class CoverKind(models.TextChoices):
    WORK_ACCIDENT = "work_accident", _("Work accidents")
    LIABILITY = "liability", _("Civil liability")
    MOBILITY = "mobility", _("Mobility")
    PRIVATE_ACCIDENT = "private_accident", _("Private accidents")


class EmployerCover(models.Model):
    """A cover the employer holds for every work contract, priced into the work budget as a
    share of gross pay. Dated: a new rate is a new row from its start date."""

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("cover"), max_length=20, choices=CoverKind.choices)
    mandatory = models.BooleanField(_("required by law"), default=False)
    rate = _rate_field("rate on gross pay")
    valid_from = models.DateField(_("valid from"))
    insurer = models.CharField(_("insurer"), max_length=120)
    policy_number = models.CharField(_("policy number"), max_length=60, blank=True)

    class Meta:
        ordering = ["entity", "kind", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "kind", "valid_from"], name="services_employer_cover_dated"
            ),
            models.CheckConstraint(
                condition=Q(rate__gte=0) & Q(rate__lt=1), name="services_cover_rate"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.rate} from {self.valid_from}"


class Policy(models.Model):
    """A policy of the cooperative that activities may join (equipment, professional
    liability...); the yearly premium is charged to the activity that joins."""

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=150)
    covers = models.TextField(_("what it covers"))
    insurer = models.CharField(_("insurer"), max_length=120)
    policy_number = models.CharField(_("policy number"), max_length=60)
    annual_premium = money_field(verbose_name=_("yearly premium"))
    active = models.BooleanField(_("open to new members"), default=True)

    class Meta:
        ordering = ["entity", "name"]
        verbose_name_plural = _("policies")

    def __str__(self) -> str:
        return self.name


class PolicyCover(models.Model):
    """An activity's year of cover under a policy."""

    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="memberships")
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    premium = money_field(verbose_name=_("premium"))
    charge_entry_id = models.BigIntegerField(null=True, blank=True)
    joined_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "activity", "starts_on"], name="services_policy_cover_once"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="services_cover_dates"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.policy_id} {self.activity_id} {self.starts_on}..{self.ends_on}"


# --- advice ---------------------------------------------------------------------------------


class AdviceTopic(models.TextChoices):
    LEGAL = "legal", _("Legal")
    TAX = "tax", _("Tax")
    FINANCIAL = "financial", _("Financial")
    SOCIAL = "social", _("Social security")


class AdviceTarget(models.Model):
    """How soon the entity promises a first answer on a topic (working hours are not modelled:
    the target is in calendar hours)."""

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    topic = models.CharField(_("topic"), max_length=10, choices=AdviceTopic.choices)
    hours = models.PositiveSmallIntegerField(_("first answer within (hours)"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entity", "topic"], name="services_advice_target")
        ]

    def __str__(self) -> str:
        return f"{self.topic}: {self.hours} h"


class AdviceStatus(models.TextChoices):
    NEW = "new", _("New")
    ASSIGNED = "assigned", _("Assigned")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class AdviceRequest(models.Model):
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    topic = models.CharField(_("topic"), max_length=10, choices=AdviceTopic.choices)
    subject = models.CharField(_("subject"), max_length=200)
    status = models.CharField(max_length=10, choices=AdviceStatus.choices, default="new")
    assigned_to = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    due_at = models.DateTimeField(_("first answer due"))
    first_response_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("satisfaction"), null=True, blank=True)
    rating_comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="services_advice_rating_range",
            )
        ]

    def __str__(self) -> str:
        return self.subject


class AdviceMessage(models.Model):
    request = models.ForeignKey(AdviceRequest, on_delete=models.PROTECT, related_name="messages")
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    from_staff = models.BooleanField(default=False)
    body = models.TextField(_("message"))
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.created_at:%Y-%m-%d %H:%M}"


class AdviceAttachment(models.Model):
    """A file stored under MEDIA_ROOT (never served directly: see views.advice_attachment)."""

    message = models.ForeignKey(AdviceMessage, on_delete=models.PROTECT, related_name="files")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    path = models.CharField(max_length=300, unique=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name
