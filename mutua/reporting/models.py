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
