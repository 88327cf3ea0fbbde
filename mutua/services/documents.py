"""Certificates as PDF: attendance of a training session, cover under a policy.

Rendered like the payslip (mutua/payroll/documents.py): a Django template in the member's
language, dates and money formatted by babel, and WeasyPrint that never fetches anything.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_currency
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mutua.core import clock
from mutua.core.errors import StateConflict
from mutua.core.pdf import html_to_pdf
from mutua.entities.models import Entity
from mutua.members.models import Person
from mutua.services.models import Enrolment, PolicyCover

TEMPLATE = "services/certificate_pdf.html"
LANGUAGES = ("en", "fr", "nl")


def _language(person: Person | None) -> str:
    wanted = (person.preferred_language if person else "en")[:2]
    return wanted if wanted in LANGUAGES else "en"


def _locale(language: str, entity: Entity) -> Locale:
    try:
        return Locale.parse(f"{language}_{entity.country}")
    except (UnknownLocaleError, ValueError):
        return Locale.parse(language)


def attendance_context(enrolment: Enrolment) -> dict[str, Any]:
    if enrolment.attended is not True:
        raise StateConflict(_("A certificate of attendance is issued once attendance is recorded."))
    session = enrolment.session
    language = _language(enrolment.person)
    locale = _locale(language, session.entity)
    start = timezone.localtime(session.starts_at)
    hours = Decimal((session.ends_at - session.starts_at).total_seconds()) / 3600
    return {
        "lang": language,
        "kind": "attendance",
        "entity": session.entity,
        "person": enrolment.person,
        "reference": f"TRN-{session.pk}-{enrolment.pk}",
        "session": session,
        "date": format_date(start.date(), "long", locale=locale),
        "hours": hours.quantize(Decimal("0.1")),
        "issued": format_date(clock.today(), "long", locale=locale),
    }


def cover_context(cover: PolicyCover, holder: Person | None) -> dict[str, Any]:
    policy = cover.policy
    language = _language(holder)
    locale = _locale(language, policy.entity)

    def day(value: dt.date) -> str:
        return str(format_date(value, "long", locale=locale))

    return {
        "lang": language,
        "kind": "cover",
        "entity": policy.entity,
        "person": holder,
        "reference": f"INS-{policy.pk}-{cover.pk}",
        "policy": policy,
        "activity": cover.activity,
        "starts_on": day(cover.starts_on),
        "ends_on": day(cover.ends_on),
        "premium": format_currency(cover.premium, policy.entity.currency, locale=locale),
        "issued": day(clock.today()),
    }


def certificate_pdf(context: dict[str, Any]) -> bytes:
    with translation.override(context["lang"]):
        html = render_to_string(TEMPLATE, context)
    result: bytes = html_to_pdf(html)
    return result
