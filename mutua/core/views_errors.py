"""The server error page (handler500). A request that fails because the database cannot be
reached gets a 503 page saying that nothing was saved and to try again: every write is one
transaction (core.audit.action), so a lost connection rolls the whole action back.

The pages render without the request's context processors: those read the session and the user
from the database, which may be the very thing that is down."""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# Seconds after which a retry is worth it: a restarted or failed-over server is back by then.
RETRY_AFTER = 30


def database_unavailable(exc: BaseException | None) -> bool:
    """Connection lost or refused, server shutting down, or a transaction the server aborted
    (deadlock, serialization): in every case nothing was committed and a retry may succeed."""
    return isinstance(exc, OperationalError | InterfaceError)


def server_error(request: HttpRequest) -> HttpResponse:
    exc = sys.exc_info()[1]  # Django calls the handler while handling the exception
    if database_unavailable(exc):
        logger.warning("database unavailable during %s %s: %s", request.method, request.path, exc)
        response = _unavailable(request)
        response["Retry-After"] = str(RETRY_AFTER)
        return response
    if _is_api(request):
        return JsonResponse({"detail": _("Server error.")}, status=500)
    return HttpResponse(loader.get_template("500.html").render({}), status=500)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _unavailable(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        detail = _("Service unavailable: nothing was saved. Try again in a minute.")
        return JsonResponse({"detail": detail}, status=503)
    return HttpResponse(loader.get_template("503.html").render({}), status=503)
