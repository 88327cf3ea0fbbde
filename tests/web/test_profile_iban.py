"""The account pay goes to changes only with the password (and TOTP code) typed again, and the
member is told by mail (issue "Security, second round", finding 5)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mutua.core.errors import InvalidInput
from mutua.core.models import AuditEvent
from mutua.demo import identifiers as ids
from mutua.members import actions
from mutua.members.models import Membership, Person
from tests.conftest import PASSWORD, TOTP_SECRET
from tests.members.mfa import frozen_process, totp_code

NEW_IBAN = ids.iban("BE", random.Random(424242))


@pytest.fixture
def frozen(clock: Any) -> Iterator[Any]:
    with frozen_process(clock) as frozen_time:
        yield frozen_time


def identity_post(person: Person, **changes: str) -> dict[str, str]:
    data = {name: getattr(person, name) or "" for name in actions.PERSON_FIELDS}
    data["birth_date"] = person.birth_date.isoformat() if person.birth_date else ""
    return {**data, **changes}


def browser(person: Person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def test_a_new_iban_needs_the_current_password(
    alice: Membership, django_capture_on_commit_callbacks: Any, mailoutbox: Any
) -> None:
    person = alice.person
    old_iban, page = person.iban, browser(person)
    url = reverse("portal:edit_identity")
    with django_capture_on_commit_callbacks(execute=True):
        missing = page.post(url, identity_post(person, iban=NEW_IBAN))
        wrong = page.post(url, identity_post(person, iban=NEW_IBAN, current_password="nope"))
    for refused in (missing, wrong):
        assert refused.status_code == 400
        assert refused.context["identity_form"].errors["current_password"]
    person.refresh_from_db()
    assert (person.iban, person.iban_changed_at, mailoutbox) == (old_iban, None, [])

    with django_capture_on_commit_callbacks(execute=True):
        done = page.post(url, identity_post(person, iban=NEW_IBAN, current_password=PASSWORD))
    assert done.status_code == 302
    person.refresh_from_db()
    assert person.iban == NEW_IBAN
    assert person.iban_changed_at is not None
    assert abs((timezone.now() - person.iban_changed_at).total_seconds()) < 60
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [person.user.email] and "bank account" in mail.subject
    assert NEW_IBAN[-4:] in mail.body and NEW_IBAN not in mail.body  # masked
    event = AuditEvent.objects.filter(action="person.update_identity").latest("pk")
    assert event.before["iban"] == old_iban and event.after["iban"] == NEW_IBAN


def test_a_member_with_totp_also_types_a_code(alice: Membership, frozen: Any) -> None:
    person = alice.person
    TOTP.activate(person.user, TOTP_SECRET)
    page, url = browser(person), reverse("portal:edit_identity")
    assert "totp_code" in page.get(reverse("portal:profile")).context["identity_form"].fields
    no_code = page.post(url, identity_post(person, iban=NEW_IBAN, current_password=PASSWORD))
    assert no_code.status_code == 400
    assert no_code.context["identity_form"].errors["totp_code"]
    with_code = identity_post(
        person, iban=NEW_IBAN, current_password=PASSWORD, totp_code=totp_code()
    )
    assert page.post(url, with_code).status_code == 302
    person.refresh_from_db()
    assert person.iban == NEW_IBAN


def test_other_identity_changes_need_no_password_and_send_no_mail(
    alice: Membership, django_capture_on_commit_callbacks: Any, mailoutbox: Any
) -> None:
    person = alice.person
    with django_capture_on_commit_callbacks(execute=True):
        response = browser(person).post(
            reverse("portal:edit_identity"), identity_post(person, city="Namur")
        )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.city, person.iban_changed_at, mailoutbox) == ("Namur", None, [])


def test_the_action_itself_refuses_an_iban_change_without_the_password(
    alice: Membership,
) -> None:
    person = alice.person
    identity = actions.Identity(
        **{**{n: getattr(person, n) for n in actions.PERSON_FIELDS}, "iban": NEW_IBAN}
    )
    with pytest.raises(InvalidInput) as refused:
        actions.update_identity(actor=person.user, person=person, identity=identity)
    assert refused.value.field == "current_password"
    person.refresh_from_db()
    assert person.iban != NEW_IBAN
