"""Board elections by secret ballot.

Secrecy (docs/adr/0004-secret-ballots.md, election_box.py): who voted (VoterRecord) and what was
voted (Ballot) never meet. The voter's transaction writes their VoterRecord, an audit event that
says nothing of the ballot, and rewrites the election's BallotBox: one sealed (encrypted,
padded) row holding every ballot not yet published, reshuffled at each vote. The Ballot rows
are written only when the vote is counted, all in one transaction and in random order, with
random ids and no time: no transaction id, physical order, id or timestamp leads from a ballot
back to a voter. Each ballot carries a random tracker shown once to its voter, who can then find
it on the published board; anyone can download a constituency's ballots and recount them with
`mutua election count` (counting.py)."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mutua.entities.models import Entity
from mutua.governance.models.assemblies import Assembly
from mutua.governance.models.shares import Shareholder
from mutua.members.models import Person


class ElectionMethod(models.TextChoices):
    PLURALITY = "plurality", _("Choose up to N (the N with most votes win)")
    STV = "stv", _("Single transferable vote (Droop quota)")


class ElectionStatus(models.TextChoices):
    DRAFT = "draft", _("In preparation")
    CANDIDACY = "candidacy", _("Candidacies open")
    VOTING = "voting", _("Voting open")
    COUNTED = "counted", _("Counted and published")


class Election(models.Model):
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    assembly = models.ForeignKey(
        Assembly, null=True, blank=True, on_delete=models.PROTECT, related_name="elections"
    )
    title = models.CharField(_("title"), max_length=200)
    method = models.CharField(max_length=10, choices=ElectionMethod.choices)
    status = models.CharField(
        max_length=10, choices=ElectionStatus.choices, default=ElectionStatus.DRAFT
    )
    candidacy_opens = models.DateField(_("candidacies open"))
    candidacy_closes = models.DateField(_("candidacies close"))
    voting_opens = models.DateTimeField(_("voting opens"))
    voting_closes = models.DateTimeField(_("voting closes"))
    continuing_seats = models.PositiveSmallIntegerField(
        _("board seats not up for renewal"), default=0
    )
    counted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-voting_opens", "-id"]

    def __str__(self) -> str:
        return self.title


class Constituency(models.Model):
    """Seats elected by and among one group (members, permanent staff, contractors, partners):
    candidates and voters hold shares of `share_classes` (codes, comma-separated; empty: any)."""

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="constituencies")
    code = models.CharField(max_length=20)
    name = models.CharField(_("name"), max_length=100)
    seats = models.PositiveSmallIntegerField(_("seats"))
    share_classes = models.CharField(max_length=100, blank=True)
    result = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["election", "code"]
        constraints = [
            models.UniqueConstraint(fields=["election", "code"], name="constituency_once"),
            models.CheckConstraint(condition=Q(seats__gt=0), name="constituency_has_seats"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def class_codes(self) -> list[str]:
        return [code.strip() for code in self.share_classes.split(",") if code.strip()]


class CandidacyStatus(models.TextChoices):
    STANDING = "standing", _("Standing")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Candidacy(models.Model):
    constituency = models.ForeignKey(
        Constituency, on_delete=models.PROTECT, related_name="candidacies"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    holder = models.ForeignKey(Shareholder, on_delete=models.PROTECT, related_name="+")
    label = models.CharField(max_length=150, help_text=_("The name on the ballot and the board"))
    statement = models.TextField(_("statement"), blank=True)
    status = models.CharField(
        max_length=10, choices=CandidacyStatus.choices, default=CandidacyStatus.STANDING
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["constituency", "label"]
        constraints = [
            models.UniqueConstraint(fields=["constituency", "person"], name="candidacy_once"),
            models.UniqueConstraint(fields=["constituency", "label"], name="candidacy_label_once"),
        ]

    def __str__(self) -> str:
        return self.label


class VoterRecord(models.Model):
    """Who voted in an election: the only place a voter appears. No ballot, no tracker."""

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="+")
    holder = models.ForeignKey(Shareholder, on_delete=models.PROTECT, related_name="+")
    voted_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["election", "holder"], name="voter_votes_once")
        ]

    def __str__(self) -> str:
        return f"{self.holder_id} voted in {self.election_id}"


class BallotBox(models.Model):
    """The election's ballot box: the ballots cast and not yet published, sealed together
    (election_box.py). Rewritten whole, reshuffled, by each vote; emptied by the count. No
    voter, no time; its length says how many ballots it holds, nothing of what they say."""

    election = models.OneToOneField(Election, on_delete=models.PROTECT, related_name="+")
    sealed = models.BinaryField(default=b"", editable=False)

    def __str__(self) -> str:
        return f"ballot box of {self.election_id}"


class SealedBatch(models.Model):
    """Ballots taken at random out of a full ballot box, sealed together until the count (keeps
    the box small in a large election). A random id, no voter, no time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="+")
    sealed = models.BinaryField(editable=False)

    def __str__(self) -> str:
        return f"sealed batch of {self.election_id}"


class Ballot(models.Model):
    """What was voted: a random id, the tracker, the ranking. Nothing names or dates the voter;
    written only at the count, all of an election's ballots at once, in random order."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    constituency = models.ForeignKey(Constituency, on_delete=models.PROTECT, related_name="+")
    tracker = models.CharField(max_length=20)
    ranking = models.JSONField(help_text=_("candidate labels, most preferred first"))

    class Meta:
        ordering = ["constituency", "tracker"]
        constraints = [
            models.UniqueConstraint(fields=["constituency", "tracker"], name="ballot_tracker_once")
        ]

    def __str__(self) -> str:
        return self.tracker
