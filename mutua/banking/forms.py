from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_FILE_BYTES = 50 * 1024 * 1024  # a year of daily CODA files of a large account fits easily


class StatementUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Statement file"), help_text=_("CODA or camt.053 (XML); the format is detected.")
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB."))
        return upload


class MatchForm(forms.Form):
    invoices = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=())
    numbers = forms.CharField(
        label=_("Invoice numbers"),
        required=False,
        max_length=300,
        help_text=_("Other invoices of the entity, separated by commas or spaces."),
    )

    def __init__(self, *args: object, choices: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["invoices"].choices = choices  # type: ignore[attr-defined]

    def numbers_list(self) -> list[str]:
        text = self.cleaned_data.get("numbers", "").replace(",", " ")
        return [number for number in text.split() if number]
