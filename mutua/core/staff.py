"""Who counts as staff, asked by the faces of every app through one decorator.

Core knows no app: the members app, which keeps the staff roles, registers the check when Django
starts (`members.apps`). Until it has, nobody is staff (a page refuses rather than opens).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

_is_staff: list[Callable[[Any], bool]] = []


def register_staff_check(check: Callable[[Any], bool]) -> None:
    _is_staff[:] = [check]


def is_staff(user: Any) -> bool:
    return bool(_is_staff) and _is_staff[0](user)


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-in staff only (others get 403; the second factor is the middleware's rule)."""

    @wraps(view)
    @login_required
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_staff(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded
