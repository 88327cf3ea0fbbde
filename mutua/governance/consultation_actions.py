"""Actions of participatory consultations and of the public log of rule changes.

What a member may do depends on the phase in force that day (proposals, amendments, comments,
supports); supports are capped per person and consultation (`supports_per_person`, 10 by
default); the board answers each proposal with a status and publishes a final report. A rule
change is published before it applies: members never learn of it after the fact."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from mutua.core import audit, clock
from mutua.core.audit import action
from mutua.core.errors import AccessDenied, InvalidInput, RuleViolation, StateConflict
from mutua.entities.models import Entity
from mutua.governance.common import require_role
from mutua.governance.models import (
    AnswerStatus,
    Assembly,
    Comment,
    Consultation,
    Phase,
    Proposal,
    RuleCategory,
    RuleChange,
    Support,
)
from mutua.governance.queries import BOARD_ROLES, rules_of
from mutua.members.models import MembershipStatus, Person
from mutua.members.queries import person_of


@dataclass(frozen=True)
class PhaseSpec:
    name: str
    starts_on: dt.date
    ends_on: dt.date
    proposals: bool = False
    amendments: bool = False
    comments: bool = False
    supports: bool = False


def _log(actor: Any, name: str, subject: Any, entity_id: int, **after: Any) -> None:
    audit.record(actor=actor, action=name, subject=subject, entity_id=entity_id, after=after)


@action("governance.create_consultation")
def create_consultation(
    *,
    entity: Entity,
    title: str,
    phases: Sequence[PhaseSpec],
    acting_user: Any,
    description: str = "",
) -> Consultation:
    require_role(acting_user, BOARD_ROLES, entity, "only the board opens consultations")
    if not title.strip() or not phases:
        raise InvalidInput("a consultation needs a title and at least one phase", field="title")
    ordered = sorted(phases, key=lambda phase: phase.starts_on)
    for before, after in itertools.pairwise(ordered):
        if after.starts_on <= before.ends_on:
            raise InvalidInput("phases follow one another without overlapping", field="phases")
    if any(phase.ends_on < phase.starts_on for phase in ordered):
        raise InvalidInput("a phase ends after it starts", field="phases")
    consultation = Consultation.objects.create(
        entity=entity, title=title.strip(), description=description
    )
    Phase.objects.bulk_create(
        Phase(consultation=consultation, **phase.__dict__) for phase in ordered
    )
    _log(
        acting_user, "governance.create_consultation", consultation, entity.pk, phases=len(ordered)
    )
    return consultation


def phase_on(consultation: Consultation, on: dt.date) -> Phase | None:
    return consultation.phases.filter(starts_on__lte=on, ends_on__gte=on).first()


def _participant(consultation: Consultation, actor: Any) -> Person:
    person = person_of(actor)
    if (
        person is None
        or not person.memberships.filter(
            entity_id=consultation.entity_id, status=MembershipStatus.ACTIVE
        ).exists()
    ):
        raise AccessDenied("the cooperative's members take part in its consultations")
    return person


def _allowed(consultation: Consultation, on: dt.date, what: str, label: str) -> None:
    phase = phase_on(consultation, on)
    if phase is None or not getattr(phase, what):
        raise RuleViolation(f"{label} are not open in this phase")


@action("governance.submit_proposal")
def submit_proposal(
    *,
    consultation: Consultation,
    title: str,
    body: str,
    acting_user: Any,
    amends: Proposal | None = None,
    on: dt.date | None = None,
) -> Proposal:
    on = on or clock.today()
    author = _participant(consultation, acting_user)
    if amends is not None:
        if amends.consultation_id != consultation.pk:
            raise InvalidInput("an amendment amends a proposal of this consultation")
        _allowed(consultation, on, "amendments", "amendments")
    else:
        _allowed(consultation, on, "proposals", "proposals")
    if not title.strip() or not body.strip():
        raise InvalidInput("a proposal needs a title and a text", field="title")
    proposal = Proposal.objects.create(
        consultation=consultation,
        author=author,
        amends=amends,
        title=title.strip()[:200],
        body=body.strip(),
    )
    _log(acting_user, "governance.submit_proposal", proposal, consultation.entity_id)
    return proposal


@action("governance.comment_proposal")
def comment_proposal(
    *, proposal: Proposal, body: str, acting_user: Any, on: dt.date | None = None
) -> Comment:
    consultation = proposal.consultation
    author = _participant(consultation, acting_user)
    _allowed(consultation, on or clock.today(), "comments", "comments")
    if not body.strip():
        raise InvalidInput("write a comment", field="body")
    comment = Comment.objects.create(proposal=proposal, author=author, body=body.strip())
    _log(acting_user, "governance.comment_proposal", comment, consultation.entity_id)
    return comment


@action("governance.support_proposal")
def support_proposal(*, proposal: Proposal, acting_user: Any, on: dt.date | None = None) -> Support:
    """Support a proposal once; at most `supports_per_person` supports per consultation."""
    consultation = proposal.consultation
    person = _participant(consultation, acting_user)
    _allowed(consultation, on or clock.today(), "supports", "supports")
    Person.objects.select_for_update().filter(pk=person.pk).first()  # one cap check at a time
    cap = rules_of(consultation.entity).supports_per_person
    given = Support.objects.filter(consultation=consultation, person=person).count()
    if given >= cap:
        raise RuleViolation(f"you have given your {cap} supports in this consultation")
    try:
        with transaction.atomic():
            support = Support.objects.create(
                proposal=proposal, person=person, consultation=consultation
            )
    except IntegrityError as exc:
        raise StateConflict("you already support this proposal") from exc
    _log(acting_user, "governance.support_proposal", support, consultation.entity_id)
    return support


@action("governance.withdraw_support")
def withdraw_support(*, proposal: Proposal, acting_user: Any, on: dt.date | None = None) -> int:
    consultation = proposal.consultation
    person = _participant(consultation, acting_user)
    _allowed(consultation, on or clock.today(), "supports", "supports")
    removed, _ = Support.objects.filter(proposal=proposal, person=person).delete()
    _log(
        acting_user,
        "governance.withdraw_support",
        proposal,
        consultation.entity_id,
        removed=removed,
    )
    return removed


@action("governance.answer_proposal")
def answer_proposal(*, proposal: Proposal, status: str, answer: str, acting_user: Any) -> Proposal:
    """The board's official answer: a status and the reasons."""
    require_role(acting_user, BOARD_ROLES, proposal.consultation.entity, "only the board answers")
    if status not in AnswerStatus.values or status == AnswerStatus.WAITING:
        raise InvalidInput("choose the answer's status", field="status")
    if not answer.strip():
        raise InvalidInput("an official answer gives its reasons", field="answer")
    proposal.status, proposal.answer, proposal.answered_at = status, answer.strip(), clock.now()
    proposal.save(update_fields=["status", "answer", "answered_at"])
    _log(
        acting_user,
        "governance.answer_proposal",
        proposal,
        proposal.consultation.entity_id,
        status=status,
    )
    return proposal


