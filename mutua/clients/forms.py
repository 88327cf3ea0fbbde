from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from mutua.clients.actions import ClientDetails
from mutua.clients.models import ClientKind
from mutua.core.forms import TextField
from mutua.entities.models import Entity


class ClientForm(forms.Form):
    entity = forms.ModelChoiceField(
        label=_("Entity"), queryset=Entity.objects.none(), empty_label=None
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ClientKind.choices)
    name = TextField(label=_("Name"), max_length=200)
    country = forms.CharField(
        label=_("Country"), max_length=2, help_text=_("Two-letter code, e.g. BE, FR, NL")
    )
    language = forms.ChoiceField(label=_("Language of documents"), choices=settings.LANGUAGES)
    vat_number = forms.CharField(label=_("VAT number"), max_length=20, required=False)
    company_number = forms.CharField(label=_("Company number"), max_length=20, required=False)
    peppol_id = forms.CharField(
        label=_("Peppol participant id"),
        max_length=60,
        required=False,
        help_text=_("Filled in for Belgian companies from their company number."),
    )
    street = TextField(label=_("Street"), max_length=200, required=False)
    postcode = TextField(label=_("Postcode"), max_length=20, required=False)
    city = TextField(label=_("City"), max_length=100, required=False)
    email = forms.EmailField(label=_("E-mail for invoices"), required=False)
    payment_terms_days = forms.IntegerField(
        label=_("Payment terms (days)"), min_value=0, max_value=120, required=False
    )

    def __init__(self, *args: object, entities: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["entity"].queryset = entities  # type: ignore[attr-defined]

    def details(self) -> ClientDetails:
        data = {k: v for k, v in self.cleaned_data.items() if k != "entity"}
        return ClientDetails(**data)
