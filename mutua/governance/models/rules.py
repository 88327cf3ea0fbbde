"""The entity's governance rules: every legal rule of reference/governance.md is a setting here,
with the Belgian default (Companies and Associations Code book 6, accredited cooperative).

An entity without a row uses the defaults (`rules_of` in queries builds an unsaved one)."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from mutua.entities.models import Entity


class VoteWeight(models.TextChoices):
    MEMBER = "member", _("One member, one vote")
    SHARE = "share", _("One share, one vote (capped)")
    COLLEGE = "college", _("Weighted colleges")


class GovernanceRules(models.Model):
    entity = models.OneToOneField(Entity, on_delete=models.PROTECT, related_name="+")
    # Shares (6:120, 6:121)
    withdrawal_window_months = models.PositiveSmallIntegerField(
        _("withdrawals allowed in the first months of the financial year"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    # Assemblies
    convocation_days = models.PositiveSmallIntegerField(
        _("minimum days between convocation and assembly"), default=15
    )
    vote_weight = models.CharField(
        _("vote weight"), max_length=10, choices=VoteWeight.choices, default=VoteWeight.MEMBER
    )
    share_vote_cap = models.DecimalField(
        _("cap on one voter's share of the votes present or represented"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.1000"),
        validators=[MinValueValidator(Decimal("0.0001")), MaxValueValidator(Decimal(1))],
    )
    college_min = models.DecimalField(max_digits=5, decimal_places=4, default=Decimal("0.1000"))
    college_max = models.DecimalField(max_digits=5, decimal_places=4, default=Decimal("0.5000"))
    proxy_holder_must_be_shareholder = models.BooleanField(
        _("a proxy holder must be a shareholder"), default=False
    )
    proxy_instructions_bind = models.BooleanField(
        _("a proxy holder must follow the voting instructions given"), default=True
    )
    proxies_per_holder = models.PositiveSmallIntegerField(
        _("proxies one holder may carry (empty: no cap)"), null=True, blank=True
    )
    # Board
    board_max_seats = models.PositiveSmallIntegerField(_("board seats at most"), default=18)
    candidacy_closes_days = models.PositiveSmallIntegerField(
        _("candidacies close this many days before the assembly"), default=21
    )
    # Consultations
    supports_per_person = models.PositiveSmallIntegerField(
        _("supports one person may give per consultation"), default=10
    )

    def __str__(self) -> str:
        return f"rules of {self.entity_id}"
