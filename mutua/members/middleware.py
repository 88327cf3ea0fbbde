"""Staff reach pages and the API only with a second factor set up and passed in the session.

The rule is `mutua.members.second_factor.second_factor_barrier`; this middleware applies it to
every request a session authenticates: a page redirects to the way through (TOTP set-up, or the
code), the API answers 403 in JSON. Token requests carry no session: the API's TokenAuth asks
the same rule.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.http import urlencode

from mutua.members.second_factor import (
    ENROL,
    Barrier,
    SecondFactorRequired,
    second_factor_barrier,
)

API_PREFIX = "/api/"


def barrier_response(request: HttpRequest, barrier: Barrier) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        refusal = SecondFactorRequired(barrier.message)
        return JsonResponse(refusal.as_dict(), status=refusal.http_status)
    if barrier.kind == ENROL:
        return redirect(barrier.way_through)
    # Back where the member was going once the code is entered (allauth checks `next`).
    return redirect(f"{barrier.way_through}?{urlencode({'next': request.get_full_path()})}")


class StaffMfaRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        barrier = second_factor_barrier(request, request.user)
        if barrier is not None:
            return barrier_response(request, barrier)
        return self.get_response(request)
