from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from mutua.core.errors import DomainError
from mutua.core.identifiers import validate_bic, validate_iban
from mutua.countries.registry import SUPPORTED, rules_for


class Entity(models.Model):
    """One cooperative legal entity in one country; every financial record belongs to one."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=200)
    legal_name = models.CharField(_("legal name"), max_length=200)
    country = models.CharField(_("country"), max_length=2, choices=[(c, c) for c in SUPPORTED])
    currency = models.CharField(_("currency"), max_length=3)
    languages = models.CharField(
        _("languages"),
        max_length=50,
        help_text=_("Comma-separated language codes, first = default"),
    )
    vat_number = models.CharField(_("VAT number"), max_length=20)
    company_number = models.CharField(_("company number"), max_length=20)
    iban = models.CharField(_("IBAN"), max_length=34)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    street = models.CharField(_("street"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    # Numbering settings: Python format strings filled with {code}, {year} and {seq}.
    member_number_format = models.CharField(max_length=40, default="{code}-{seq:05d}")
    invoice_number_format = models.CharField(max_length=40, default="{year}-{seq:06d}")
    federation_reporting = models.BooleanField(default=True)
    # Invoicing settings.
    order_forms_need_validation = models.BooleanField(
        _("order forms need an adviser's validation"), default=False
    )
    payment_terms_days = models.PositiveSmallIntegerField(_("default payment terms"), default=30)
    dunning_delays = models.CharField(
        _("reminder delays"),
        max_length=40,
        default="7,21,35",
        help_text=_("Days after the due date: first reminder, second reminder, formal notice"),
    )

    class Meta:
        verbose_name = _("entity")
        verbose_name_plural = _("entities")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def dunning_days(self) -> list[int]:
        return [int(day) for day in self.dunning_delays.split(",") if day.strip()]

    @property
    def language_list(self) -> list[str]:
        return [code.strip() for code in self.languages.split(",") if code.strip()]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        try:
            rules = rules_for(self.country)
        except DomainError as exc:
            raise ValidationError({"country": exc.message}) from exc
        checks = [
            ("vat_number", rules.validate_vat_number),
            ("company_number", rules.validate_company_number),
            ("iban", validate_iban),
        ]
        if self.bic:
            checks.append(("bic", validate_bic))
        for field, check in checks:
            try:
                setattr(self, field, check(getattr(self, field)))
            except DomainError as exc:
                errors[field] = exc.message
        try:
            days = self.dunning_days
        except ValueError:
            days = []
        if not days or days != sorted(days) or len(days) > 5:
            errors["dunning_delays"] = "give up to five increasing numbers of days, e.g. 7,21,35"
        if errors:
            raise ValidationError(errors)


class FeeRate(models.Model):
    """The cooperative's fee, dated: a share of the invoiced amount plus a fixed monthly part."""

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="fee_rates")
    activity_type = models.CharField(
        max_length=50, blank=True, help_text=_("Empty: applies to every activity type")
    )
    activity = models.ForeignKey(
        "activities.Activity",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fee_rates",
        help_text=_("Set: a rate agreed for this one activity"),
    )
    rate = models.DecimalField(
        max_digits=7, decimal_places=5, validators=[MinValueValidator(Decimal("0"))]
    )
    fixed_monthly = models.DecimalField(max_digits=18, decimal_places=2, default=Decimal("0"))
    valid_from = models.DateField()
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["entity", "activity_type", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "activity_type", "valid_from"],
                condition=models.Q(activity__isnull=True),
                name="fee_rate_unique_start",
            ),
            models.UniqueConstraint(
                fields=["activity", "valid_from"],
                condition=models.Q(activity__isnull=False),
                name="fee_rate_unique_start_per_activity",
            ),
            models.CheckConstraint(condition=models.Q(rate__gte=0), name="fee_rate_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.entity.code} {self.activity_type or '*'} {self.rate} from {self.valid_from}"


class NumberSequence(models.Model):
    """Gapless counters per entity, purpose and year (0 = not yearly).

    Numbers are taken under a row lock inside the caller's transaction, so a rolled-back
    transaction gives its number back and two concurrent takers never get the same one.
    """

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=40)
    year = models.PositiveIntegerField(default=0)
    last = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entity", "key", "year"], name="number_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.year or ''} at {self.last}"
