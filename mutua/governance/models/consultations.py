"""Participatory consultations (SMart in Progress style) and the public log of rule changes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from mutua.entities.models import Entity
from mutua.governance.models.assemblies import Assembly
from mutua.members.models import Person


class Consultation(models.Model):
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    final_report = models.TextField(_("final report"), blank=True)
    report_published_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Phase(models.Model):
    """A stretch of the consultation and what members may do in it."""

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="phases")
    name = models.CharField(_("name"), max_length=100)
    starts_on = models.DateField()
    ends_on = models.DateField()
    proposals = models.BooleanField(_("proposals"), default=False)
    amendments = models.BooleanField(_("amendments"), default=False)
    comments = models.BooleanField(_("comments"), default=False)
    supports = models.BooleanField(_("supports"), default=False)

    class Meta:
        ordering = ["consultation", "starts_on", "id"]

    def __str__(self) -> str:
        return self.name


class AnswerStatus(models.TextChoices):
    WAITING = "waiting", _("Awaiting an answer")
    STUDYING = "studying", _("Under study")
    ACCEPTED = "accepted", _("Accepted")
    PARTLY = "partly", _("Partly accepted")
    REJECTED = "rejected", _("Not retained")


class Proposal(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="proposals"
    )
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    amends = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="amendments"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("proposal"))
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=10, choices=AnswerStatus.choices, default=AnswerStatus.WAITING
    )
    answer = models.TextField(_("official answer"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["consultation", "created_at", "id"]

    def __str__(self) -> str:
        return self.title


class Comment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["proposal", "created_at", "id"]

    def __str__(self) -> str:
        return f"comment {self.pk}"


class Support(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="supports")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "person"], name="support_once")]
        indexes = [models.Index(fields=["consultation", "person"])]

    def __str__(self) -> str:
        return f"support {self.pk}"


class RuleCategory(models.TextChoices):
    FEES = "fees", _("Fees")
    CONTRACTS = "contracts", _("Contract types")
    FUND = "fund", _("Guarantee fund policy")
    STATUTES = "statutes", _("Statutes and internal rules")
    OTHER = "other", _("Other")


class RuleChange(models.Model):
    """One line of the public change log: what changes, when it applies, the notice given, and
    the decision or consultation behind it. Published before it applies, never after."""

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=10, choices=RuleCategory.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what changes"))
    effective_on = models.DateField(_("applies from"))
    notice_given_on = models.DateField(_("announced on"))
    decision = models.CharField(_("decided by"), max_length=300)
    assembly = models.ForeignKey(
        Assembly, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    consultation = models.ForeignKey(
        Consultation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["entity", "-effective_on", "-id"]

    def __str__(self) -> str:
        return self.title
