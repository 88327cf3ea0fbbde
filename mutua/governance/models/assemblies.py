"""General assemblies: convocation, agenda, documents, roll and attendance, proxies, votes.

The roll (Participant) is taken from the share register when the assembly is convened, with each
voter's weight; the agenda is frozen from then on. One vote per participant and item is a unique
constraint, so two votes sent at once cannot both count."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mutua.entities.models import Entity
from mutua.governance.models.rules import VoteWeight
from mutua.governance.models.shares import Shareholder
from mutua.members.models import Person


class AssemblyKind(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary general assembly")
    EXTRAORDINARY = "extraordinary", _("Extraordinary general assembly")


class AssemblyStatus(models.TextChoices):
    DRAFT = "draft", _("In preparation")
    CONVENED = "convened", _("Convened")
    OPEN = "open", _("In session")
    CLOSED = "closed", _("Closed")


class College(models.Model):
    """A voting college (SCOP/SCIC style): its members' votes weigh `weight` of the total."""

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=100)
    weight = models.DecimalField(max_digits=5, decimal_places=4)

    class Meta:
        ordering = ["entity", "code"]
        constraints = [models.UniqueConstraint(fields=["entity", "code"], name="college_once")]

    def __str__(self) -> str:
        return self.name


class Assembly(models.Model):
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=14, choices=AssemblyKind.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    stream_url = models.URLField(_("stream link"), blank=True)
    status = models.CharField(
        max_length=10, choices=AssemblyStatus.choices, default=AssemblyStatus.DRAFT
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    first_convocation = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="second_convocations"
    )
    # Rules copied from the entity's when created, so a later change of rules does not alter it.
    convocation_days = models.PositiveSmallIntegerField(default=15)
    vote_weight = models.CharField(max_length=10, choices=VoteWeight.choices)
    share_vote_cap = models.DecimalField(max_digits=5, decimal_places=4, default=Decimal("0.1"))
    proxies_per_holder = models.PositiveSmallIntegerField(null=True, blank=True)
    proxy_holder_must_be_shareholder = models.BooleanField(default=False)
    proxy_instructions_bind = models.BooleanField(default=True)
    convened_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    minutes_pdf = models.BinaryField(null=True, blank=True, editable=False)
    minutes_digest = models.CharField(max_length=64, blank=True)
    minutes_signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name_plural = "assemblies"

    def __str__(self) -> str:
        return self.title

    @property
    def is_second_convocation(self) -> bool:
        return self.first_convocation_id is not None


class Majority(models.TextChoices):
    SIMPLE = "simple", _("Simple majority")
    ABSOLUTE = "absolute", _("Absolute majority")
    TWO_THIRDS = "two_thirds", _("Two-thirds majority")
    THREE_QUARTERS = "three_quarters", _("Three-quarters majority")
    UNANIMITY = "unanimity", _("Unanimity")


class MajorityBase(models.TextChoices):
    CAST = "cast", _("of the votes cast")
    PRESENT = "present", _("of the votes present or represented")
    ELIGIBLE = "eligible", _("of all votes")


class QuorumKind(models.TextChoices):
    NONE = "none", _("No quorum")
    MEMBERS = "members", _("Share of the members present or represented")
    SHARES = "shares", _("Share of the shares present or represented")


class ItemStatus(models.TextChoices):
    PENDING = "pending", _("Not yet open")
    OPEN = "open", _("Vote open")
    CLOSED = "closed", _("Closed")


class AgendaItem(models.Model):
    assembly = models.ForeignKey(Assembly, on_delete=models.PROTECT, related_name="items")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(_("title"), max_length=300)
    resolution = models.TextField(_("proposed resolution"), blank=True)
    needs_vote = models.BooleanField(_("put to the vote"), default=True)
    majority = models.CharField(max_length=16, choices=Majority.choices, default=Majority.SIMPLE)
    majority_base = models.CharField(
        max_length=10, choices=MajorityBase.choices, default=MajorityBase.CAST
    )
    quorum_kind = models.CharField(max_length=10, choices=QuorumKind.choices, default="none")
    quorum = models.DecimalField(max_digits=5, decimal_places=4, default=Decimal("0"))
    status = models.CharField(max_length=10, choices=ItemStatus.choices, default="pending")
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    votes_for = models.DecimalField(max_digits=20, decimal_places=6, default=Decimal(0))
    votes_against = models.DecimalField(max_digits=20, decimal_places=6, default=Decimal(0))
    votes_abstain = models.DecimalField(max_digits=20, decimal_places=6, default=Decimal(0))
    quorum_met = models.BooleanField(null=True)
    adopted = models.BooleanField(null=True)

    class Meta:
        ordering = ["assembly", "position"]
        constraints = [
            models.UniqueConstraint(fields=["assembly", "position"], name="agenda_position_once"),
            models.UniqueConstraint(
                fields=["assembly"], condition=Q(status="open"), name="agenda_one_item_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class AssemblyDocument(models.Model):
    assembly = models.ForeignKey(Assembly, on_delete=models.PROTECT, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    content = models.BinaryField()
    digest = models.CharField(max_length=64)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assembly", "id"]

    def __str__(self) -> str:
        return self.title


class Attendance(models.TextChoices):
    ABSENT = "absent", _("Absent")
    ONSITE = "onsite", _("Present on site")
    ONLINE = "online", _("Present online")
    PROXY = "proxy", _("Represented by proxy")
    ADVANCE = "advance", _("Voted in advance")


PRESENT = (Attendance.ONSITE, Attendance.ONLINE, Attendance.PROXY, Attendance.ADVANCE)


class Participant(models.Model):
    """One line of the roll: a shareholder entitled to vote, with their weight."""

    assembly = models.ForeignKey(Assembly, on_delete=models.PROTECT, related_name="participants")
    holder = models.ForeignKey(Shareholder, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    shares = models.PositiveIntegerField(default=0)
    weight = models.DecimalField(max_digits=20, decimal_places=6)
    college = models.CharField(max_length=20, blank=True)
    attendance = models.CharField(
        max_length=8, choices=Attendance.choices, default=Attendance.ABSENT
    )
    proxy_holder = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proxy_given_at = models.DateTimeField(null=True, blank=True)
    proxy_instructions = models.JSONField(
        default=dict,
        blank=True,
        help_text=_("Voting instructions per item id: for/against/abstain"),
    )
    convocation_sent_at = models.DateTimeField(null=True, blank=True)
    convocation_channel = models.CharField(max_length=10, blank=True)
    convocation_proof = models.CharField(
        _("proof of sending"),
        max_length=100,
        blank=True,
        help_text=_("Recorded-mail number, or the digest of the e-mail sent"),
    )

    class Meta:
        ordering = ["assembly", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assembly", "holder"], name="participant_once")
        ]
        indexes = [
            models.Index(fields=["assembly", "person"]),
            models.Index(fields=["assembly", "proxy_holder"]),
        ]

    def __str__(self) -> str:
        return f"{self.holder_id} at {self.assembly_id}"


class Choice(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    ABSTAIN = "abstain", _("Abstain")


class Vote(models.Model):
    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="votes")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="votes")
    choice = models.CharField(max_length=8, choices=Choice.choices)
    cast_by = models.ForeignKey(Person, null=True, on_delete=models.PROTECT, related_name="+")
    cast_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "participant"], name="vote_once_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.choice} on {self.item_id}"
