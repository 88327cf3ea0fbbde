"""Activities: budget envelopes inside an entity that one or more members run (DESIGN.md §2).

Kept minimal here; the activity's money is never stored on it but read from the ledger's activity
dimension (mutua.ledger.queries.activity_balance).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from mutua.entities.models import Entity
from mutua.members.models import Person


class Activity(models.Model):
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="activities")
    number = models.CharField(_("number"), max_length=30)
    name = models.CharField(_("name"), max_length=200)
    activity_type = models.CharField(_("activity type"), max_length=50, blank=True)
    sector = models.CharField(_("sector"), max_length=80, blank=True)
    description = models.TextField(_("description"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["entity", "number"]
        constraints = [
            models.UniqueConstraint(fields=["entity", "number"], name="activity_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class ParticipantRole(models.TextChoices):
    HOLDER = "holder", _("Holder")
    CO_MANAGER = "co_manager", _("Co-manager")
    VIEWER = "viewer", _("Viewer")


class ActivityParticipant(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="activity_roles")
    role = models.CharField(max_length=12, choices=ParticipantRole.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activity", "person"], name="activity_participant_once")
        ]

    def __str__(self) -> str:
        return f"{self.activity.number} {self.person} {self.role}"
