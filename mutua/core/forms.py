"""What every form shares: business-rule refusals shown at their field, and the form fields that
read input through mutua.core.inputs (the same rules as the API and the commands)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms

from mutua.core.errors import DomainError, InvalidInput
from mutua.core.inputs import (
    MAX_AMOUNT,
    ZERO,
    DateWindow,
    check_date_range,
    clean_text,
    parse_decimal,
)


def add_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Show a business-rule refusal next to the field it names (or above the form)."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


class DecimalNumberField(forms.Field):
    """A number read by `parse_decimal`: ASCII digits, one `.` or `,`, at most `places` decimals,
    within [min_value, max_value]; no padding, underscores, exponents or other scripts' digits."""

    def __init__(
        self,
        *,
        places: int = 2,
        max_value: Decimal = MAX_AMOUNT,
        min_value: Decimal = ZERO,
        signed: bool = False,
        **kwargs: Any,
    ) -> None:
        self.places, self.signed = places, signed
        self.max_value, self.min_value = Decimal(max_value), Decimal(min_value)
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        if value in self.empty_values:
            return None
        try:
            return self._parse(value)
        except InvalidInput as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from None

    def _parse(self, value: Any) -> Decimal:
        return parse_decimal(
            value,
            field="",
            places=self.places,
            max_value=self.max_value,
            min_value=self.min_value,
            signed=self.signed,
        )

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.TextInput):
            attrs.setdefault("inputmode", "decimal")
            attrs.setdefault("autocomplete", "off")
        return attrs


class MoneyField(DecimalNumberField):
    """An amount: two decimals, 0 to 10,000,000.00 unless the field says otherwise."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["places"] = 2
        super().__init__(**kwargs)

    def _parse(self, value: Any) -> Decimal:
        return super()._parse(value).quantize(Decimal("0.01"))


class WholeNumberField(DecimalNumberField):
    """A whole number from ASCII digits (no "1_000", "١٢" or " 12 "), within the bounds."""

    def __init__(self, *, max_value: int, min_value: int = 0, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.NumberInput)
        super().__init__(
            places=0, max_value=Decimal(max_value), min_value=Decimal(min_value), **kwargs
        )

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        number = super().to_python(value)
        return None if number is None else int(number)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.NumberInput):
            attrs.update(min=str(self.min_value), max=str(self.max_value), step="1")
        return attrs


class TextField(forms.CharField):
    """Free text read by `clean_text`: trimmed, bounded, without bidi overrides, zero-width or
    control characters (line breaks only with a Textarea)."""

    def __init__(self, *, max_length: int, **kwargs: Any) -> None:
        super().__init__(max_length=max_length, **kwargs)

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        try:
            return clean_text(
                text,
                field="",
                max_length=self.max_length or 0,
                required=False,  # the field's own `required` says it, in Django's words
                multiline=isinstance(self.widget, forms.Textarea),
            )
        except InvalidInput as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from None


def check_form_dates(
    form: forms.Form,
    window: DateWindow,
    *,
    start: str = "start_date",
    end: str = "end_date",
) -> None:
    """In a form's clean(): refuse the range outside the object's window, at the field."""
    first, last = form.cleaned_data.get(start), form.cleaned_data.get(end)
    if not isinstance(first, dt.date) or not isinstance(last, dt.date):
        return
    if isinstance(first, dt.datetime):
        first = first.date()  # bookings: the window is in days
    if isinstance(last, dt.datetime):
        last = last.date()
    try:
        check_date_range(first, last, window=window, start_field=start, end_field=end)
    except InvalidInput as exc:
        add_domain_error(form, exc)


def form_status(*forms_shown: Any) -> int:
    """The status of a page showing these forms: 400 when a submitted one was refused (the
    reasons at their fields), 200 otherwise."""
    for form in forms_shown:
        if form is None or not form.is_bound:
            continue
        count = getattr(form, "total_error_count", None)  # a formset
        if (count() if count is not None else len(form.errors)) > 0:
            return 400
    return 200
