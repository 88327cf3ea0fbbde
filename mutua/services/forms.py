"""Forms of the services pages: they parse and offer only what the user may choose; the rules
themselves are in the actions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from mutua.activities.models import Activity
from mutua.core.forms import DecimalNumberField, MoneyField, TextField
from mutua.core.permissions import Role
from mutua.entities.models import Entity
from mutua.services.models import (
    AdviceTopic,
    CoverKind,
    LoanKind,
    Place,
    RepaymentMethod,
    ResourceKind,
)
from mutua.services.uploads import MAX_FILES

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


def when(label: Any) -> forms.DateTimeField:
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    return forms.DateTimeField(label=label, input_formats=DATETIME_FORMATS, widget=widget)


def money(label: Any, *, required: bool = True) -> MoneyField:
    """An amount from 0 to 10,000,000.00 (mutua.core.inputs)."""
    return MoneyField(label=label, required=required)


def rate(label: Any) -> DecimalNumberField:
    """A rate from 0 to 1 with at most five decimals (0.009 = 0.9 %)."""
    return DecimalNumberField(label=label, places=5, max_value=Decimal("1"))


def text(label: Any, *, max_length: int, required: bool = True, lines: int = 0) -> TextField:
    """Free text without bidi overrides or zero-width characters; `lines` makes a textarea."""
    widget = forms.Textarea(attrs={"rows": lines}) if lines else forms.TextInput
    return TextField(label=label, max_length=max_length, required=required, widget=widget)


class ActivityChoiceForm(forms.Form):
    """A form whose `activity` field lists only the activities the user may charge."""

    activity = forms.ModelChoiceField(queryset=Activity.objects.none(), label=_("Charged to"))

    def __init__(self, *args: Any, activities: QuerySet[Activity], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["activity"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = activities


class SlotForm(forms.Form):
    starts_at = when(_("From"))
    ends_at = when(_("Until"))


class BookingForm(ActivityChoiceForm, SlotForm):
    field_order = ["starts_at", "ends_at", "activity"]


class EnrolForm(ActivityChoiceForm):
    def __init__(self, *args: Any, paid: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity"].required = paid


class LoanRequestForm(ActivityChoiceForm):
    kind = forms.ChoiceField(label=_("Kind of loan"), choices=LoanKind.choices)
    principal = money(_("Amount"))
    months = forms.IntegerField(label=_("Term in months"), min_value=1, max_value=120)
    method = forms.ChoiceField(label=_("Repayment"), choices=RepaymentMethod.choices)
    purpose = text(_("What is it for?"), max_length=2000, lines=3)
    field_order = ["activity", "kind", "principal", "months", "method", "purpose"]


class JoinPolicyForm(ActivityChoiceForm):
    pass


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_FILES:
            raise forms.ValidationError(_("Attach five files at most."))
        return [super(FilesField, self).clean(f, initial) for f in files]


class AdviceForm(forms.Form):
    entity = forms.ModelChoiceField(queryset=Entity.objects.none(), label=_("Cooperative"))
    topic = forms.ChoiceField(label=_("Topic"), choices=AdviceTopic.choices)
    subject = text(_("Subject"), max_length=200)
    body = text(_("Your question"), max_length=20000, lines=6)
    attachments = FilesField(label=_("Documents (PDF, PNG or JPEG, 10 MB each)"))

    def __init__(self, *args: Any, entities: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["entity"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = entities
        if entities.count() == 1:
            field.initial = entities.first()


class ReplyForm(forms.Form):
    body = text(_("Message"), max_length=20000, lines=4)
    attachments = FilesField(label=_("Documents (PDF, PNG or JPEG, 10 MB each)"))


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you?"),
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        coerce=int,
    )
    comment = text(_("Comment"), max_length=2000, required=False, lines=2)


class AssignForm(forms.Form):
    adviser = forms.ModelChoiceField(queryset=get_user_model().objects.none(), label=_("Adviser"))

    def __init__(self, *args: Any, entity: Entity, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["adviser"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            get_user_model()
            .objects.filter(staff_roles__role=Role.ADVISER, staff_roles__entity=entity)
            .distinct()
        )


# --- staff ------------------------------------------------------------------------------------


class PlaceForm(forms.Form):
    name = text(_("Name"), max_length=120)
    address = text(_("Address"), max_length=250, required=False)


class ResourceForm(forms.Form):
    place = forms.ModelChoiceField(queryset=Place.objects.none(), label=_("Place"))
    kind = forms.ChoiceField(label=_("Kind"), choices=ResourceKind.choices)
    name = text(_("Name"), max_length=120)
    hourly_price = money(_("Price per hour"))
    daily_price = money(_("Price per day (0: none)"))
    free_cancellation_hours = forms.IntegerField(
        label=_("Free cancellation until (hours before)"), min_value=0, max_value=720, initial=24
    )

    def __init__(self, *args: Any, places: QuerySet[Place], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["place"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = places


class SessionForm(forms.Form):
    topic = text(_("Topic"), max_length=200)
    trainer = text(_("Trainer"), max_length=120)
    starts_at = when(_("Starts"))
    ends_at = when(_("Ends"))
    capacity = forms.IntegerField(label=_("Seats"), min_value=1, max_value=1000)
    price = money(_("Price per participant (0: free)"))
    place = forms.ModelChoiceField(queryset=Place.objects.none(), label=_("Place"), required=False)
    online_url = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    description = text(_("Description"), max_length=5000, required=False, lines=10)

    def __init__(self, *args: Any, places: QuerySet[Place], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["place"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = places


class AttendanceForm(forms.Form):
    present = forms.TypedMultipleChoiceField(
        label=_("Present"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, enrolled: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["present"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = enrolled


class RefuseLoanForm(forms.Form):
    reason = text(_("Reason"), max_length=2000, lines=3)


class LoanTermsForm(forms.Form):
    valid_from = forms.DateField(
        label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    investment_rate = rate(_("Yearly interest rate (0.04 = 4 %)"))
    file_fee_rate = rate(_("File fee rate (0.03 = 3 %)"))
    max_months = forms.IntegerField(label=_("Longest term in months"), min_value=1, max_value=240)


class EmployerCoverForm(forms.Form):
    kind = forms.ChoiceField(label=_("Cover"), choices=CoverKind.choices)
    rate = rate(_("Rate on gross pay (0.009 = 0.9 %)"))
    valid_from = forms.DateField(
        label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    insurer = text(_("Insurer"), max_length=120)
    policy_number = text(_("Policy number"), max_length=60, required=False)
    mandatory = forms.BooleanField(label=_("Required by law"), required=False)


class PolicyForm(forms.Form):
    name = text(_("Name"), max_length=150)
    covers = text(_("What it covers"), max_length=2000, lines=3)
    insurer = text(_("Insurer"), max_length=120)
    policy_number = text(_("Policy number"), max_length=60)
    annual_premium = money(_("Yearly premium"))


class AdviceTargetForm(forms.Form):
    topic = forms.ChoiceField(label=_("Topic"), choices=AdviceTopic.choices)
    hours = forms.IntegerField(label=_("First answer within (hours)"), min_value=1, max_value=2000)
