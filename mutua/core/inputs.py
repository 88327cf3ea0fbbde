"""The one way the product reads untrusted input: free text, amounts of money, date ranges.

Forms, API schemas and commands all go through these functions, so a rule about what an input may
be (which characters, how many decimals, which dates) is written once. Each refusal is an
`InvalidInput` (or `InvalidAmount`) naming the `field`, so a form shows it next to the field and the
API answers 4xx with the field in the body. Nothing here touches the database.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from mutua.core import clock
from mutua.core.errors import InvalidAmount, InvalidInput

# Characters that reorder or hide text (bidi embeddings/overrides/isolates, zero-width marks): a
# client name or a motion that displays differently from what it is, is a lie waiting to happen.
INVISIBLE_CHARACTERS = frozenset(
    [chr(c) for c in range(0x202A, 0x202E + 1)]
    + [chr(c) for c in range(0x2066, 0x2069 + 1)]
    + [chr(c) for c in range(0x200B, 0x200F + 1)]
    + ["\ufeff", "\u2060"]
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")  # C0, C1, separators


def clean_text(
    value: object,
    *,
    field: str,
    max_length: int,
    required: bool = True,
    multiline: bool = False,
) -> str:
    """Free text as it will be stored: trimmed, at most `max_length` characters.

    Refuses (InvalidInput naming `field`) bidi overrides and zero-width characters, control
    characters (line breaks only when `multiline`), text longer than `max_length`, and empty text
    when `required`. Returns the trimmed text ("" when not required and empty).
    """
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(_("Enter text."), field=field)
    text = value.strip()
    if required and not text:
        raise InvalidInput(_("This field is required."), field=field)
    hidden = sorted({c for c in text if c in INVISIBLE_CHARACTERS})
    if hidden:
        codes = ", ".join(f"U+{ord(c):04X}" for c in hidden)
        raise InvalidInput(
            _("Remove the invisible or direction-changing characters (%(codes)s).")
            % {"codes": codes},
            field=field,
        )
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if _CONTROL.search(text):
            raise InvalidInput(_("Remove the control characters."), field=field)
    elif _CONTROL.search(text) or "\n" in text or "\r" in text or "\t" in text:
        raise InvalidInput(_("Enter a single line, without control characters."), field=field)
    if len(text) > max_length:
        raise InvalidInput(
            _("Ensure this value has at most %(max)d characters (it has %(length)d).")
            % {"max": max_length, "length": len(text)},
            field=field,
        )
    return text


# --- numbers and money ---------------------------------------------------------------------------
ZERO = Decimal("0")
CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("10000000.00")
"""The default upper bound of an amount typed by a person (10 million); fields state their own."""

_WORDS: dict[str, dict[str, Any]] = {
    "number": {
        "format": gettext_lazy(
            "This is not a number: write it with the digits 0-9 and at most one decimal point, "
            "e.g. %(example)s (no spaces, thousands separators or exponents)."
        ),
        "sign": gettext_lazy("The number cannot be negative: write it without a sign."),
    },
    "amount": {
        "format": gettext_lazy(
            "This is not an amount: write it with the digits 0-9 and at most one decimal point, "
            "e.g. %(example)s (no spaces, thousands separators or exponents)."
        ),
        "sign": gettext_lazy("The amount cannot be negative: write it without a sign."),
    },
}
_NUMBER = re.compile(r"(?P<sign>[+-]?)(?P<whole>[0-9]+)(?:[.,](?P<fraction>[0-9]+))?")
_LONGEST_NUMBER = 32  # characters: far more than any amount we store, far less than a DoS


def parse_decimal(
    value: object,
    *,
    field: str,
    places: int = 2,
    max_value: Decimal = MAX_AMOUNT,
    min_value: Decimal = ZERO,
    signed: bool = False,
    noun: str = "number",
) -> Decimal:
    """A number typed by a person (a form, a JSON body, a command-line option).

    Text: ASCII digits, one `.` or `,` before at most `places` decimals, a sign only when
    `signed`; no spaces, underscores, exponents, thousands separators or other scripts' digits.
    JSON numbers (int, float) and Decimals are checked the same way. Refused with an
    `InvalidAmount` naming `field`; never raises anything else, never returns a non-finite value.
    """
    words = _WORDS["amount" if noun == "amount" else "number"]
    if isinstance(value, bool):
        raise InvalidAmount(str(words["format"]) % {"example": "1250.00"}, field=field)
    if isinstance(value, Decimal):
        number = value
        if not number.is_finite():
            raise InvalidAmount(str(words["format"]) % {"example": "1250.00"}, field=field)
        exponent = number.normalize().as_tuple().exponent
        if isinstance(exponent, int) and exponent < -places:
            raise _too_precise(places, field)
    else:
        if isinstance(value, int):
            text = str(value)
        elif isinstance(value, float):
            text = repr(value)  # the shortest text that reads back as this float
        elif isinstance(value, str):
            text = value
        else:
            raise InvalidAmount(str(words["format"]) % {"example": "1250.00"}, field=field)
        number = _read_number(text, field=field, places=places, signed=signed, words=words)
    if number < 0 and not signed:
        raise InvalidAmount(str(words["sign"]), field=field)
    if number > max_value:
        raise InvalidAmount(_("Enter at most %(max)s.") % {"max": _plain(max_value)}, field=field)
    if number < min_value:
        raise InvalidAmount(_("Enter at least %(min)s.") % {"min": _plain(min_value)}, field=field)
    return number


def parse_money(
    value: object,
    *,
    field: str,
    max_value: Decimal = MAX_AMOUNT,
    min_value: Decimal = ZERO,
    signed: bool = False,
) -> Decimal:
    """An amount of money: `parse_decimal` with two decimals, returned in cents (12.5 → 12.50).
    The currency is the object's (every currency the product books has two minor digits)."""
    number = parse_decimal(
        value,
        field=field,
        places=2,
        max_value=max_value,
        min_value=min_value,
        signed=signed,
        noun="amount",
    )
    return number.quantize(CENT)


