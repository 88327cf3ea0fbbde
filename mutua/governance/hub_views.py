"""The member's "Cooperative" page: my shares, upcoming assemblies, my votes, proxies given and
received, open elections and consultations, and the rule change logs; staff links for the
board."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mutua.core import clock
from mutua.governance import queries
from mutua.governance.assembly_queries import board_assemblies, visible_assemblies
from mutua.governance.consultation_views import visible_consultations
from mutua.governance.election_queries import visible_elections
from mutua.governance.models import Participant, Vote
from mutua.members.queries import member_entities, person_of


@login_required
def cooperative(request: HttpRequest) -> HttpResponse:
    person = person_of(request.user)
    now = clock.now()
    roll = Participant.objects.select_related("assembly", "holder", "proxy_holder")
    context = {
        "holders": [(h, queries.holdings(h)) for h in queries.my_holders(request.user)],
        "assemblies": visible_assemblies(request.user)
        .filter(Q(closed_at__isnull=True) | Q(starts_at__gte=now))
        .order_by("starts_at")[:10],
        "votes": Vote.objects.filter(cast_by=person)
        .select_related("item__assembly", "participant__holder")
        .order_by("-cast_at")[:20]
        if person
        else [],
        "proxies_given": roll.filter(person=person, proxy_holder__isnull=False) if person else [],
        "proxies_held": roll.filter(proxy_holder=person) if person else [],
        "elections": visible_elections(request.user).exclude(status="counted")[:10],
        "consultations": visible_consultations(request.user).filter(final_report="")[:10],
        "entities": member_entities(request.user).distinct(),
        "registers": queries.register_entities(request.user).exists(),
        "chairs": board_assemblies(request.user).exists(),
    }
    return render(request, "governance/cooperative.html", context)
