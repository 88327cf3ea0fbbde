from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from mutua.countries.registry import country_choices
from mutua.entities.models import Entity
from mutua.members.actions import Household, Identity, Reauthentication
from mutua.members.models import MaritalStatus, TokenScope

DATE = forms.DateInput(attrs={"type": "date"})


class IdentityForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=DATE)
    country = forms.ChoiceField(label=_("Country of residence"), choices=country_choices)
    national_number = forms.CharField(
        label=_("National number"),
        max_length=20,
        required=False,
        help_text=_("Needed before your first pay; checked against your country's format."),
    )
    street = forms.CharField(label=_("Street"), max_length=200, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=20, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    iban = forms.CharField(
        label=_("Bank account (IBAN)"),
        max_length=40,
        required=False,
        help_text=_("Your pay and refunds are sent to this account."),
    )
    preferred_language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    def identity(self) -> Identity:
        return Identity(**self.cleaned_data)


class ProfileIdentityForm(IdentityForm):
    """The profile's identity form: changing the bank account asks for the password (and the
    authenticator code) again, in the same form."""

    current_password = forms.CharField(
        label=_("Current password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Needed to change your bank account."),
    )
    totp_code = forms.CharField(
        label=_("Authenticator code"),
        required=False,
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=_("The code your authenticator app shows, to change your bank account."),
    )
    REAUTHENTICATION_FIELDS = ("current_password", "totp_code")

    def __init__(self, *args: Any, with_totp: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_totp:
            del self.fields["totp_code"]

    def identity(self) -> Identity:
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.REAUTHENTICATION_FIELDS}
        return Identity(**data)

    def reauthentication(self) -> Reauthentication:
        return Reauthentication(
            password=self.cleaned_data.get("current_password") or "",
            totp_code=self.cleaned_data.get("totp_code") or "",
        )


class ApplicationForm(IdentityForm):
    entity = forms.ModelChoiceField(
        label=_("Cooperative to join"), queryset=Entity.objects.none(), empty_label=None
    )
    field_order = ["entity"]

    def __init__(self, *args: object, entities: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["entity"].queryset = entities  # type: ignore[attr-defined]

    def identity(self) -> Identity:
        data = {k: v for k, v in self.cleaned_data.items() if k != "entity"}
        return Identity(**data)


class HouseholdForm(forms.Form):
    marital_status = forms.ChoiceField(label=_("Marital status"), choices=MaritalStatus.choices)
    partner_has_income = forms.BooleanField(
        label=_("My partner has a professional income"), required=False
    )
    dependent_children = forms.IntegerField(label=_("Dependent children"), min_value=0)
    disabled_dependent_children = forms.IntegerField(
        label=_("Of whom with a disability"), min_value=0
    )
    single_parent = forms.BooleanField(label=_("I raise my children alone"), required=False)
    artist_certificate_until = forms.DateField(
        label=_("Artist work certificate valid until"), required=False, widget=DATE
    )
    municipality = forms.CharField(label=_("Municipality"), max_length=100, required=False)
    tax_table = forms.IntegerField(
        label=_("Tax table"),
        min_value=1,
        max_value=99,
        required=False,
        help_text=_("Sweden: the table number on your preliminary tax decision (e.g. 32)."),
    )

    def household(self) -> Household:
        return Household(**self.cleaned_data)


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100)
    scope = forms.ChoiceField(
        label=_("Access"),
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        required=False,  # read only unless asked
        widget=forms.RadioSelect,
    )
    grant = forms.ChoiceField(
        label=_("Created as"),
        choices=(),
        required=False,  # the first of the user's roles, else memberships
        help_text=_("The token stops working when this role or membership ends."),
    )
    expires_at = forms.DateField(label=_("Expires on"), required=False, widget=DATE)

    def __init__(self, *args: Any, grants: Sequence[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grant"].choices = list(grants)  # type: ignore[attr-defined]

    def clean_scope(self) -> str:
        return self.cleaned_data.get("scope") or TokenScope.READ