def _read_number(
    text: str, *, field: str, places: int, signed: bool, words: dict[str, Any]
) -> Decimal:
    if not text:
        raise InvalidAmount(_("This field is required."), field=field)
    if len(text) > _LONGEST_NUMBER:
        raise InvalidAmount(_("This number is too long."), field=field)
    match = _NUMBER.fullmatch(text)
    if match is None:
        example = "-1250.00" if signed else "1250.00"
        raise InvalidAmount(str(words["format"]) % {"example": example}, field=field)
    if match["sign"] and not signed:
        raise InvalidAmount(str(words["sign"]), field=field)
    fraction = match["fraction"] or ""
    if len(fraction) > places:
        raise _too_precise(places, field)
    return Decimal(f"{match['sign']}{match['whole']}.{fraction or '0'}")


def _too_precise(places: int, field: str) -> InvalidAmount:
    if places == 0:
        return InvalidAmount(_("Enter a whole number."), field=field)
    return InvalidAmount(
        _("Enter at most %(places)d decimal(s).") % {"places": places}, field=field
    )


def _plain(number: Decimal) -> str:
    # No thousands separator: the messages ask people not to type one.
    return f"{number:.2f}" if number == number.quantize(CENT) else f"{number}"


# --- dates ---------------------------------------------------------------------------------------
FIRST_REPORT_YEAR = 2000
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_date(value: object, *, field: str) -> dt.date:
    """A date typed as YYYY-MM-DD (ASCII digits), or a date already parsed by a form field."""
    if isinstance(value, dt.datetime):
        raise InvalidInput(_("Enter a date as YYYY-MM-DD."), field=field)
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise InvalidInput(_("Enter a date as YYYY-MM-DD."), field=field)
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(_("This date does not exist."), field=field) from exc


def parse_year(
    value: object, *, field: str = "year", first: int = FIRST_REPORT_YEAR, last: int | None = None
) -> int:
    """A year between `first` and `last` (default: next year, from `clock.today()`)."""
    last = clock.today().year + 1 if last is None else last
    if isinstance(value, int) and not isinstance(value, bool):
        year = value
    elif isinstance(value, str) and re.fullmatch(r"[0-9]{4}", value):
        year = int(value)
    else:
        raise InvalidInput(_("Enter the year with four digits, e.g. 2026."), field=field)
    if not first <= year <= last:
        raise InvalidInput(
            _("Choose a year from %(first)d to %(last)d.") % {"first": first, "last": last},
            field=field,
        )
    return year


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (or earlier); 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class DateWindow:
    """Which dates an object may have, relative to today: the first day no earlier than
    `days_back` (or `years_back`) before today and no later than `years_ahead` after; the last
    day on or after the first; the whole at most `longest_days` days (both ends counted)."""

    what: Any  # a lazily translated noun ("an order form")
    years_back: int = 0
    years_ahead: int = 1
    longest_days: int | None = None
    days_back: int = 0

    def earliest(self, today: dt.date) -> dt.date:
        return add_years(today, -self.years_back) - dt.timedelta(days=self.days_back)

    def latest(self, today: dt.date) -> dt.date:
        return add_years(today, self.years_ahead)


