"""API authentication: the browser session (with CSRF) or a personal access token.

Both ask the staff second-factor rule (mutua.members.second_factor): a staff session that has
not passed TOTP, or a token of staff without TOTP set up, gets 403 with the reason in JSON (the
API's DomainError handler). A read-only token gets 403 on any method that writes.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from mutua.core.errors import AccessDenied
from mutua.members.models import TokenScope
from mutua.members.queries import live_token
from mutua.members.second_factor import SecondFactorRequired, second_factor_barrier

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        found = live_token(token)
        if found is None:
            return None
        barrier = second_factor_barrier(request, found.user, by_token=True)
        if barrier is not None:
            raise SecondFactorRequired(barrier.message)
        if found.scope != TokenScope.WRITE and request.method not in READ_METHODS:
            raise AccessDenied(
                "this token may only read: create a read and write token to change data"
            )
        request.user = found.user
        return found.user


class StaffSessionAuth(SessionAuth):
    """Django's session, once the second-factor rule lets it through (the middleware has
    already answered for most; this keeps the API safe wherever it is mounted)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any | None:
        user = super().authenticate(request, key)
        if user is None:
            return None
        barrier = second_factor_barrier(request, user)
        if barrier is not None:
            raise SecondFactorRequired(barrier.message)
        return user


AUTH = [TokenAuth(), StaffSessionAuth()]
