"""Staff must set up a second factor before they reach any page (issue: MFA mandatory for staff)."""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from mutua.members.queries import is_staff_user

# Pages a staff member without MFA may still open: the MFA set-up itself, logout, language, assets.
OPEN_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/api/")


class StaffMfaRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._must_enrol(request):
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    def _must_enrol(self, request: HttpRequest) -> bool:
        if not settings.MUTUA_STAFF_MFA_REQUIRED or request.path.startswith(OPEN_PREFIXES):
            return False
        user = request.user
        if not is_staff_user(user):
            return False
        return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
