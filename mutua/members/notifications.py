"""Mails to members, sent after the deciding transaction commits (never for a rollback)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from mutua.core.tasks import enqueue_after_commit
from mutua.members.models import Membership, MembershipStatus


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
