"""Mails about order forms, sent only after the deciding transaction commits."""

from __future__ import annotations

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from mutua.core.tasks import enqueue_after_commit
from mutua.engagements.models import OrderForm


def client_language(order_form: OrderForm) -> str:
    """The client's language when the entity speaks it, else the entity's first language."""
    spoken = order_form.entity.language_list or ["en"]
    wanted = getattr(order_form.client, "language", "") or ""
    return wanted if wanted in spoken else spoken[0]


def send_to_client_after_commit(order_form: OrderForm, link: str) -> None:
    enqueue_after_commit(send_to_client_task, order_form.pk, link)


@task()
def send_to_client_task(order_form_id: int, link: str) -> None:
    send_to_client(_order_form(order_form_id), link)


def _order_form(order_form_id: int) -> OrderForm:
    return OrderForm.objects.select_related("entity", "client", "created_by").get(pk=order_form_id)


def send_to_client(order_form: OrderForm, link: str) -> None:
    recipient = getattr(order_form.client, "email", "") or ""
    if not recipient:
        return
    with translation.override(client_language(order_form)):
        subject = _("Order form %(ref)s from %(entity)s: please confirm") % {
            "ref": order_form.reference,
            "entity": order_form.entity.name,
        }
        body = render_to_string(
            "engagements/mail_to_client.txt", {"form": order_form, "link": link}
        )
    send_mail(subject, body, None, [recipient])


def tell_member_after_commit(order_form: OrderForm) -> None:
    enqueue_after_commit(tell_member_task, order_form.pk)


@task()
def tell_member_task(order_form_id: int) -> None:
    tell_member(_order_form(order_form_id))


def tell_member(order_form: OrderForm) -> None:
    """The member who wrote the form learns the client's answer."""
    member = order_form.created_by
    if not member.email:
        return
    person = getattr(member, "person", None)
    with translation.override(getattr(person, "preferred_language", "") or "en"):
        subject = _("%(client)s answered order form %(ref)s: %(status)s") % {
            "client": order_form.client.name,
            "ref": order_form.reference,
            "status": order_form.get_status_display(),
        }
        body = render_to_string("engagements/mail_to_member.txt", {"form": order_form})
    send_mail(subject, body, None, [member.email])
