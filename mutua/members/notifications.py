"""Mails to members, sent after the deciding transaction commits (never for a rollback)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from mutua.core.tasks import enqueue_after_commit
from mutua.members.models import Membership, MembershipStatus, Person


def notify_decision_after_commit(membership: Membership) -> None:
    enqueue_after_commit(send_decision_task, membership.pk)


@task()
def send_decision_task(membership_id: int) -> None:
    membership = Membership.objects.select_related("person__user", "entity").get(pk=membership_id)
    send_decision(membership)


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


def notify_iban_changed_after_commit(person: Person) -> None:
    enqueue_after_commit(send_iban_changed_task, person.pk)


@task()
def send_iban_changed_task(person_id: int) -> None:
    send_iban_changed(Person.objects.select_related("user").get(pk=person_id))


def masked_iban(iban: str) -> str:
    """Enough of an account number to recognise it, not enough to copy it."""
    return f"{iban[:4]} … {iban[-4:]}" if len(iban) > 8 else "…"


def send_iban_changed(person: Person) -> None:
    """Tell the member their pay now goes to another account, in case it was not them."""
    if person.user is None or not person.user.email:
        return
    changed = person.iban_changed_at
    with translation.override(person.preferred_language or settings.LANGUAGE_CODE):
        subject = _("Your bank account for pay was changed")
        body = _(
            "The bank account your pay, refunds and other payments go to was changed on "
            "%(when)s. New account: %(iban)s.\n\n"
            "Payments to a new account wait for a check by our staff for 7 days. If you did not "
            "make this change, contact your cooperative at once and change your password."
        ) % {
            "when": formats.date_format(timezone.localtime(changed), "DATETIME_FORMAT")
            if changed
            else "—",
            "iban": masked_iban(person.iban) if person.iban else _("none"),
        }
    send_mail(subject, body, None, [person.user.email])
