"""Clients of the cooperative: it invoices them in its own name for its members' work.

A client is one record per entity and identifier (VAT or company number): when a second member
adds the same company, they are linked to the existing record instead of creating a duplicate.
Members see the clients they work with (`ClientUser`); staff see all clients of their entity.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from mutua.entities.models import Entity
from mutua.members.models import Person


class ClientKind(models.TextChoices):
    COMPANY = "company", _("Company or organisation")
    PERSON = "person", _("Private person")


class Client(models.Model):
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="clients")
    kind = models.CharField(_("kind"), max_length=10, choices=ClientKind.choices, default="company")
    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=2)
    language = models.CharField(_("language"), max_length=5, default="en")
    vat_number = models.CharField(_("VAT number"), max_length=20, blank=True)
    company_number = models.CharField(_("company number"), max_length=20, blank=True)
    peppol_id = models.CharField(_("Peppol participant id"), max_length=60, blank=True)
    street = models.CharField(_("street"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail for invoices"), blank=True)
    payment_terms_days = models.PositiveSmallIntegerField(
        _("payment terms (days)"), null=True, blank=True
    )
    blocked = models.BooleanField(_("blocked"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["entity", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "vat_number"],
                condition=~models.Q(vat_number=""),
                name="client_vat_unique_per_entity",
            ),
            models.UniqueConstraint(
                fields=["entity", "country", "company_number"],
                condition=~models.Q(company_number=""),
                name="client_company_number_unique_per_entity",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_business(self) -> bool:
        return self.kind == ClientKind.COMPANY and bool(self.vat_number or self.company_number)


class ClientUser(models.Model):
    """A member who works with a client: what lets them see it and invoice it."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="users")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="client_links")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "person"], name="client_user_once")
        ]

    def __str__(self) -> str:
        return f"{self.person} - {self.client}"
