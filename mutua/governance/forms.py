"""Forms of governance pages: they parse input; the actions decide."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from mutua.governance.models import PaymentMethod, ShareClass


class SubscribeForm(forms.Form):
    share_class = forms.ModelChoiceField(queryset=ShareClass.objects.none(), label=_("Class"))
    quantity = forms.IntegerField(label=_("Number of shares"), min_value=1, max_value=100_000)
    method = forms.ChoiceField(label=_("Payment"), choices=PaymentMethod.choices)

    def __init__(self, *args: object, classes: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["share_class"].queryset = classes  # type: ignore[attr-defined]


class AccountsForm(forms.Form):
    year = forms.IntegerField(label=_("Financial year"), min_value=2000, max_value=2100)
    approved_on = forms.DateField(label=_("Approved by the assembly on"))
    net_assets = forms.DecimalField(label=_("Net assets"), max_digits=18, decimal_places=2)
    solvency_test_passed = forms.BooleanField(label=_("Solvency test passed"), required=False)
    liquidity_test_passed = forms.BooleanField(label=_("Liquidity test passed"), required=False)

    def clean_net_assets(self) -> Decimal:
        value: Decimal = self.cleaned_data["net_assets"]
        return value