@action("governance.publish_final_report")
def publish_final_report(
    *, consultation: Consultation, report: str, acting_user: Any, on: dt.date | None = None
) -> Consultation:
    require_role(acting_user, BOARD_ROLES, consultation.entity, "only the board reports")
    if not report.strip():
        raise InvalidInput("write the report", field="report")
    waiting = consultation.proposals.filter(status=AnswerStatus.WAITING).count()
    if waiting:
        raise RuleViolation(f"{waiting} proposals still await an official answer")
    consultation.final_report = report.strip()
    consultation.report_published_on = on or clock.today()
    consultation.save(update_fields=["final_report", "report_published_on"])
    _log(acting_user, "governance.publish_final_report", consultation, consultation.entity_id)
    return consultation


@action("governance.publish_rule_change")
def publish_rule_change(
    *,
    entity: Entity,
    category: str,
    title: str,
    description: str,
    effective_on: dt.date,
    decision: str,
    acting_user: Any,
    assembly: Assembly | None = None,
    consultation: Consultation | None = None,
    on: dt.date | None = None,
) -> RuleChange:
    """Announce a change of the cooperative's rules on the public log, before it applies."""
    require_role(acting_user, BOARD_ROLES, entity, "only the board publishes rule changes")
    on = on or clock.today()
    if category not in RuleCategory.values:
        raise InvalidInput("choose what kind of rule changes", field="category")
    if effective_on < on:
        raise RuleViolation(
            "a rule change is announced before it applies, never after", field="effective_on"
        )
    if not (title.strip() and description.strip() and decision.strip()):
        raise InvalidInput("say what changes and who decided it", field="decision")
    change = RuleChange.objects.create(
        entity=entity,
        category=category,
        title=title.strip(),
        description=description.strip(),
        effective_on=effective_on,
        notice_given_on=on,
        decision=decision.strip(),
        assembly=assembly,
        consultation=consultation,
    )
    _log(
        acting_user,
        "governance.publish_rule_change",
        change,
        entity.pk,
        effective_on=effective_on,
        notice_days=(effective_on - on).days,
    )
    return change


@action("governance.record_parameter_change")
def record_parameter_change(
    *,
    entity: Entity,
    title: str,
    description: str,
    effective_on: dt.date,
    decision: str,
    acting_user: Any,
    on: dt.date | None = None,
) -> RuleChange:
    """Log a change of the legal payroll parameters on the entity's public change log.

    No board role is checked: the approval of the parameter set (mutua.rules, by a second
    person) is the decision. And unlike the cooperative's own rules, such a change may be
    logged after it applies: it is the law, published when the authority publishes it (often
    late in December, sometimes after 1 January, with retroactive effect), not a rule the
    cooperative could have announced in advance."""
    on = on or clock.today()
    change = RuleChange.objects.create(
        entity=entity,
        category=RuleCategory.OTHER,
        title=title.strip()[:200],
        description=description.strip(),
        effective_on=effective_on,
        notice_given_on=on,
        decision=decision.strip()[:300],
    )
    _log(
        acting_user,
        "governance.record_parameter_change",
        change,
        entity.pk,
        effective_on=effective_on,
        notice_days=(effective_on - on).days,
    )
    return change
