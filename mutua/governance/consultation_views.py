"""Consultation pages for members (propose, amend, comment, support) and the board (answers,
final report), and the public change log of each cooperative's rules."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutua.core import clock
from mutua.core.errors import DomainError, NotFound
from mutua.entities.models import Entity
from mutua.governance import consultation_actions as actions
from mutua.governance.models import AnswerStatus, Consultation, Proposal, RuleChange
from mutua.governance.queries import BOARD_ROLES, is_board
from mutua.governance.share_views import found
from mutua.members.queries import member_entities, person_of, staff_entities


def visible_consultations(user: Any) -> QuerySet[Consultation]:
    if not getattr(user, "is_authenticated", False):
        return Consultation.objects.none()
    mine = Q(entity__in=member_entities(user)) | Q(entity__in=staff_entities(user, BOARD_ROLES))
    return Consultation.objects.filter(mine).select_related("entity").distinct()


def access_consultation(user: Any, consultation_id: int) -> Consultation:
    consultation = visible_consultations(user).filter(pk=consultation_id).first()
    if consultation is None:
        raise NotFound("no such consultation")
    return consultation


def access_proposal(user: Any, proposal_id: int) -> Proposal:
    proposal = Proposal.objects.select_related("consultation").filter(pk=proposal_id).first()
    if proposal is None:
        raise NotFound("no such proposal")
    access_consultation(user, proposal.consultation_id)
    return proposal


@login_required
def consultation_list(request: HttpRequest) -> HttpResponse:
    consultations = visible_consultations(request.user)
    return render(request, "governance/consultations.html", {"consultations": consultations})


@login_required
def consultation_detail(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = found(lambda: access_consultation(request.user, consultation_id))
    person = person_of(request.user)
    proposals = (
        consultation.proposals.select_related("author", "amends")
        .annotate(
            support_count=Count("supports", distinct=True),
            mine=Count("supports", filter=Q(supports__person=person), distinct=True),
        )
        .prefetch_related("comments__author")
        .order_by("-support_count", "created_at")
    )
    return render(
        request,
        "governance/consultation.html",
        {
            "consultation": consultation,
            "phase": actions.phase_on(consultation, clock.today()),
            "phases": consultation.phases.all(),
            "proposals": proposals,
            "is_board": is_board(request.user, consultation.entity),
            "statuses": [s for s in AnswerStatus.choices if s[0] != AnswerStatus.WAITING],
        },
    )


def _done(request: HttpRequest, consultation_id: int, run: Any, success: str) -> HttpResponse:
    try:
        run()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect("governance:consultation", consultation_id=consultation_id)


@login_required
@require_POST
def propose(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = found(lambda: access_consultation(request.user, consultation_id))
    amends = None
    if request.POST.get("amends"):
        amends = consultation.proposals.filter(pk=_int(request.POST["amends"])).first()
        if amends is None:
            raise Http404("no such proposal")
    return _done(
        request,
        consultation.pk,
        lambda: actions.submit_proposal(
            consultation=consultation,
            title=request.POST.get("title", ""),
            body=request.POST.get("body", ""),
            amends=amends,
            acting_user=request.user,
        ),
        _("Your proposal is published."),
    )


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@login_required
@require_POST
def proposal_step(request: HttpRequest, proposal_id: int, step: str) -> HttpResponse:
    proposal = found(lambda: access_proposal(request.user, proposal_id))
    steps = {
        "support": (
            lambda: actions.support_proposal(proposal=proposal, acting_user=request.user),
            _("Your support is counted."),
        ),
        "unsupport": (
            lambda: actions.withdraw_support(proposal=proposal, acting_user=request.user),
            _("Your support is withdrawn."),
        ),
        "comment": (
            lambda: actions.comment_proposal(
                proposal=proposal, body=request.POST.get("body", ""), acting_user=request.user
            ),
            _("Your comment is published."),
        ),
        "answer": (
            lambda: actions.answer_proposal(
                proposal=proposal,
                status=request.POST.get("status", ""),
                answer=request.POST.get("answer", ""),
                acting_user=request.user,
            ),
            _("The answer is published."),
        ),
    }
    if step not in steps:
        raise Http404("no such step")
    run, success = steps[step]
    return _done(request, proposal.consultation_id, run, success)


@login_required
@require_POST
def final_report(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = found(lambda: access_consultation(request.user, consultation_id))
    return _done(
        request,
        consultation.pk,
        lambda: actions.publish_final_report(
            consultation=consultation,
            report=request.POST.get("report", ""),
            acting_user=request.user,
        ),
        _("The final report is published."),
    )


def rule_log(request: HttpRequest, entity_code: str) -> HttpResponse:
    """Public: every announced change of the cooperative's rules, with its notice."""
    entity = Entity.objects.filter(code=entity_code).first()
    if entity is None:
        raise Http404("no such cooperative")
    changes = RuleChange.objects.filter(entity=entity).select_related("assembly", "consultation")
    return render(
        request,
        "governance/rule_log.html",
        {
            "entity": entity,
            "changes": changes,
            "today": clock.today(),
        },
    )
