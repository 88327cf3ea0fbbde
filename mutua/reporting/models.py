"""Exchange rates for the federation view: euro reference rates imported from a file (e.g. the
ECB's eurofxref CSV), one row per currency and day, never edited (a correction is a new import
that replaces the day's rate, audited)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExchangeRate(models.Model):
    currency = models.CharField(_("currency"), max_length=3)
    day = models.DateField(_("day"))
    per_euro = models.DecimalField(
        _("units per euro"), max_digits=18, decimal_places=6, help_text=_("1 EUR = this amount")
    )
    source = models.CharField(_("source"), max_length=100)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["currency", "day"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "day"], name="exchange_rate_per_day"),
            models.CheckConstraint(
                condition=models.Q(per_euro__gt=0), name="exchange_rate_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"1 EUR = {self.per_euro} {self.currency} ({self.day})"


class PaymentDelayMonth(models.Model):
    """Client payments of a month per entity, with their delay: the sum paid and the sum of
    amount × days from the invoice's issue to the payment. Kept up to date by the bank's
    reconciliation in its own transaction (mutua.reporting.delays), so the dashboard reads 12
    rows instead of every payment of the year; `mutua report rebuild-delays` recomputes it."""

    entity = models.ForeignKey("entities.Entity", on_delete=models.PROTECT, related_name="+")
    month = models.DateField()
    paid = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    weighted_days = models.DecimalField(max_digits=24, decimal_places=2, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entity", "month"], name="payment_delay_month_once")
        ]

    def __str__(self) -> str:
        return f"{self.entity_id} {self.month:%Y-%m}: {self.paid}"
