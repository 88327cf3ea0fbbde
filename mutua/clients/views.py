"""Member pages for clients."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mutua.clients.actions import add_client
from mutua.clients.forms import ClientForm
from mutua.clients.queries import access_client, visible_clients
from mutua.core.errors import DomainError, NotFound
from mutua.core.forms import add_domain_error, form_status
from mutua.invoicing.access import visible_invoices
from mutua.members.queries import member_entities


@login_required
def client_list(request: HttpRequest) -> HttpResponse:
    clients = visible_clients(request.user).select_related("entity").order_by("name")
    return render(request, "clients/list.html", {"clients": clients})


@login_required
def client_add(request: HttpRequest) -> HttpResponse:
    entities = member_entities(request.user)
    form = ClientForm(request.POST or None, entities=entities, initial={"country": "BE"})
    if request.method == "POST" and form.is_valid():
        try:
            client, created = add_client(
                actor=request.user, entity=form.cleaned_data["entity"], details=form.details()
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            if created:
                messages.success(request, _("Client %(name)s added.") % {"name": client.name})
            else:
                messages.info(
                    request,
                    _("%(name)s was already a client of the cooperative: it is now in your list.")
                    % {"name": client.name},
                )
            return redirect("clients:detail", client.pk)
    return render(request, "clients/add.html", {"form": form}, status=form_status(form))


@login_required
def client_detail(request: HttpRequest, client_id: int) -> HttpResponse:
    try:
        client = access_client(request.user, client_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    invoices = visible_invoices(request.user).filter(client=client).order_by("-id")[:100]
    return render(request, "clients/detail.html", {"client": client, "invoices": invoices})
