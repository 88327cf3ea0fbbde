"""Assembly pages. Members: upcoming assemblies, convocation and documents, proxy, online
attendance and votes. Chair and board: preparation, the session (items opened and closed one at
a time, live results polled by htmx, stream link) and the minutes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutua.core import clock
from mutua.core.charts import bar_chart_svg
from mutua.core.errors import DomainError, NotFound
from mutua.core.forms import add_domain_error
from mutua.governance import assembly_actions as actions
from mutua.governance import assembly_queries as q
from mutua.governance.forms import AgendaItemForm, AssemblyForm, ProxyForm, StreamForm
from mutua.governance.models import AgendaItem, Assembly, ItemStatus, Participant
from mutua.governance.queries import is_board
from mutua.governance.share_views import attachment, found
from mutua.members.models import Membership


@login_required
def assembly_list(request: HttpRequest) -> HttpResponse:
    assemblies = q.visible_assemblies(request.user).select_related("entity").order_by("-starts_at")
    boards = q.board_assemblies(request.user).exists()
    return render(
        request,
        "governance/assemblies.html",
        {"assemblies": assemblies, "can_create": boards, "form": AssemblyForm(user=request.user)},
    )


@login_required
@require_POST
def assembly_create(request: HttpRequest) -> HttpResponse:
    form = AssemblyForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            assembly = actions.create_assembly(acting_user=request.user, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("governance:chair", assembly_id=assembly.pk)
    else:
        messages.error(request, _("Check the assembly's entity, title and date."))
    return redirect("governance:assemblies")


def _item_context(request: HttpRequest, assembly: Assembly, item: AgendaItem) -> dict[str, Any]:
    lines = q.voting_for(request.user, assembly)
    chosen = q.votes_of(lines, item)
    return {
        "item": item,
        "lines": [(line, chosen.get(line.pk)) for line in lines],
        "votable": _votable(assembly, item),
    }


def _votable(assembly: Assembly, item: AgendaItem) -> bool:
    if not item.needs_vote:
        return False
    advance = assembly.status == "convened" and item.status == ItemStatus.PENDING
    return advance or (assembly.status == "open" and item.status == ItemStatus.OPEN)


@login_required
def assembly_detail(request: HttpRequest, assembly_id: int) -> HttpResponse:
    assembly = found(lambda: q.access_assembly(request.user, assembly_id))
    items = [_item_context(request, assembly, item) for item in assembly.items.order_by("position")]
    own = [
        line
        for line in q.voting_for(request.user, assembly)
        if line.person_id and line.person and line.person.user_id == request.user.pk
    ]
    return render(
        request,
        "governance/assembly.html",
        {
            "assembly": assembly,
            "items": items,
            "own": own,
            "documents": assembly.documents.only("pk", "title", "file_name"),
            "proxy_form": ProxyForm(),
            "is_chair": _is_chair(request, assembly),
        },
    )


def _is_chair(request: HttpRequest, assembly: Assembly) -> bool:
    return assembly.chair_id == request.user.pk or is_board(request.user, assembly.entity)


@login_required
def document(request: HttpRequest, assembly_id: int, document_id: int) -> HttpResponse:
    assembly = found(lambda: q.access_assembly(request.user, assembly_id))
    doc = assembly.documents.filter(pk=document_id).first()
    if doc is None:
        raise Http404("no such document")
    return attachment(bytes(doc.content), doc.file_name, doc.content_type)


def _own_line(request: HttpRequest, assembly: Assembly, participant_id: Any) -> Participant:
    lines = {str(line.pk): line for line in q.voting_for(request.user, assembly)}
    line = lines.get(str(participant_id))
    if line is None:
        raise Http404("not on your roll")
    return line


@login_required
@require_POST
def vote(request: HttpRequest, item_id: int) -> HttpResponse:
    item = found(lambda: q.access_item(request.user, item_id))
    line = _own_line(request, item.assembly, request.POST.get("participant"))
    error = ""
    try:
        actions.cast_vote(
            item=item,
            participant=line,
            choice=request.POST.get("choice", ""),
            acting_user=request.user,
        )
    except DomainError as exc:
        error = exc.message
    if request.headers.get("HX-Request"):
        context = _item_context(request, item.assembly, item) | {
            "error": error,
            "assembly": item.assembly,
        }
        return render(request, "governance/_item_vote.html", context)
    if error:
        messages.error(request, error)
    return redirect("governance:assembly", assembly_id=item.assembly_id)


@login_required
@require_POST
def proxy(request: HttpRequest, assembly_id: int) -> HttpResponse:
    assembly = found(lambda: q.access_assembly(request.user, assembly_id))
    line = _own_line(request, assembly, request.POST.get("participant"))
    form = ProxyForm(request.POST)
    if form.is_valid():
        holder = (
            Membership.objects.filter(
                entity=assembly.entity, number=form.cleaned_data["member_number"]
            )
            .select_related("person")
            .first()
        )
        try:
            if holder is None:
                raise NotFound(_("No member has this number."))
            actions.give_proxy(
                participant=line,
                holder=holder.person,
                acting_user=request.user,
                instructions=_instructions(request, assembly),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Your proxy is given."))
    return redirect("governance:assembly", assembly_id=assembly.pk)


def _instructions(request: HttpRequest, assembly: Assembly) -> dict[int, str]:
    """Voting instructions from the proxy form: one optional choice per item."""
    given = {}
    for item in assembly.items.filter(needs_vote=True):
        choice = request.POST.get(f"instruction-{item.pk}", "")
        if choice:
            given[item.pk] = choice
    return given


@login_required
@require_POST
def join_online(request: HttpRequest, assembly_id: int) -> HttpResponse:
    assembly = found(lambda: q.access_assembly(request.user, assembly_id))
    line = _own_line(request, assembly, request.POST.get("participant"))
    try:
        actions.check_in(participant=line, mode="online", acting_user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("governance:assembly", assembly_id=assembly.pk)


# --- chair -------------------------------------------------------------------------------------
@login_required
def chair(request: HttpRequest, assembly_id: int) -> HttpResponse:
    assembly = found(lambda: q.access_board_assembly(request.user, assembly_id))
    return render(
        request,
        "governance/chair.html",
        {
            "assembly": assembly,
            "items": assembly.items.order_by("position"),
            "documents": assembly.documents.only("pk", "title", "file_name"),
            "item_form": AgendaItemForm(),
            "stream_form": StreamForm(initial={"url": assembly.stream_url}),
            "attendance": q.attendance_summary(assembly),
            "roll": assembly.participants.count(),
            "live": _live(assembly),
        },
    )


def _live(assembly: Assembly) -> dict[str, Any] | None:
    item = assembly.items.filter(status=ItemStatus.OPEN).first()
    if item is None:
        return None
    count = q.item_count(item)
    bars = [(_("For"), count.for_), (_("Against"), count.against), (_("Abstain"), count.abstain)]
    chart = bar_chart_svg(bars, title=item.title, chart_id=f"live-{item.pk}")
    return {"item": item, "count": count, "voted": item.votes.count(), "chart": mark_safe(chart)}  # noqa: S308


@login_required
def chair_live(request: HttpRequest, assembly_id: int) -> HttpResponse:
    assembly = found(lambda: q.access_board_assembly(request.user, assembly_id))
    return render(request, "governance/_live.html", {"assembly": assembly, "live": _live(assembly)})


CHAIR_STEPS = {
    "convene": lambda a, u, p: actions.convene_assembly(assembly=a, acting_user=u),
    "open": lambda a, u, p: actions.open_assembly(assembly=a, acting_user=u),
    "close": lambda a, u, p: actions.close_assembly(assembly=a, acting_user=u),
    "minutes": lambda a, u, p: actions.sign_minutes(assembly=a, acting_user=u),
    "stream": lambda a, u, p: actions.set_stream_link(
        assembly=a, url=p.get("url", ""), acting_user=u
    ),
}


@login_required
@require_POST
def chair_step(request: HttpRequest, assembly_id: int, step: str) -> HttpResponse:
    assembly = found(lambda: q.access_board_assembly(request.user, assembly_id))
    run = CHAIR_STEPS.get(step)
    if run is None:
        raise Http404("no such step")
    try:
        run(assembly, request.user, request.POST)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("governance:chair", assembly_id=assembly.pk)


@login_required
@require_POST
def chair_item(request: HttpRequest, assembly_id: int, item_id: int, step: str) -> HttpResponse:
    assembly = found(lambda: q.access_board_assembly(request.user, assembly_id))
    item = assembly.items.filter(pk=item_id).first()
    if item is None or step not in ("open", "close"):
        raise Http404("no such item")
    try:
        if step == "open":
            actions.open_item(item=item, acting_user=request.user)
        else:
            actions.close_item(item=item, acting_user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("governance:chair", assembly_id=assembly.pk)


@login_required
@require_POST
def add_item(request: HttpRequest, assembly_id: int) -> HttpResponse:
    assembly = found(lambda: q.access_board_assembly(request.user, assembly_id))
    form = AgendaItemForm(request.POST)
    if form.is_valid():
        try:
            actions.add_agenda_item(
                assembly=assembly, acting_user=request.user, **form.cleaned_data
            )
        except DomainError as exc:
            add_domain_error(form, exc)
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Check the item: a title is required."))
    return redirect("governance:chair", assembly_id=assembly.pk)


@login_required
def minutes(request: HttpRequest, assembly_id: int) -> HttpResponse:
    assembly = found(lambda: q.access_assembly(request.user, assembly_id))
    if assembly.minutes_pdf is None:
        raise Http404("the minutes are not signed yet")
    return attachment(bytes(assembly.minutes_pdf), f"minutes-{assembly.pk}.pdf", "application/pdf")


@login_required
@require_POST
def add_document(request: HttpRequest, assembly_id: int) -> HttpResponse:
    assembly = found(lambda: q.access_board_assembly(request.user, assembly_id))
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file to attach."))
        return redirect("governance:chair", assembly_id=assembly.pk)
    if upload.size and upload.size > actions.MAX_DOCUMENT_BYTES:
        messages.error(request, _("A document is at most 20 MB."))
        return redirect("governance:chair", assembly_id=assembly.pk)
    try:
        actions.attach_document(
            assembly=assembly,
            title=request.POST.get("title", "")[:200],
            file_name=upload.name or "document",
            content_type=upload.content_type or "application/octet-stream",
            content=upload.read(),
            acting_user=request.user,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Document attached: it goes out with the convocation."))
    return redirect("governance:chair", assembly_id=assembly.pk)


@login_required
@require_POST
def mail_proof(request: HttpRequest, assembly_id: int, participant_id: int) -> HttpResponse:
    assembly = found(lambda: q.access_board_assembly(request.user, assembly_id))
    participant = assembly.participants.filter(pk=participant_id).first()
    if participant is None:
        raise Http404("not on the roll")
    try:
        actions.record_mail_proof(
            participant=participant,
            proof=request.POST.get("proof", ""),
            sent_on=clock.today(),
            acting_user=request.user,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("governance:chair", assembly_id=assembly.pk)
