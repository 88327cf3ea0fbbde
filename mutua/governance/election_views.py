"""Election pages: members stand and vote (secret ballot, tracker shown once); the board sets
up and counts; anyone reads the published board, finds a ballot by tracker and downloads the
ballot file to recount it with `mutua election count`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutua.core import clock
from mutua.core.charts import bar_chart_svg
from mutua.core.errors import DomainError, InvalidInput
from mutua.governance import election_actions as actions
from mutua.governance import election_queries as q
from mutua.governance.forms import ElectionForm
from mutua.governance.models import Election, ElectionMethod
from mutua.governance.queries import is_board
from mutua.governance.share_views import found


@login_required
def election_list(request: HttpRequest) -> HttpResponse:
    form = ElectionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            election = actions.create_election(acting_user=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("governance:election", election_id=election.pk)
    elections = q.visible_elections(request.user).order_by("-voting_opens")
    can_create = form.fields["entity"].queryset.exists()  # type: ignore[attr-defined]
    return render(
        request,
        "governance/elections.html",
        {"elections": elections, "form": form, "can_create": can_create},
    )


def _phase(election: Election, now: dt.datetime) -> str:
    if election.status == "counted":
        return "counted"
    if election.candidacy_opens <= timezone.localdate(now) <= election.candidacy_closes:
        return "candidacy"
    if election.voting_opens <= now < election.voting_closes:
        return "voting"
    return "closed" if now >= election.voting_closes else "waiting"


@login_required
def election_detail(request: HttpRequest, election_id: int) -> HttpResponse:
    election = found(lambda: q.access_election(request.user, election_id))
    seats = [
        {"seat": seat, "candidates": list(q.standing(seat))}
        for seat in election.constituencies.all()
    ]
    return render(
        request,
        "governance/election.html",
        {
            "election": election,
            "seats": seats,
            "phase": _phase(election, clock.now()),
            "voted": q.has_voted(request.user, election),
            "is_board": is_board(request.user, election.entity),
            "stv": election.method == ElectionMethod.STV,
        },
    )


@login_required
@require_POST
def stand(request: HttpRequest, election_id: int) -> HttpResponse:
    election = found(lambda: q.access_election(request.user, election_id))
    seat = election.constituencies.filter(pk=_int(request.POST.get("constituency"))).first()
    if seat is None:
        raise Http404("no such constituency")
    try:
        actions.stand_for_election(
            constituency=seat,
            acting_user=request.user,
            statement=request.POST.get("statement", "")[:5000],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your candidacy is recorded."))
    return redirect("governance:election", election_id=election.pk)


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _choices(request: HttpRequest, election: Election) -> dict[int, list[int]]:
    """Read the ballot form: ranks for STV (rank-<seat>-<candidate>), ticks for plurality."""
    choices: dict[int, list[int]] = {}
    for seat in election.constituencies.all():
        if election.method == ElectionMethod.PLURALITY:
            choices[seat.pk] = [_int(v) for v in request.POST.getlist(f"pick-{seat.pk}")]
            continue
        ranks: dict[int, int] = {}
        for candidate in q.standing(seat):
            rank = _int(request.POST.get(f"rank-{seat.pk}-{candidate.pk}"))
            if rank > 0:
                if rank in ranks:
                    raise InvalidInput(_("Give each rank to one candidate only."))
                ranks[rank] = candidate.pk
        choices[seat.pk] = [ranks[rank] for rank in sorted(ranks)]
    return choices


@login_required
@require_POST
def vote(request: HttpRequest, election_id: int) -> HttpResponse:
    election = found(lambda: q.access_election(request.user, election_id))
    try:
        tracker = actions.cast_ballot(
            election=election, choices=_choices(request, election), acting_user=request.user
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("governance:election", election_id=election.pk)
    # Shown once, never stored with the voter: the voter notes it to find the ballot later.
    return render(request, "governance/voted.html", {"election": election, "tracker": tracker})


@login_required
@require_POST
def count(request: HttpRequest, election_id: int) -> HttpResponse:
    election = found(lambda: q.access_board_election(request.user, election_id))
    try:
        actions.count_election(election=election, acting_user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("governance:election", election_id=election.pk)
    return redirect("governance:board", election_id=election.pk)


# --- public board ------------------------------------------------------------------------------
def board(request: HttpRequest, election_id: int) -> HttpResponse:
    election = found(lambda: q.published_election(election_id))
    wanted = request.GET.get("tracker", "").strip().lower()
    seats = [
        {
            "seat": seat,
            "ballots": list(q.board_ballots(seat)),
            "mine": list(q.board_ballots(seat).filter(tracker=wanted)) if wanted else [],
            "chart": _tally_chart(seat),
        }
        for seat in election.constituencies.all()
    ]
    return render(
        request, "governance/board.html", {"election": election, "seats": seats, "tracker": wanted}
    )


def _tally_chart(seat: Any) -> str:
    """First-round votes per candidate (plurality: the votes), as bars with their numbers."""
    result = seat.result or {}
    votes = result.get("tallies") or (result.get("rounds") or [{}])[0].get("tallies", {})
    points = [(name, Decimal(str(value))) for name, value in votes.items()]
    chart = bar_chart_svg(points, title=seat.name, chart_id=f"seat-{seat.pk}")
    return mark_safe(chart)  # noqa: S308 (built from escaped parts by core.charts)


def board_file(request: HttpRequest, election_id: int, constituency_id: int) -> HttpResponse:
    election = found(lambda: q.published_election(election_id))
    seat = election.constituencies.filter(pk=constituency_id).first()
    if seat is None:
        raise Http404("no such constituency")
    response = HttpResponse(q.ballot_file(seat), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="ballots-{election.pk}-{seat.code}.csv"'
    )
    return response
