from django import forms
from django.utils.translation import gettext_lazy as _

from mutua.activities.models import ParticipantRole
from mutua.core.forms import TextField
from mutua.entities.models import Entity


class OpenActivityForm(forms.Form):
    entity = forms.ModelChoiceField(
        label=_("Entity"), queryset=Entity.objects.none(), empty_label=None
    )
    name = TextField(label=_("Name"), max_length=200)
    sector = TextField(label=_("Sector"), max_length=80, required=False)
    description = TextField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )

    def __init__(self, *args: object, entities: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["entity"].queryset = entities  # type: ignore[attr-defined]


class ShareForm(forms.Form):
    email = forms.EmailField(
        label=_("Member's e-mail"), help_text=_("An active member of the same entity")
    )
    role = forms.ChoiceField(label=_("Role"), choices=ParticipantRole.choices)
