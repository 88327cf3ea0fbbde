from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class RatesUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Reference rates file (ECB CSV)"),
        help_text=_("eurofxref-hist.csv or eurofxref.csv from the European Central Bank."),
    )
