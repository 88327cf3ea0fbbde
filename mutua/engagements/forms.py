from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from mutua.activities.models import Activity
from mutua.clients.models import Client
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
    activity = forms.ModelChoiceField(label=_("Activity"), queryset=Activity.objects.none())
    client = forms.ModelChoiceField(label=_("Client"), queryset=Client.objects.none())
    description = forms.CharField(
        label=_("Work to be done"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    start_date = forms.DateField(label=_("First day"), widget=DateInput)
    end_date = forms.DateField(label=_("Last day"), widget=DateInput)
    working_days = forms.DecimalField(label=_("Working days"), decimal_places=2, max_digits=6)
    amount_excl_vat = forms.DecimalField(
        label=_("Amount excl. VAT"), decimal_places=2, max_digits=18, required=False
    )
    wanted_net = forms.DecimalField(
        label=_("Or: net pay wanted"),
        decimal_places=2,
        max_digits=18,
        required=False,
        help_text=_("Leave the amount empty: the simulator computes what to invoice."),
    )
    reinvoiced_expenses = forms.DecimalField(
        label=_("Expenses re-invoiced"),
        decimal_places=2,
        max_digits=18,
        required=False,
        initial=Decimal("0"),
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
    message = forms.CharField(
        label=_("What should change?"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    reason = forms.CharField(
        label=_("Why do you refuse?"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
