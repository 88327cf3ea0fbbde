"""Security headers Django 5.2 does not set itself: a Content Security Policy and a Permissions
Policy. Pages load scripts, styles and images from this site only (htmx and our JS are files,
there is no inline script or style attribute), so an injected <script> or style never runs."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.csp = "; ".join(
            f"{directive} {sources}".strip()
            for directive, sources in settings.CONTENT_SECURITY_POLICY.items()
        )
        self.permissions = settings.PERMISSIONS_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault("Permissions-Policy", self.permissions)
        return response
