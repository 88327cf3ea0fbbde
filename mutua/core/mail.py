"""Mail the sign-in pages send (django-allauth: address verification, password reset, security
notices) leaves through the task queue, like every other mail of the product, never inside the
request: a mail server that is down or slow cannot turn "reset my password" into a 500 or hold a
worker. The message is rendered in the request (the links need it) and sent by `mutua worker`
after the commit; a failure is recorded on the task, where the worker can be seen retrying.

settings: ACCOUNT_ADAPTER = "mutua.core.mail.QueuedMailAdapter".
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django_tasks import task

from mutua.core.tasks import enqueue_after_commit


class QueuedMailAdapter(DefaultAccountAdapter):
    """allauth's adapter, its mail queued instead of sent in the request."""

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        request = allauth_context.request
        full_context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            **context,
        }
        queue_mail(self.render_mail(template_prefix, email, full_context))


def queue_mail(message: EmailMessage) -> None:
    """Send `message` from the task queue once the current transaction commits."""
    if message.attachments:
        raise ValueError("queued mail carries no attachments")
    enqueue_after_commit(send_queued_mail_task, as_json(message))


def as_json(message: EmailMessage) -> dict[str, Any]:
    """What a task argument may hold (JSON): the rendered message, without the connection."""
    alternatives = getattr(message, "alternatives", [])
    return {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "content_subtype": message.content_subtype,
        "alternatives": [[str(content), str(mimetype)] for content, mimetype in alternatives],
    }


def from_json(data: dict[str, Any]) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    message.content_subtype = data["content_subtype"]
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    return message


@task()
def send_queued_mail_task(message: dict[str, Any]) -> None:
    from_json(message).send()
