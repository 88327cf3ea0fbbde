"""Forms of governance pages: they parse input; the actions decide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mutua.core.forms import MoneyField, TextField, WholeNumberField
from mutua.entities.models import Entity
from mutua.governance.models import (
    AssemblyKind,
    ElectionMethod,
    Majority,
    MajorityBase,
    PaymentMethod,
    QuorumKind,
    ShareClass,
)

NET_ASSETS_BOUND = Decimal("1000000000.00")


class SubscribeForm(forms.Form):
    share_class = forms.ModelChoiceField(queryset=ShareClass.objects.none(), label=_("Class"))
    quantity = WholeNumberField(label=_("Number of shares"), min_value=1, max_value=100_000)
    method = forms.ChoiceField(label=_("Payment"), choices=PaymentMethod.choices)

    def __init__(self, *args: object, classes: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["share_class"].queryset = classes  # type: ignore[attr-defined]


class AccountsForm(forms.Form):
    year = WholeNumberField(label=_("Financial year"), min_value=2000, max_value=2100)
    approved_on = forms.DateField(label=_("Approved by the assembly on"))
    net_assets = MoneyField(  # may be negative; up to a billion either way
        label=_("Net assets"),
        signed=True,
        min_value=-NET_ASSETS_BOUND,
        max_value=NET_ASSETS_BOUND,
    )
    solvency_test_passed = forms.BooleanField(label=_("Solvency test passed"), required=False)
    liquidity_test_passed = forms.BooleanField(label=_("Liquidity test passed"), required=False)

    def clean_net_assets(self) -> Decimal:
        value: Decimal = self.cleaned_data["net_assets"]
        return value


class AssemblyForm(forms.Form):
    entity: forms.ModelChoiceField[Entity] = forms.ModelChoiceField(
        queryset=Entity.objects.none(), label=_("Entity")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=AssemblyKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(
        label=_("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(label=_("Place"), max_length=300, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from mutua.governance.queries import BOARD_ROLES
        from mutua.members.queries import staff_entities

        self.fields["entity"].queryset = staff_entities(user, BOARD_ROLES)  # type: ignore[attr-defined]


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    resolution = forms.CharField(
        label=_("Proposed resolution"), widget=forms.Textarea, required=False
    )
    needs_vote = forms.BooleanField(label=_("Put to the vote"), required=False, initial=True)
    majority = forms.ChoiceField(label=_("Majority"), choices=Majority.choices)
    majority_base = forms.ChoiceField(label=_("Counted on"), choices=MajorityBase.choices)
    quorum_kind = forms.ChoiceField(label=_("Quorum"), choices=QuorumKind.choices)
    quorum = forms.DecimalField(
        label=_("Quorum (fraction, e.g. 0.5)"),
        min_value=Decimal(0),
        max_value=Decimal(1),
        decimal_places=4,
        initial=Decimal(0),
    )


class ProxyForm(forms.Form):
    member_number = forms.CharField(label=_("Member number of your proxy holder"), max_length=30)


class StreamForm(forms.Form):
    url = forms.URLField(label=_("Stream link"), required=False, assume_scheme="https")


class ElectionForm(forms.Form):
    entity: forms.ModelChoiceField[Entity] = forms.ModelChoiceField(
        queryset=Entity.objects.none(), label=_("Entity")
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    method = forms.ChoiceField(label=_("Method"), choices=ElectionMethod.choices)
    candidacy_opens = forms.DateField(
        label=_("Candidacies open"), widget=forms.DateInput(attrs={"type": "date"})
    )
    candidacy_closes = forms.DateField(
        label=_("Candidacies close"), widget=forms.DateInput(attrs={"type": "date"})
    )
    voting_opens = forms.DateTimeField(
        label=_("Voting opens"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    voting_closes = forms.DateTimeField(
        label=_("Voting closes"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    continuing_seats = forms.IntegerField(
        label=_("Board seats not up for renewal"), min_value=0, initial=0
    )
    constituencies = forms.CharField(
        label=_("Constituencies"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line: code, name, seats, share classes (e.g. members, Members, 6, A)"),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from mutua.governance.queries import BOARD_ROLES
        from mutua.members.queries import staff_entities

        self.fields["entity"].queryset = staff_entities(user, BOARD_ROLES)  # type: ignore[attr-defined]

    def clean_constituencies(self) -> list[Any]:
        from mutua.governance.election_actions import Seats

        seats = []
        for number, line in enumerate(self.cleaned_data["constituencies"].splitlines(), 1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split(",")]
            if len(parts) < 3 or not parts[2].isdigit():
                raise forms.ValidationError(
                    _("Line %(n)s: write code, name, seats, share classes.") % {"n": number}
                )
            seats.append(Seats(parts[0], parts[1], int(parts[2]), ",".join(parts[3:])))
        return seats


class LegalHolderForm(forms.Form):
    name = TextField(label=_("Name"), max_length=200, required=False)
    company_number = TextField(label=_("Company number"), max_length=20, required=False)
    address = TextField(label=_("Seat"), max_length=300, required=False)
    iban = TextField(label=_("IBAN"), max_length=34, required=False)
    sister_entity: forms.ModelChoiceField[Entity] = forms.ModelChoiceField(
        queryset=Entity.objects.all(),
        label=_("Or a sister entity of the federation"),
        required=False,
    )


class HolderSubscriptionForm(forms.Form):
    holder_number = WholeNumberField(
        label=_("Register number of the holder"), min_value=1, max_value=10_000_000
    )
    share_class = forms.ModelChoiceField(queryset=ShareClass.objects.none(), label=_("Class"))
    quantity = WholeNumberField(label=_("Number of shares"), min_value=1, max_value=100_000)
    method = forms.ChoiceField(label=_("Payment"), choices=PaymentMethod.choices)

    def __init__(self, *args: Any, classes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["share_class"].queryset = classes  # type: ignore[attr-defined]
