"""Clients of the cooperative (invoiced in its own name). Minimal for now: later issues add
identifiers (company number, Peppol ID) and contacts."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from mutua.entities.models import Entity


class Client(models.Model):
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="clients")
    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=2)
    vat_number = models.CharField(_("VAT number"), max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["entity", "name", "id"]

    def __str__(self) -> str:
        return self.name
