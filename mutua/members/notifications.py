"""Mails to members, sent after the deciding transaction commits (never for a rollback)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from mutua.members.models import Membership, MembershipStatus


def notify_decision_after_commit(membership: Membership) -> None:
    transaction.on_commit(lambda: send_decision(membership))


def send_decision(membership: Membership) -> None:
    person = membership.person
    if person.user is None or not person.user.email:
        return
    with translation.override(person.preferred_language or settings.LANGUAGE_CODE):
        if membership.status == MembershipStatus.ACTIVE:
            subject = _("Welcome to %(entity)s") % {"entity": membership.entity.name}
            body = _(
                "Your membership is approved. Your member number is %(number)s. "
                "You can now open your first activity in the portal."
            ) % {"number": membership.number}
        else:
            subject = _("Your application to %(entity)s") % {"entity": membership.entity.name}
            body = _("Your application was not accepted. Reason: %(reason)s") % {
                "reason": membership.end_reason
            }
    send_mail(subject, body, None, [person.user.email])
