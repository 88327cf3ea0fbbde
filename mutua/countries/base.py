"""The CountryRules protocol and shared helpers for identifier checks.

A country package exposes `RULES`, an object following this protocol. Calculations ask the rules
in force on a date; core code never branches on a country code.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from stdnum.exceptions import ValidationError as StdnumError

from mutua.core.errors import InvalidIdentifier, InvalidInput

if TYPE_CHECKING:
    from decimal import Decimal

    from mutua.core.pay import CopyrightRegime, PayrollRules


@runtime_checkable
class CountryRules(Protocol):
    code: str  # ISO 3166-1 alpha-2, upper case
    name: str
    currency: str
    languages: tuple[str, ...]

    def validate_vat_number(self, value: str) -> str:
        """Return the compact, valid VAT number (with country prefix) or raise InvalidIdentifier."""
        ...

    def validate_company_number(self, value: str) -> str: ...

    def validate_national_number(self, value: str) -> str: ...

    def format_company_number(self, value: str) -> str: ...

    def copyright(self, year: int) -> CopyrightRegime:
        """The copyright parameters of an income year, or InvalidInput without the regime."""
        ...

    def copyright_default_share(self) -> Decimal: ...


def checked(validate: Callable[[str], str], value: str, *, field: str, label: str) -> str:
    """Run a python-stdnum validator and turn its failure into a message naming the field."""
    try:
        return validate(value)
    except StdnumError as exc:
        raise InvalidIdentifier(f"{label} {value!r} is not valid: {exc}", field=field) from exc


@runtime_checkable
class PayrollCountry(Protocol):
    """A country whose payroll rules the product can compute (see mutua/core/pay.py)."""

    def payroll(self, on: date) -> PayrollRules:
        """The payroll calculator with the rules in force on `on` (InvalidInput outside tables)."""
        ...


@dataclass(frozen=True)
class IdentifierRules:
    """Country rules built from python-stdnum modules, shared by the country packages."""

    code: str
    name: str
    currency: str
    languages: tuple[str, ...]
    vat_module: object
    company_module: object
    national_module: object
    # Dotted path of the country's payroll module; it exposes `calculator(on) -> PayrollRules`.
    # Imported on first use so identifier checks never pay for the payroll tables.
    payroll_module: str = ""
    # Dotted path of the country's copyright regime (`copyright_year(year)`, `DEFAULT_SHARE`);
    # empty where the country has no movable-income copyright regime.
    copyright_module: str = ""

    def copyright(self, year: int) -> CopyrightRegime:
        """The copyright parameters of an income year (InvalidInput without the regime)."""
        regime: CopyrightRegime = self._copyright().copyright_year(year)
        return regime

    def copyright_default_share(self) -> Decimal:
        share: Decimal = self._copyright().DEFAULT_SHARE
        return share

    def _copyright(self) -> Any:
        if not self.copyright_module:
            raise InvalidInput(
                f"{self.name} has no copyright payment regime: pay the work as salary",
                field="country",
            )
        return importlib.import_module(self.copyright_module)

    def payroll(self, on: date) -> PayrollRules:
        if not self.payroll_module:
            raise InvalidInput(f"no payroll rules for {self.code}", field="country")
        module = importlib.import_module(self.payroll_module)
        calculator: PayrollRules = module.calculator(on)
        return calculator

    def validate_vat_number(self, value: str) -> str:
        compact = checked(
            self.vat_module.validate,  # type: ignore[attr-defined]
            value,
            field="vat_number",
            label="VAT number",
        )
        return compact if compact.startswith(self.code) else f"{self.code}{compact}"

    def validate_company_number(self, value: str) -> str:
        return checked(
            self.company_module.validate,  # type: ignore[attr-defined]
            value,
            field="company_number",
            label="Company number",
        )

    def validate_national_number(self, value: str) -> str:
        return checked(
            self.national_module.validate,  # type: ignore[attr-defined]
            value,
            field="national_number",
            label="National number",
        )

    def format_company_number(self, value: str) -> str:
        return str(self.company_module.format(value))  # type: ignore[attr-defined]
