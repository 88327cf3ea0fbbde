"""Pages for order forms: the member's (list, write, send), the client's (answer by link, no
account), and the adviser's queue. Views parse input, check access and call actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutua.activities.models import Activity
from mutua.clients.queries import visible_clients
from mutua.core.errors import DomainError, NotFound, StateConflict
from mutua.core.forms import add_domain_error
from mutua.core.staff import staff_required
from mutua.engagements import actions
from mutua.engagements.forms import ClientAnswerForm, OrderFormForm
from mutua.engagements.links import LinkExpired, LinkReplaced, order_form_for_token
from mutua.engagements.models import OrderForm, OrderFormStatus
from mutua.engagements.notifications import client_language
from mutua.engagements.queries import access_order_form, member_order_forms, waiting_for_validation
from mutua.invoicing.access import MANAGING_ROLES


def _order_form_or_404(request: HttpRequest, order_form_id: int) -> OrderForm:
    try:
        return access_order_form(request.user, order_form_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _managed_activities(user: Any) -> QuerySet[Activity]:
    return Activity.objects.filter(
        participants__person__user=user,
        participants__role__in=MANAGING_ROLES,
        closed_at__isnull=True,
    ).distinct()


def _editor(request: HttpRequest, **kwargs: Any) -> OrderFormForm:
    return OrderFormForm(
        request.POST or None,
        activities=_managed_activities(request.user),
        clients=visible_clients(request.user),
        **kwargs,
    )


# --- member pages -------------------------------------------------------------------------------
@login_required
def order_form_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    forms = member_order_forms(request.user)
    if status in OrderFormStatus.values:
        forms = forms.filter(status=status)
    context = {
        "order_forms": forms.order_by("-id")[:200],
        "statuses": OrderFormStatus.choices,
        "status": status,
        "can_create": _managed_activities(request.user).exists(),
    }
    return render(request, "engagements/list.html", context)


@login_required
def order_form_create(request: HttpRequest) -> HttpResponse:
    form = _editor(request, initial={"activity": request.GET.get("activity")})
    if request.method == "POST" and form.is_valid():
        try:
            order_form = actions.create_order_form(
                actor=request.user, activity=form.cleaned_data["activity"], data=form.to_input()
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The order form is saved. Check it, then send it."))
            return redirect("engagements:detail", order_form.pk)
    context = {"form": form, "order_form": None}
    return render(request, "engagements/edit.html", context, status=_status(form))


@login_required
def order_form_edit(request: HttpRequest, order_form_id: int) -> HttpResponse:
    order_form = _order_form_or_404(request, order_form_id)
    if not order_form.is_editable:
        messages.error(request, _("This order form can no longer be changed."))
        return redirect("engagements:detail", order_form.pk)
    form = _editor(request, initial=_initial(order_form))
    form.fields["activity"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_order_form(
                actor=request.user, order_form=order_form, data=form.to_input()
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The order form is updated."))
            return redirect("engagements:detail", order_form.pk)
    context = {"form": form, "order_form": order_form}
    return render(request, "engagements/edit.html", context, status=_status(form))


def _status(form: Any) -> int:
    """A refused submission answers 400, the reasons shown at their fields."""
    return 400 if form.is_bound and form.errors else 200


def _initial(order_form: OrderForm) -> dict[str, Any]:
    names = (
        "description",
        "place",
        "start_date",
        "end_date",
        "working_days",
        "amount_excl_vat",
        "wanted_net",
        "reinvoiced_expenses",
        "vat_rate_name",
    )
    initial = {name: getattr(order_form, name) for name in names}
    return {**initial, "activity": order_form.activity_id, "client": order_form.client_id}


@login_required
def order_form_detail(request: HttpRequest, order_form_id: int) -> HttpResponse:
    order_form = _order_form_or_404(request, order_form_id)
    context = {"order_form": order_form, "requests": order_form.contract_requests.all()}
    return render(request, "engagements/detail.html", context)


@login_required
@require_POST
def order_form_send(request: HttpRequest, order_form_id: int) -> HttpResponse:
    order_form = _order_form_or_404(request, order_form_id)
    try:
        actions.send_order_form(
            actor=request.user, order_form=order_form, site_url=request.build_absolute_uri("/")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("The order form is on its way to %(email)s.")
            % {"email": getattr(order_form.client, "email", "")},
        )
    return redirect("engagements:detail", order_form.pk)


@login_required
@require_POST
def order_form_cancel(request: HttpRequest, order_form_id: int) -> HttpResponse:
    order_form = _order_form_or_404(request, order_form_id)
    try:
        actions.cancel_order_form(actor=request.user, order_form=order_form)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The order form is cancelled; its link no longer works."))
    return redirect("engagements:detail", order_form.pk)


# --- the client's page --------------------------------------------------------------------------
def client_page(request: HttpRequest, token: str) -> HttpResponse:
    """No login: the signed link is the client's key. Nothing is written unless the link is
    authentic, current, and the form still waits for an answer."""
    try:
        order_form = order_form_for_token(token)
    except DomainError as exc:
        return _link_problem(request, exc)
    form = ClientAnswerForm(request.POST or None)
    status = _status(form)
    if request.method == "POST" and form.is_valid():
        try:
            order_form = _answer(request, token, form.cleaned_data)
        except StateConflict:
            order_form.refresh_from_db()
            status = 409
        except DomainError as exc:
            add_domain_error(form, exc)
            status = 400
        else:
            return redirect("engagements:confirm", token)
    language = request.GET.get("lang") or client_language(order_form)
    if language not in order_form.entity.language_list:
        language = client_language(order_form)
    with translation.override(language):
        context = {"form": order_form, "answer": form, "languages": order_form.entity.language_list}
        return render(request, "engagements/client.html", context, status=status)


def _answer(request: HttpRequest, token: str, data: dict[str, Any]) -> OrderForm:
    visit = {
        "token": token,
        "ip": request.META.get("REMOTE_ADDR") or None,
        "user_agent": request.META.get("HTTP_USER_AGENT", ""),
    }
    if data["decision"] == "confirm":
        return actions.confirm_order_form_by_client(**visit)
    if data["decision"] == "changes":
        return actions.request_changes_by_client(message=data["message"], **visit)
    return actions.refuse_order_form_by_client(reason=data["reason"], **visit)


def _link_problem(request: HttpRequest, exc: DomainError) -> HttpResponse:
    if isinstance(exc, LinkExpired):
        problem, status = "expired", 400
    elif isinstance(exc, LinkReplaced):
        problem, status = "replaced", 400
    else:
        problem, status = "invalid", 404
    return render(request, "engagements/link_problem.html", {"problem": problem}, status=status)


# --- the adviser's queue ------------------------------------------------------------------------
@staff_required
def validation_queue(request: HttpRequest) -> HttpResponse:
    forms = waiting_for_validation(request.user)[:500]
    return render(request, "engagements/queue.html", {"order_forms": forms})


@staff_required
@require_POST
def order_form_validate(request: HttpRequest, order_form_id: int) -> HttpResponse:
    order_form = _order_form_or_404(request, order_form_id)
    try:
        order_form = actions.validate_order_form(actor=request.user, order_form=order_form)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        _report_invoicing(request, order_form)
    return redirect("engagements:queue")


@staff_required
@require_POST
def order_form_invoice(request: HttpRequest, order_form_id: int) -> HttpResponse:
    """Retry the invoicing of a confirmed form whose first attempt failed."""
    order_form = _order_form_or_404(request, order_form_id)
    try:
        order_form = actions.invoice_order_form(actor=request.user, order_form=order_form)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        _report_invoicing(request, order_form)
    return redirect("engagements:queue")


def _report_invoicing(request: HttpRequest, order_form: OrderForm) -> None:
    if order_form.invoice is not None:
        messages.success(
            request,
            _("Order form %(ref)s is invoiced: invoice %(number)s.")
            % {"ref": order_form.reference, "number": order_form.invoice.number},
        )
    else:
        messages.error(
            request,
            _("Order form %(ref)s is validated but not invoiced: %(error)s")
            % {"ref": order_form.reference, "error": order_form.invoicing_error},
        )
