"""Forms of the legal parameter pages: they parse input; the actions decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mutua.countries.registry import rules_for

MAX_FILE_BYTES = 1024 * 1024  # a year of a country's values is a few kilobytes


class LoadForm(forms.Form):
    country = forms.ChoiceField(label=_("Country"))
    file = forms.FileField(
        label=_("Parameter file"),
        help_text=_("The year's YAML file (UTF-8 text, up to 1 MB)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml,text/yaml"}),
    )

    def __init__(self, *args: Any, countries: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["country"]
        field.choices = [(code, f"{code} {rules_for(code).name}") for code in countries]

    def clean_file(self) -> str:
        """The file's text: a file too large or not UTF-8 text is refused before parsing."""
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB."))
        content = upload.read()
        try:
            text: str = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from exc
        if "\x00" in text:
            raise forms.ValidationError(_("The file is not UTF-8 text."))
        return text


class RefuseForm(forms.Form):
    reason = forms.CharField(label=_("Reason for refusal"), max_length=500)
