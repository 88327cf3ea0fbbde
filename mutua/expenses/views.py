"""Expense pages: the member's (list, write a claim with its lines and receipts, follow it,
download its receipts) and the adviser's queue (approve or reject, with htmx). Views parse input,
check access and call actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutua.core import clock
from mutua.core.errors import DomainError
from mutua.core.forms import add_domain_error, form_status
from mutua.core.staff import staff_required
from mutua.core.views import found_or_404 as _found
from mutua.expenses import actions, queries
from mutua.expenses.forms import ClaimForm, LineFormSet, ReceiptForm, RejectForm
from mutua.expenses.models import Claim, ClaimStatus
from mutua.expenses.receipts import absolute
from mutua.expenses.rules import categories_for, may_self_approve


def _claim_or_404(request: HttpRequest, claim_id: int) -> Claim:
    claim: Claim = _found(lambda: queries.access_claim(request.user, claim_id))
    return claim


# --- member pages -------------------------------------------------------------------------------
@login_required
def claim_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    claims = queries.own_claims(request.user)
    if status in ClaimStatus.values:
        claims = claims.filter(status=status)
    context = {
        "claims": claims.order_by("-id")[:200],
        "statuses": ClaimStatus.choices,
        "status": status,
        "can_create": queries.claimable_activities(request.user).exists(),
    }
    return render(request, "expenses/list.html", context)


def _editor(request: HttpRequest, claim: Claim | None) -> tuple[ClaimForm, Any]:
    activities = queries.claimable_activities(request.user)
    countries = sorted({a.entity.country for a in activities})
    initial: dict[str, Any] = {"activity": request.GET.get("activity")}
    lines_initial: list[dict[str, Any]] = []
    if claim is not None:
        initial = {"title": claim.title, "activity": claim.activity_id}
        initial["refund_mode"] = claim.refund_mode
        names = ("date", "category", "description", "supplier", "quantity", "amount")
        rows = claim.lines.values(*names, "vat_rate", "vat_recoverable")
        lines_initial = [dict(row) for row in rows]
    data = request.POST or None
    form = ClaimForm(data, request.FILES or None, activities=activities, initial=initial)
    lines = LineFormSet(
        data, initial=lines_initial, prefix="lines", form_kwargs={"countries": countries}
    )
    if claim is not None:
        form.fields["activity"].disabled = True
    return form, lines


def _save(request: HttpRequest, claim: Claim | None, form: ClaimForm, lines: Any) -> Claim:
    """Write the claim and its first receipt together: a refused receipt leaves no claim."""
    inputs = [line for line in (f.to_input() for f in lines) if line is not None]
    data = form.cleaned_data
    with transaction.atomic():
        if claim is None:
            claim = actions.create_claim(
                actor=request.user,
                activity=data["activity"],
                title=data["title"],
                lines=inputs,
                refund_mode=data["refund_mode"],
            )
        else:
            claim = actions.update_claim(
                actor=request.user,
                claim=claim,
                title=data["title"],
                lines=inputs,
                refund_mode=data["refund_mode"],
            )
        upload = data.get("receipt")
        if upload:
            actions.add_receipt(
                actor=request.user,
                claim=claim,
                content=upload.read(),
                file_name=upload.name,
                declared_type=upload.content_type or "",
            )
    return claim


def _edit(request: HttpRequest, claim: Claim | None) -> HttpResponse:
    form, lines = _editor(request, claim)
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        try:
            saved = _save(request, claim, form, lines)
        except DomainError as exc:
            if exc.field == "file":
                form.add_error("receipt", exc.message)
            else:
                add_domain_error(form, exc)
        else:
            messages.success(request, _("The claim is saved. Add the receipts, then submit it."))
            return redirect("expenses:detail", saved.pk)
    context = {"form": form, "lines": lines, "claim": claim}
    return render(request, "expenses/edit.html", context, status=form_status(form, lines))


@login_required
def claim_create(request: HttpRequest) -> HttpResponse:
    return _edit(request, None)


@login_required
def claim_edit(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _claim_or_404(request, claim_id)
    if not claim.is_draft or claim.person.user_id != request.user.pk:
        messages.error(request, _("Only a draft claim can be changed, by its author."))
        return redirect("expenses:detail", claim.pk)
    return _edit(request, claim)


@login_required
def claim_detail(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _claim_or_404(request, claim_id)
    own = claim.person.user_id == request.user.pk
    labels = {c.code: c.label for c in categories_for(claim.entity.country)}
    context = {
        "claim": claim,
        "own": own,
        "lines": [(line, labels.get(line.category, line.category)) for line in claim.lines.all()],
        "receipts": claim.receipts.filter(purged_at=None),
        "receipt_form": ReceiptForm(),
        "can_decide": not own
        and claim.status == ClaimStatus.SUBMITTED
        and bool(queries.approval_roles(request.user, claim.entity)),
        "self_approval": own
        and claim.status == ClaimStatus.SUBMITTED
        and may_self_approve(claim.total, queries.rules_for(claim.entity, clock.today())),
    }
    return render(request, "expenses/detail.html", context)


@login_required
@require_POST
def receipt_upload(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _claim_or_404(request, claim_id)
    form = ReceiptForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(
            request, " ".join(str(e) for e in form.errors.get("file") or [_("Choose a file.")])
        )
        return redirect("expenses:detail", claim.pk)
    upload = form.cleaned_data["file"]
    try:
        actions.add_receipt(
            actor=request.user,
            claim=claim,
            content=upload.read(),
            file_name=upload.name,
            declared_type=upload.content_type or "",
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The receipt is attached."))
    return redirect("expenses:detail", claim.pk)


@login_required
@require_POST
def receipt_remove(request: HttpRequest, receipt_id: int) -> HttpResponse:
    receipt = _found(lambda: queries.access_receipt(request.user, receipt_id))
    try:
        actions.remove_receipt(actor=request.user, receipt=receipt)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The receipt is removed."))
    return redirect("expenses:detail", receipt.claim_id)


@login_required
def receipt_download(request: HttpRequest, receipt_id: int) -> FileResponse:
    """The only way to a receipt file: the access function decides, the file is sent as an
    attachment with its checked type, never sniffed or rendered by the browser."""
    receipt = _found(lambda: queries.access_receipt(request.user, receipt_id))
    try:
        handle = absolute(receipt.path).open("rb")
    except (FileNotFoundError, DomainError) as exc:
        raise Http404(_("The receipt file is missing.")) from exc
    response = FileResponse(
        handle, as_attachment=True, filename=receipt.file_name, content_type=receipt.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def claim_submit(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _claim_or_404(request, claim_id)
    try:
        actions.submit_claim(actor=request.user, claim=claim)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The claim is submitted: an adviser will look at it."))
    return redirect("expenses:detail", claim.pk)


# --- decisions ----------------------------------------------------------------------------------
@staff_required
def approval_queue(request: HttpRequest) -> HttpResponse:
    claims = queries.approval_queue(request.user)[:500]
    return render(request, "expenses/queue.html", {"claims": claims})


def _decide(request: HttpRequest, claim_id: int, decide: Callable[[Claim], Claim]) -> HttpResponse:
    claim = _claim_or_404(request, claim_id)
    try:
        claim = decide(claim)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        done = _("%(ref)s is approved.") if claim.status == "approved" else _("%(ref)s is refused.")
        messages.success(request, done % {"ref": claim.reference})
    if request.htmx:  # type: ignore[attr-defined]
        # 200 even for a refusal: htmx swaps only successful responses, and the row carries
        # the message next to the buttons.
        claim.refresh_from_db()
        return render(request, "expenses/_queue_row.html", {"c": claim})
    if claim.person.user_id == request.user.pk:
        return redirect("expenses:detail", claim.pk)
    return redirect("expenses:queue")


@login_required
@require_POST
def claim_approve(request: HttpRequest, claim_id: int) -> HttpResponse:
    """Advisers approve from the queue; a member approves their own small claim from its page
    where the entity allows it (the action decides)."""
    return _decide(request, claim_id, lambda c: actions.approve_claim(actor=request.user, claim=c))


@staff_required
@require_POST
def claim_reject(request: HttpRequest, claim_id: int) -> HttpResponse:
    form = RejectForm(request.POST)
    reason = form.data.get("reason", "")
    return _decide(
        request,
        claim_id,
        lambda c: actions.reject_claim(actor=request.user, claim=c, reason=str(reason)),
    )
