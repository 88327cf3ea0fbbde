"""Member and staff pages for invoices: list, create, issue, download, credit."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutua.activities.queries import access_activity
from mutua.clients.queries import visible_clients
from mutua.core.errors import DomainError, NotFound
from mutua.core.forms import add_domain_error, form_status
from mutua.core.staff import staff_required
from mutua.invoicing import actions
from mutua.invoicing.access import access_invoice, visible_invoices
from mutua.invoicing.documents.en16931 import ubl_xml
from mutua.invoicing.forms import CreditForm, InvoiceHeaderForm, LineFormSet
from mutua.invoicing.models import Invoice, InvoiceStatus
from mutua.invoicing.queries import amount_due, overdue_for_staff, with_received
from mutua.invoicing.rendering import client_pdf, document_of
from mutua.invoicing.sending import send_invoice


def _invoice_or_404(request: HttpRequest, invoice_id: int) -> Invoice:
    try:
        return access_invoice(request.user, invoice_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@login_required
def invoice_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    invoices = with_received(visible_invoices(request.user)).select_related("client", "activity")
    if status in InvoiceStatus.values:
        invoices = invoices.filter(status=status)
    context = {
        "invoices": invoices.order_by("-id")[:200],
        "statuses": InvoiceStatus.choices,
        "status": status,
    }
    return render(request, "invoicing/list.html", context)


@login_required
def invoice_create(request: HttpRequest, activity_id: int) -> HttpResponse:
    try:
        activity = access_activity(request.user, activity_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    clients = visible_clients(request.user).filter(entity=activity.entity)
    header = InvoiceHeaderForm(request.POST or None, clients=clients)
    lines = LineFormSet(request.POST or None, prefix="lines")
    if request.method == "POST" and header.is_valid() and lines.is_valid():
        filled = [form.cleaned_data for form in lines.forms if form.cleaned_data]
        try:
            invoice = actions.create_draft_invoice(
                actor=request.user,
                activity=activity,
                client=header.cleaned_data["client"],
                notes=header.cleaned_data["notes"],
                lines=[actions.LineInput(**data) for data in filled],
            )
        except DomainError as exc:
            add_domain_error(header, exc)
        else:
            return redirect("invoicing:detail", invoice.pk)
    context = {
        "activity": activity,
        "header": header,
        "lines": lines,
        "has_clients": clients.exists(),
    }
    return render(request, "invoicing/create.html", context, status=form_status(header, lines))


@login_required
def invoice_detail(request: HttpRequest, invoice_id: int) -> HttpResponse:
    invoice = _invoice_or_404(request, invoice_id)
    context = {
        "invoice": invoice,
        "lines": invoice.lines.all(),
        "amount_due": amount_due(invoice),
        "credit_form": CreditForm(),
    }
    return render(request, "invoicing/detail.html", context)


@login_required
@require_POST
def invoice_issue(request: HttpRequest, invoice_id: int) -> HttpResponse:
    invoice = _invoice_or_404(request, invoice_id)
    try:
        invoice = actions.issue_invoice(actor=request.user, invoice=invoice)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Invoice %(number)s is issued.") % {"number": invoice.number})
    return redirect("invoicing:detail", invoice.pk)


@login_required
@require_POST
def invoice_credit(request: HttpRequest, invoice_id: int) -> HttpResponse:
    invoice = _invoice_or_404(request, invoice_id)
    form = CreditForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the invoice is cancelled."))
        return redirect("invoicing:detail", invoice.pk)
    try:
        note = actions.issue_credit_note(
            actor=request.user, invoice=invoice, reason=form.cleaned_data["reason"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("invoicing:detail", invoice.pk)
    messages.success(request, _("Credit note %(number)s is issued.") % {"number": note.number})
    return redirect("invoicing:detail", note.pk)


def _issued_document(request: HttpRequest, invoice_id: int) -> tuple[Invoice, object]:
    invoice = _invoice_or_404(request, invoice_id)
    if invoice.is_draft:
        raise Http404(_("A draft has no document yet: issue it first."))
    return invoice, document_of(invoice)


@login_required
def invoice_pdf(request: HttpRequest, invoice_id: int) -> HttpResponse:
    invoice, document = _issued_document(request, invoice_id)
    response = HttpResponse(client_pdf(document), content_type="application/pdf")  # type: ignore[arg-type]
    response["Content-Disposition"] = f'attachment; filename="{invoice.number}.pdf"'
    return response


@login_required
def invoice_ubl(request: HttpRequest, invoice_id: int) -> HttpResponse:
    invoice, document = _issued_document(request, invoice_id)
    response = HttpResponse(ubl_xml(document), content_type="application/xml")  # type: ignore[arg-type]
    response["Content-Disposition"] = f'attachment; filename="{invoice.number}.xml"'
    return response


@login_required
@require_POST
def invoice_send(request: HttpRequest, invoice_id: int) -> HttpResponse:
    invoice = _invoice_or_404(request, invoice_id)
    try:
        delivery = send_invoice(actor=request.user, invoice=invoice)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("The document is on its way to %(destination)s.")
            % {"destination": delivery.destination},
        )
    return redirect("invoicing:detail", invoice.pk)


@staff_required
def overdue_queue(request: HttpRequest) -> HttpResponse:
    """Overdue invoices of the staff member's entities, by dunning stage, oldest due first."""
    invoices = overdue_for_staff(request.user)[:500]
    return render(request, "invoicing/overdue.html", {"invoices": invoices})
