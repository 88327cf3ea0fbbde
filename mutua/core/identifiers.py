"""Identifier checks that do not depend on a country: IBAN and BIC (schwifty)."""

from __future__ import annotations

from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException

from mutua.core.errors import InvalidIdentifier


def validate_iban(value: str, *, field: str = "iban") -> str:
    """Return the compact IBAN or raise InvalidIdentifier naming the field."""
    try:
        return str(IBAN(value).compact)
    except SchwiftyException as exc:
        raise InvalidIdentifier(f"IBAN {value!r} is not valid: {exc}", field=field) from exc


def validate_bic(value: str, *, field: str = "bic") -> str:
    try:
        return str(BIC(value).compact)
    except SchwiftyException as exc:
        raise InvalidIdentifier(f"BIC {value!r} is not valid: {exc}", field=field) from exc


def format_iban(value: str) -> str:
    return str(IBAN(value).formatted) if value else ""
