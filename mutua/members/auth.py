"""Glue between django-allauth and django-axes."""

from __future__ import annotations

from typing import Any


def axes_username(request: Any, credentials: dict[str, Any] | None) -> str:
    """Name the account being tried, whichever way allauth passed it (email or username)."""
    credentials = credentials or {}
    data = getattr(request, "POST", {}) or {}
    value = (
        credentials.get("email")
        or credentials.get("username")
        or data.get("login")
        or data.get("email")
        or ""
    )
    return str(value).strip().lower()
