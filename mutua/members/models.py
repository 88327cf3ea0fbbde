from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mutua.core.permissions import Role
from mutua.countries.registry import SUPPORTED
from mutua.entities.models import Entity


class MaritalStatus(models.TextChoices):
    SINGLE = "single", _("Single")
    MARRIED = "married", _("Married")
    COHABITING = "cohabiting", _("Legally cohabiting")
    WIDOWED = "widowed", _("Widowed")
    DIVORCED = "divorced", _("Divorced or separated")


class Person(models.Model):
    """A natural person: a member, a staff member, or both."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="person",
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    country = models.CharField(
        _("country of residence"), max_length=2, choices=[(c, c) for c in SUPPORTED]
    )
    national_number = models.CharField(_("national number"), max_length=20, blank=True)
    street = models.CharField(_("street"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    # When the member last changed the account their pay goes to (set by members.actions), and
    # when a staff member checked that change: until then, or for 7 days, payouts to the new
    # account wait (mutua.banking.payouts).
    iban_changed_at = models.DateTimeField(_("bank account changed at"), null=True, blank=True)
    iban_checked_at = models.DateTimeField(
        _("bank account change checked at"), null=True, blank=True
    )
    iban_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    preferred_language = models.CharField(_("language"), max_length=5, default="en")
    # Household and tax situation, as the payroll needs it.
    marital_status = models.CharField(
        _("marital status"), max_length=12, choices=MaritalStatus.choices, default="single"
    )
    partner_has_income = models.BooleanField(_("partner has professional income"), default=True)
    dependent_children = models.PositiveSmallIntegerField(_("dependent children"), default=0)
    disabled_dependent_children = models.PositiveSmallIntegerField(
        _("of whom with a disability"), default=0
    )
    single_parent = models.BooleanField(_("single parent"), default=False)
    # Where the member is taxed locally, and the withholding table the tax administration gives
    # for it (Sweden: the table number on the preliminary tax decision, from the municipal rate).
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    tax_table = models.PositiveSmallIntegerField(_("tax table"), null=True, blank=True)
    artist_certificate_until = models.DateField(
        _("artist work certificate valid until"), null=True, blank=True
    )
    identity_checked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(disabled_dependent_children__lte=models.F("dependent_children")),
                name="person_disabled_children_within_children",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class MembershipStatus(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    LEFT = "left", _("Left")


class Membership(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="memberships")
    number = models.CharField(_("member number"), max_length=30, null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=MembershipStatus.choices, default=MembershipStatus.APPLICANT
    )
    applied_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["entity__code", "number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "entity"], name="membership_one_per_entity"),
            models.UniqueConstraint(fields=["entity", "number"], name="membership_number_unique"),
        ]
        indexes = [
            models.Index(
                fields=["entity"],
                include=["number", "decided_at", "ended_at"],
                name="membership_entity_dates",
            ),
            models.Index(fields=["entity", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.entity.code} {self.number or '(applicant)'} {self.person}"


class StaffRole(models.Model):
    """A staff role held by a user, in one entity or (entity empty) across the federation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_roles"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    entity = models.ForeignKey(
        Entity, null=True, blank=True, on_delete=models.CASCADE, related_name="staff_roles"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "entity"], name="staff_role_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.role} {self.entity.code if self.entity else 'federation'}"


class TokenScope(models.TextChoices):
    READ = "read", _("Read only")
    WRITE = "write", _("Read and write")


class TokenGrant(models.TextChoices):
    """What gave the user the right to a token: the token lives only as long as it does."""

    STAFF_ROLE = "staff_role", _("Staff role")
    MEMBERSHIP = "membership", _("Membership")


class AccessToken(models.Model):
    """A personal access token for the API. Only its SHA-256 digest is stored.

    A token reads only, or reads and writes (`scope`), and ends with the staff role or the
    membership it was created under (`grant`): when that role is removed (the foreign key
    becomes empty) or that membership ends, the token authenticates nobody any more."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    scope = models.CharField(_("scope"), max_length=8, choices=TokenScope.choices)
    grant = models.CharField(_("granted by"), max_length=12, choices=TokenGrant.choices)
    granted_by_role = models.ForeignKey(
        StaffRole, null=True, blank=True, on_delete=models.SET_NULL, related_name="access_tokens"
    )
    granted_by_membership = models.ForeignKey(
        Membership,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="access_tokens",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scope__in=TokenScope.values), name="access_token_scope_known"
            ),
            models.CheckConstraint(
                condition=models.Q(grant__in=TokenGrant.values), name="access_token_grant_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
