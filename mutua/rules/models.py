"""Legal parameter sets loaded by staff without a release: one row per uploaded file.

A payroll officer (or an administrator) proposes a file; another administrator approves it or
refuses it. The row keeps the file as uploaded, its digest and the differences to the set that
was in force when it was proposed, so the approver decides on what the page showed. A decided
row is never changed: a corrected file is a new upload. Only mutua.rules.actions writes here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mutua.countries.parameters import STATUSES


class UploadState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


# A file may be proposed again once refused, never twice while it waits or once it is in force.
LIVE_STATES = (UploadState.PROPOSED, UploadState.APPROVED)


class ParameterSetUpload(models.Model):
    country = models.CharField(_("country"), max_length=2)
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status of the values"), max_length=12, choices=[(s, s) for s in STATUSES]
    )
    text = models.TextField(_("file"))
    sha256 = models.CharField(max_length=64)
    state = models.CharField(
        _("state"), max_length=10, choices=UploadState.choices, default=UploadState.PROPOSED
    )
    differences = models.JSONField(
        _("differences"), default=dict, help_text=_("Against the set in force when proposed")
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    refusal_reason = models.CharField(_("reason for refusal"), max_length=500, blank=True)

    class Meta:
        ordering = ["country", "-year", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "sha256"],
                condition=Q(state__in=LIVE_STATES),
                name="parameter_upload_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.year} ({self.status}) #{self.pk}"

    @property
    def origin(self) -> str:
        """How the book names this set (ParameterSet.origin)."""
        return f"loaded #{self.pk}"
