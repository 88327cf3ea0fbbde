"""The DomainError tree: what a business rule says when it says no.

Views turn these into form errors or HTTP 4xx; each carries a stable `code` for the API and, when
the fault lies in one input, the `field` it names.
"""

from __future__ import annotations


class DomainError(Exception):
    code = "domain_error"
    http_status = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def as_dict(self) -> dict[str, str | None]:
        return {"code": self.code, "message": self.message, "field": self.field}


class InvalidInput(DomainError):
    code = "invalid_input"


class InvalidAmount(InvalidInput):
    code = "invalid_amount"


class CurrencyMismatch(InvalidAmount):
    code = "currency_mismatch"


class InvalidIdentifier(InvalidInput):
    """A VAT, company or national number, or an IBAN, that fails its checks."""

    code = "invalid_identifier"


class NotFound(DomainError):
    """Also raised for objects that exist but the user may not see: never leak existence."""

    code = "not_found"
    http_status = 404


class AccessDenied(DomainError):
    code = "access_denied"
    http_status = 403


class StateConflict(DomainError):
    """The object is not in a state that allows this action (e.g. approving an active member)."""

    code = "state_conflict"
    http_status = 409


class DuplicateRequest(StateConflict):
    """The same idempotency key was used with different content."""

    code = "duplicate_request"


class RuleViolation(DomainError):
    """A business rule refuses the request (budget, limits, deadlines)."""

    code = "rule_violation"
    http_status = 422
