"""Helpers shared by the views of every app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404

from mutua.core.errors import NotFound


def found_or_404(lookup: Callable[[], Any]) -> Any:
    """Run an access function; what the user may not see is simply not found (404)."""
    try:
        return lookup()
    except NotFound as exc:
        raise Http404(exc.message) from exc
