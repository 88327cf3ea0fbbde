from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from mutua.activities.models import Activity
from mutua.clients.models import Client
from mutua.core.forms import DecimalNumberField, MoneyField, TextField
from mutua.engagements.actions import OrderFormInput

VAT_RATE_CHOICES = [
    ("standard", _("Standard rate")),
    ("reduced", _("Reduced rate")),
    ("reduced_2", _("Second reduced rate")),
    ("super_reduced", _("Super-reduced rate")),
    ("zero", _("Zero rate")),
]


class DateInput(forms.DateInput):
    input_type = "date"


class OrderFormForm(forms.Form):
    """Amounts up to 10,000,000.00 (mutua.core.inputs); the dates' window is the action's rule."""

    activity = forms.ModelChoiceField(label=_("Activity"), queryset=Activity.objects.none())
    client = forms.ModelChoiceField(label=_("Client"), queryset=Client.objects.none())
    description = TextField(
        label=_("Work to be done"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    place = TextField(label=_("Place"), max_length=200, required=False)
    start_date = forms.DateField(label=_("First day"), widget=DateInput)
    end_date = forms.DateField(label=_("Last day"), widget=DateInput)
    working_days = DecimalNumberField(label=_("Working days"), max_value=Decimal("366"))
    amount_excl_vat = MoneyField(label=_("Amount excl. VAT"), required=False)
    wanted_net = MoneyField(
        label=_("Or: net pay wanted"),
        required=False,
        help_text=_("Leave the amount empty: the simulator computes what to invoice."),
    )
    reinvoiced_expenses = MoneyField(
        label=_("Expenses re-invoiced"), required=False, initial=Decimal("0")
    )
    vat_rate_name = forms.ChoiceField(label=_("VAT"), choices=VAT_RATE_CHOICES, initial="standard")

    def __init__(
        self,
        *args: Any,
        activities: QuerySet[Activity],
        clients: QuerySet[Client],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = activities  # type: ignore[attr-defined]
        self.fields["client"].queryset = clients  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("amount_excl_vat") is None and data.get("wanted_net") is None:
            self.add_error("amount_excl_vat", _("Give the amount, or the net pay wanted."))
        return data

    def to_input(self) -> OrderFormInput:
        data = self.cleaned_data
        return OrderFormInput(
            client=data["client"],
            description=data["description"],
            place=data["place"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            working_days=data["working_days"],
            amount_excl_vat=data["amount_excl_vat"],
            wanted_net=data["wanted_net"],
            reinvoiced_expenses=data["reinvoiced_expenses"] or Decimal("0"),
            vat_rate_name=data["vat_rate_name"],
        )


class ClientAnswerForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("confirm", "confirm"), ("changes", "changes"), ("refuse", "refuse")]
    )
    message = TextField(
        label=_("What should change?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )
    reason = TextField(
        label=_("Why do you refuse?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )
