"""The one rule on staff and their second factor (TOTP), for pages, the API and the admin alike.

Staff (any staff role, a superuser or a Django `is_staff` account) must have set up TOTP, and a
staff session must have passed it: django-allauth writes an authentication record into the
session for each step a user passed (`{"method": "mfa", "type": "totp", ...}` for a TOTP or
recovery code, at sign-in or when asked again, keyed to the user's id) and nothing else writes
one. A session opened any other way (Django's own admin login, `force_login`) carries no such
record and reaches nothing but the pages that let it pass the second factor. A personal access
token of staff works only while its owner has TOTP set up.

`second_factor_barrier` is the only place that decides; the middleware (pages and API sessions),
the API's authentication (sessions and tokens) and the admin site ask it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from mutua.core.errors import AccessDenied
from mutua.members.queries import is_staff_user

ENROL = "enrol"  # staff without TOTP: set it up
VERIFY = "verify"  # staff with TOTP whose session did not pass it: enter a code

# Where a session held at a barrier may still go: its way through, signing out, assets.
OPEN_PREFIXES = ("/static/", "/i18n/")
OPEN_VIEWS = {
    ENROL: ("account_logout", "account_login", "account_reauthenticate", "mfa_activate_totp"),
    VERIFY: ("account_logout", "account_login", "mfa_reauthenticate"),
}
SECOND_FACTOR_METHOD = "mfa"


class SecondFactorRequired(AccessDenied):
    code = "second_factor_required"


@dataclass(frozen=True)
class Barrier:
    kind: str  # ENROL or VERIFY
    message: str

    @property
    def way_through(self) -> str:
        """The page that lifts the barrier."""
        return reverse("mfa_activate_totp" if self.kind == ENROL else "mfa_reauthenticate")


def needs_second_factor(user: Any) -> bool:
    if not settings.MUTUA_STAFF_MFA_REQUIRED or not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff) or is_staff_user(user)


def has_totp(user: Any) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def session_passed_second_factor(request: HttpRequest, user: Any) -> bool:
    """Whether this session's user entered a TOTP (or recovery) code in it, per allauth."""
    if not hasattr(request, "session"):
        return False
    records = get_authentication_records(request, user)
    return any(record.get("method") == SECOND_FACTOR_METHOD for record in records)


def _open(request: HttpRequest, kind: str) -> bool:
    path = request.path
    if path.startswith(OPEN_PREFIXES):
        return True
    return any(path == reverse(name) for name in OPEN_VIEWS[kind])


def second_factor_barrier(
    request: HttpRequest, user: Any, *, by_token: bool = False
) -> Barrier | None:
    """What stops `user` here, or None. `by_token`: the request authenticates with a personal
    access token, not a session (no page is open to it, and it has no session to check)."""
    if not needs_second_factor(user):
        return None
    if not has_totp(user):
        if not by_token and _open(request, ENROL):
            return None
        return Barrier(
            ENROL,
            _(
                "Staff must set up two-factor authentication (TOTP) before using Mutua or its "
                "API: open %(url)s."
            )
            % {"url": reverse("mfa_activate_totp")},
        )
    if by_token or session_passed_second_factor(request, user) or _open(request, VERIFY):
        return None
    return Barrier(
        VERIFY,
        _(
            "This session has not passed the second factor: enter your authenticator code "
            "at %(url)s."
        )
        % {"url": reverse("mfa_reauthenticate")},
    )
