"""Forms of the expense pages: they parse input; the actions decide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from mutua.activities.models import Activity
from mutua.core.forms import DecimalNumberField, MoneyField, TextField
from mutua.expenses.actions import LineInput
from mutua.expenses.models import RefundMode
from mutua.expenses.receipts import MAX_RECEIPT_BYTES
from mutua.expenses.rules import categories_for

RECEIPT_ACCEPT = "application/pdf,image/jpeg,image/png"


class ClaimForm(forms.Form):
    title = TextField(label=_("Title"), max_length=200)
    activity = forms.ModelChoiceField(label=_("Activity"), queryset=Activity.objects.none())
    refund_mode = forms.ChoiceField(
        label=_("Refund"), choices=RefundMode.choices, initial=RefundMode.PAYOUT
    )
    receipt = forms.FileField(
        label=_("Receipt"),
        required=False,
        help_text=_("PDF, JPEG or PNG, up to 10 MB: a photo of the ticket is fine."),
        widget=forms.ClearableFileInput(attrs={"accept": RECEIPT_ACCEPT, "capture": "environment"}),
    )

    def __init__(self, *args: Any, activities: QuerySet[Activity], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = activities  # type: ignore[attr-defined]


class LineForm(forms.Form):
    """One expense; a row left without description is an unused row, not an error."""

    date = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput({"type": "date"})
    )
    category = forms.ChoiceField(label=_("Category"), choices=(), required=False)
    description = TextField(label=_("Description"), max_length=200, required=False)
    supplier = TextField(label=_("Supplier"), max_length=200, required=False)
    quantity = DecimalNumberField(
        label=_("Km, days or nights"), max_value=Decimal("100000"), required=False
    )
    amount = MoneyField(label=_("Amount incl. VAT"), required=False)  # ≤ 10,000,000.00
    vat_rate = DecimalNumberField(label=_("VAT rate (%)"), max_value=Decimal("100"), required=False)
    vat_recoverable = MoneyField(label=_("Recoverable VAT"), required=False)

    def __init__(self, *args: Any, countries: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        seen: dict[str, str] = {}
        for country in countries or ["BE"]:
            for cat in categories_for(country):
                seen.setdefault(cat.code, cat.label)
        self.fields["category"].choices = list(seen.items())  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("description") or "").strip():
            return {}
        for name in ("date", "category"):
            if not data.get(name):
                self.add_error(name, _("This field is required."))
        return data

    def to_input(self) -> LineInput | None:
        data = self.cleaned_data
        if not data:
            return None
        return LineInput(
            date=data["date"],
            category=data["category"],
            description=data["description"],
            supplier=data.get("supplier") or "",
            quantity=data.get("quantity"),
            amount=data.get("amount"),
            vat_rate=data.get("vat_rate") or Decimal("0"),
            vat_recoverable=data.get("vat_recoverable"),
        )


LineFormSet = forms.formset_factory(LineForm, extra=3, max_num=100)


class ReceiptForm(forms.Form):
    file = forms.FileField(
        label=_("Receipt"),
        help_text=_("PDF, JPEG or PNG, up to 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": RECEIPT_ACCEPT, "capture": "environment"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_RECEIPT_BYTES:
            raise forms.ValidationError(_("A receipt is at most 10 MB."))
        return upload


class RejectForm(forms.Form):
    reason = TextField(label=_("Reason for refusal"), max_length=500)
