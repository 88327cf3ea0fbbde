from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mutua.clients.models import Client
from mutua.core.forms import DecimalNumberField, MoneyField, TextField
from mutua.invoicing.actions import MAX_QUANTITY

VAT_RATE_CHOICES = [
    ("standard", _("Standard rate")),
    ("reduced", _("Reduced rate")),
    ("reduced_2", _("Second reduced rate")),
    ("zero", _("Zero rate")),
]


class InvoiceHeaderForm(forms.Form):
    client = forms.ModelChoiceField(label=_("Client"), queryset=Client.objects.none())
    notes = TextField(
        label=_("Note on the invoice"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=5000,
    )

    def __init__(self, *args: object, clients: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["client"].queryset = clients  # type: ignore[attr-defined]


class InvoiceLineForm(forms.Form):
    """One line; a row left without description is an unused row, not an error."""

    description = TextField(label=_("Description"), max_length=500, required=False)
    quantity = DecimalNumberField(
        label=_("Quantity"), places=3, max_value=MAX_QUANTITY - 1, initial=1, required=False
    )
    unit_price = MoneyField(label=_("Unit price excl. VAT"), required=False)  # ≤ 10,000,000.00
    vat_rate_name = forms.ChoiceField(label=_("VAT"), choices=VAT_RATE_CHOICES, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("description") or "").strip():
            return {}
        for name in ("quantity", "unit_price"):
            if data.get(name) is None:
                self.add_error(name, _("This field is required."))
        data["vat_rate_name"] = data.get("vat_rate_name") or "standard"
        return data


LineFormSet = forms.formset_factory(InvoiceLineForm, extra=3)


class CreditForm(forms.Form):
    reason = TextField(label=_("Why is the invoice cancelled?"), max_length=300)
