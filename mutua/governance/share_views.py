"""Share pages: "my shares" for members (subscribe, certificate, withdraw) and the register for
the board and the accountants (payments to confirm, withdrawals to settle, CSV and PDF)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutua.core import clock
from mutua.core.errors import DomainError
from mutua.core.forms import add_domain_error, form_status
from mutua.core.staff import staff_required
from mutua.core.views import found_or_404 as found
from mutua.governance import documents, exit_actions, queries, share_actions
from mutua.governance.forms import (
    AccountsForm,
    HolderSubscriptionForm,
    LegalHolderForm,
    SubscribeForm,
)
from mutua.governance.models import ExitKind, ShareClass, Shareholder, Subscription
from mutua.members.queries import member_entities


def attachment(content: bytes | str, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def my_shares(request: HttpRequest) -> HttpResponse:
    classes = ShareClass.objects.filter(
        entity__in=member_entities(request.user), open_to_members=True
    ).select_related("entity")
    form = SubscribeForm(request.POST or None, classes=classes)
    if request.method == "POST" and form.is_valid():
        share_class = form.cleaned_data["share_class"]
        try:
            subscription = share_actions.request_subscription(
                entity=share_class.entity,
                share_class=share_class,
                quantity=form.cleaned_data["quantity"],
                method=form.cleaned_data["method"],
                on=clock.today(),
                acting_user=request.user,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("Subscription recorded: pay %(amount)s with the reference %(reference)s.")
                % {"amount": subscription.amount, "reference": subscription.payment_reference},
            )
            return redirect("governance:my_shares")
    holders = [
        {
            "holder": holder,
            "holdings": queries.holdings(holder),
            "subscriptions": holder.subscriptions.select_related("share_class"),
            "exits": holder.exits.all(),
        }
        for holder in queries.my_holders(request.user)
    ]
    context = {"holders": holders, "form": form}
    return render(request, "governance/my_shares.html", context, status=form_status(form))


def _refused(request: HttpRequest, form: Any) -> None:
    """The register's forms post and come back: each refusal is shown with its field's name."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else str(error))


@login_required
def certificate(request: HttpRequest, holder_id: int) -> HttpResponse:
    holder = found(lambda: queries.access_shareholder(request.user, holder_id))
    pdf = documents.certificate_pdf(holder)
    return attachment(pdf, f"shares-{holder.entity.code}-{holder.number}.pdf", "application/pdf")


@login_required
@require_POST
def withdraw(request: HttpRequest, holder_id: int) -> HttpResponse:
    holder = found(lambda: queries.access_shareholder(request.user, holder_id))
    try:
        exit_actions.request_exit(
            holder=holder,
            kind=ExitKind.WITHDRAWAL,
            on=clock.today(),
            acting_user=request.user,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your withdrawal is recorded; the board settles it."))
    return redirect("governance:my_shares")


# --- the register (staff) ----------------------------------------------------------------------
@staff_required
def register_home(request: HttpRequest) -> HttpResponse:
    entities = list(queries.register_entities(request.user))
    if len(entities) == 1:
        return redirect("governance:register", entity_id=entities[0].pk)
    return render(request, "governance/register_home.html", {"entities": entities})


@staff_required
def register(request: HttpRequest, entity_id: int) -> HttpResponse:
    entity = found(lambda: queries.access_register(request.user, entity_id))
    wanted = request.GET.get("format")
    if wanted == "csv":
        return attachment(documents.register_csv(entity), f"register-{entity.code}.csv", "text/csv")
    if wanted == "pdf":
        pdf = documents.register_pdf(entity)
        return attachment(pdf, f"register-{entity.code}.pdf", "application/pdf")
    context = documents.register_context(entity)
    context |= {
        "subscriptions": queries.open_subscriptions(entity),
        "exits": queries.open_exits(entity),
        "accounts_form": AccountsForm(),
        "legal_form": LegalHolderForm(),
        "subscription_form": HolderSubscriptionForm(classes=queries.share_classes(entity)),
        "is_board": queries.is_board(request.user, entity),
    }
    return render(request, "governance/register.html", context)


@staff_required
@require_POST
def confirm_payment(request: HttpRequest, subscription_id: int) -> HttpResponse:
    subscription: Subscription = found(
        lambda: queries.access_subscription(request.user, subscription_id)
    )
    try:
        share_actions.confirm_share_payment(
            subscription=subscription, paid_on=clock.today(), acting_user=request.user
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Payment confirmed: the shares are issued."))
    return redirect("governance:register", entity_id=subscription.entity_id)


@staff_required
@require_POST
def settle(request: HttpRequest, exit_id: int) -> HttpResponse:
    leaving = found(lambda: queries.access_exit(request.user, exit_id))
    try:
        settled = exit_actions.settle_exit(
            leaving=leaving, on=clock.today(), acting_user=request.user
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.info(request, settled.note or _("Settled: the repayment is due."))
    return redirect("governance:register", entity_id=leaving.entity_id)


@staff_required
@require_POST
def accounts(request: HttpRequest, entity_id: int) -> HttpResponse:
    entity = found(lambda: queries.access_register(request.user, entity_id))
    form = AccountsForm(request.POST)
    if form.is_valid():
        try:
            exit_actions.record_approved_accounts(
                entity=entity, acting_user=request.user, **form.cleaned_data
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Approved accounts recorded."))
    else:
        messages.error(request, _("Check the accounts: every field but the tests is required."))
        _refused(request, form)
    return redirect("governance:register", entity_id=entity.pk)


@staff_required
@require_POST
def register_legal_holder(request: HttpRequest, entity_id: int) -> HttpResponse:
    entity = found(lambda: queries.access_register(request.user, entity_id))
    form = LegalHolderForm(request.POST)
    if form.is_valid():
        try:
            holder = share_actions.register_shareholder(
                entity=entity,
                on=clock.today(),
                acting_user=request.user,
                **form.cleaned_data,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(name)s is in the register.") % {"name": holder.name})
    else:
        _refused(request, form)
    return redirect("governance:register", entity_id=entity.pk)


@staff_required
@require_POST
def subscribe_for_holder(request: HttpRequest, entity_id: int) -> HttpResponse:
    entity = found(lambda: queries.access_register(request.user, entity_id))
    form = HolderSubscriptionForm(request.POST, classes=queries.share_classes(entity))
    holder = None
    if form.is_valid():
        holder = Shareholder.objects.filter(
            entity=entity, number=form.cleaned_data["holder_number"]
        ).first()
    if holder is None:
        messages.error(request, _("Check the holder's register number, the class and the number."))
        _refused(request, form)
        return redirect("governance:register", entity_id=entity.pk)
    try:
        share_actions.request_subscription(
            entity=entity,
            share_class=form.cleaned_data["share_class"],
            quantity=form.cleaned_data["quantity"],
            method=form.cleaned_data["method"],
            on=clock.today(),
            acting_user=request.user,
            holder=holder,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("governance:register", entity_id=entity.pk)