ORDER_FORM_DATES = DateWindow(
    gettext_lazy("an order form"), years_back=1, years_ahead=2, longest_days=366
)
"""Order forms: work starting at most a year ago and at most two years ahead, a year long at most
(a longer engagement is several order forms: each is invoiced when confirmed)."""

BOOKING_DATES = DateWindow(gettext_lazy("a booking"), years_back=0, years_ahead=1)
"""Workspace bookings: from today up to the booking horizon, a year ahead (how long a booking
lasts is the workspace's rule: 31 days)."""


def check_date_range(
    start: dt.date,
    end: dt.date,
    *,
    window: DateWindow,
    start_field: str = "start_date",
    end_field: str = "end_date",
    today: dt.date | None = None,
) -> tuple[dt.date, dt.date]:
    """Refuse (InvalidInput at the field) a range outside the object's window; returns it."""
    today = today or clock.today()
    earliest, latest = window.earliest(today), window.latest(today)
    if start < earliest:
        raise InvalidInput(
            _("The first day of %(what)s is %(day)s at the earliest.")
            % {"what": window.what, "day": earliest.isoformat()},
            field=start_field,
        )
    if start > latest:
        raise InvalidInput(
            _("The first day of %(what)s is %(day)s at the latest.")
            % {"what": window.what, "day": latest.isoformat()},
            field=start_field,
        )
    if end < start:
        raise InvalidInput(_("The last day comes before the first day."), field=end_field)
    if window.longest_days is not None and (end - start).days + 1 > window.longest_days:
        raise InvalidInput(
            _("%(what)s lasts %(days)d days at most.")
            % {"what": window.what[0].upper() + window.what[1:], "days": window.longest_days},
            field=end_field,
        )
    return start, end


# --- the same rules for API schemas (django-ninja / pydantic) -------------------------------------
@dataclass(frozen=True)
class DecimalInput:
    """Annotated[Decimal, DecimalInput(...)]: a schema field read by `parse_decimal` (money by
    default: two decimals, 0 to 10 million). A refusal is a validation error at the field (422)."""

    max_value: Decimal = MAX_AMOUNT
    min_value: Decimal = ZERO
    places: int = 2
    signed: bool = False

    def parse(self, value: object, field: str = "") -> Decimal:
        number = parse_decimal(
            value,
            field=field,
            places=self.places,
            max_value=self.max_value,
            min_value=self.min_value,
            signed=self.signed,
        )
        return number.quantize(CENT) if self.places == 2 else number

    def _validate(self, value: object) -> Decimal:
        try:
            return self.parse(value)
        except InvalidInput as exc:
            raise PydanticCustomError(exc.code, exc.message) from None

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(self._validate)

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        sign = "[+-]?" if self.signed else ""
        decimals = f"(?:[.,][0-9]{{1,{self.places}}})?" if self.places else ""
        step = float(Decimal(1).scaleb(-self.places))
        return {
            "anyOf": [
                {
                    "type": "string",
                    "pattern": f"^{sign}[0-9]{{1,15}}{decimals}$",
                    "maxLength": _LONGEST_NUMBER,
                },
                {
                    "type": "number",
                    "minimum": float(self.min_value),
                    "maximum": float(self.max_value),
                    "multipleOf": step,
                },
            ],
            "description": (
                f"A number with at most {self.places} decimal(s), from {self.min_value} to "
                f"{self.max_value}, as a JSON number or a string of ASCII digits"
            ),
            "examples": ["1250.00" if self.places == 2 else "1"],
        }


@dataclass(frozen=True)
class TextInput:
    """Annotated[str, TextInput(max_length=...)]: a schema field read by `clean_text`."""

    max_length: int
    required: bool = True
    multiline: bool = False

    def _validate(self, value: object) -> str:
        try:
            return clean_text(
                value,
                field="",
                max_length=self.max_length,
                required=self.required,
                multiline=self.multiline,
            )
        except InvalidInput as exc:
            raise PydanticCustomError(exc.code, exc.message) from None

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(self._validate)

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "type": "string",
            "maxLength": self.max_length,
            **({"minLength": 1} if self.required else {}),
            "description": "Text without bidi controls or zero-width characters",
        }


MoneyIn = Annotated[Decimal, DecimalInput()]
"""An amount from 0 to 10,000,000.00 in an API body; other bounds: Annotated[Decimal,
DecimalInput(max_value=...)]."""
