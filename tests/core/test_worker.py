"""Background tasks: with the database backend a mail waits for `mutua worker`, which sends it
once; in the embedded demo (immediate backend) it goes when the transaction commits."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from mutua.members import actions
from tests.conftest import make_member

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _approve_an_applicant(entity_be: Any, adviser_be: Any) -> None:
    applicant = make_member(entity_be, approve=False)
    actions.approve_membership(actor=adviser_be, membership=applicant)


@pytest.mark.django_db(transaction=True)
def test_worker_sends_the_waiting_mail_once(settings: Any, entity_be: Any, adviser_be: Any) -> None:
    settings.TASKS = DATABASE_TASKS
    _approve_an_applicant(entity_be, adviser_be)
    assert mail.outbox == [] and DBTaskResult.objects.count() == 1

    call_command("worker", "--batch", "--no-startup-delay", "--no-reload", stdout=io.StringIO())
    assert len(mail.outbox) == 1 and "Welcome" in mail.outbox[0].subject
    call_command("worker", "--batch", "--no-startup-delay", "--no-reload", stdout=io.StringIO())
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_action_enqueues_nothing(
    settings: Any, entity_be: Any, adviser_be: Any
) -> None:
    settings.TASKS = DATABASE_TASKS
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        _approve_an_applicant(entity_be, adviser_be)
        raise RuntimeError("the request failed after the approval")
    assert DBTaskResult.objects.count() == 0 and mail.outbox == []
