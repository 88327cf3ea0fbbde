from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_RATES_BYTES = 20 * 1024 * 1024  # eurofxref-hist.csv, every day since 1999, is about 2 MB


class RatesUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Reference rates file (ECB CSV)"),
        help_text=_("eurofxref-hist.csv or eurofxref.csv from the European Central Bank."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_RATES_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload
