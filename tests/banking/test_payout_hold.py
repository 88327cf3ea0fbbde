"""The first payouts to a bank account changed in the last 7 days wait for a staff check: held out
of the pain.001 with their reason until an accountant, payroll officer or administrator (with
TOTP) releases them, or the 7 days pass (issue "Security, second round", finding 5)."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client
from django.urls import reverse

from mutua.banking import payouts
from mutua.banking.models import Payout
from mutua.banking.payouts import export_payouts
from mutua.core.errors import AccessDenied, StateConflict
from mutua.core.permissions import Role
from mutua.demo import identifiers as ids
from mutua.members import actions
from mutua.members.models import Person, StaffRole
from mutua.payroll.actions import run_payroll
from tests.conftest import PASSWORD, TOTP_SECRET, make_staff
from tests.members.mfa import login_with_second_factor
from tests.payroll.conftest import APRIL, scene

NEW_IBAN = ids.iban("BE", random.Random(777))


def change_iban(person: Person) -> Person:
    identity = actions.Identity(
        **{**{n: getattr(person, n) for n in actions.PERSON_FIELDS}, "iban": NEW_IBAN}
    )
    return actions.update_identity(
        actor=person.user,
        person=person,
        identity=identity,
        reauthentication=actions.Reauthentication(password=PASSWORD),
    )


@pytest.fixture
def paid(db: Any, clock: Any) -> dict[str, Any]:
    """April's pay is due to two members; the first changed her IBAN two days ago."""
    world = scene("BE")
    run_payroll(entity=world["entity"], period=APRIL)
    clock.tick(-timedelta(days=2))
    change_iban(world["people"][0])
    clock.tick(timedelta(days=2))
    world["accountant"] = make_staff(world["entity"], Role.ACCOUNTANT)
    return world


def exported_people(result: Any) -> set[int]:
    if result.batch is None:
        return set()
    return set(result.batch.items.values_list("person_id", flat=True))


def test_a_payout_to_a_new_iban_is_held_out_of_the_pain001(paid: dict[str, Any]) -> None:
    changed, other = paid["people"][0], paid["people"][1]
    result = export_payouts(entity=paid["entity"], acting_user=paid["accountant"])
    assert exported_people(result) == {other.pk}
    assert NEW_IBAN not in result.document.decode()
    (held,) = [s for s in result.skipped if s.status == "held"]
    assert held.name == changed.full_name and "bank account changed" in held.reason
    item = Payout.objects.get(person=changed)
    assert item.batch is None  # waits, unpaid, for the next export
    assert [h.person for h in payouts.held_payees(paid["entity"])] == [changed]


def test_released_by_staff_it_leaves_with_the_next_export(paid: dict[str, Any]) -> None:
    changed = paid["people"][0]
    export_payouts(entity=paid["entity"], acting_user=paid["accountant"])
    payouts.release_payout_hold(
        acting_user=paid["accountant"], entity=paid["entity"], person=changed
    )
    changed.refresh_from_db()
    assert changed.iban_checked_by == paid["accountant"]
    again = export_payouts(entity=paid["entity"], acting_user=paid["accountant"])
    assert exported_people(again) == {changed.pk}
    assert NEW_IBAN in again.document.decode()
    assert payouts.held_payees(paid["entity"]) == []


def test_without_a_release_it_waits_7_days(paid: dict[str, Any], clock: Any) -> None:
    changed = paid["people"][0]
    export_payouts(entity=paid["entity"], acting_user=paid["accountant"])
    clock.tick(timedelta(days=4, hours=23))  # 6 days 23 hours after the change
    assert exported_people(export_payouts(entity=paid["entity"], acting_user=None)) == set()
    clock.tick(timedelta(hours=1, minutes=1))
    later = export_payouts(entity=paid["entity"], acting_user=paid["accountant"])
    assert exported_people(later) == {changed.pk}


def test_a_second_change_after_a_release_holds_again(paid: dict[str, Any], clock: Any) -> None:
    changed = paid["people"][0]
    payouts.release_payout_hold(
        acting_user=paid["accountant"], entity=paid["entity"], person=changed
    )
    clock.tick(timedelta(minutes=5))
    changed.refresh_from_db()
    change_iban_back = actions.Identity(
        **{
            **{n: getattr(changed, n) for n in actions.PERSON_FIELDS},
            "iban": ids.iban("BE", random.Random(778)),
        }
    )
    actions.update_identity(
        actor=changed.user,
        person=changed,
        identity=change_iban_back,
        reauthentication=actions.Reauthentication(password=PASSWORD),
    )
    result = export_payouts(entity=paid["entity"], acting_user=paid["accountant"])
    assert changed.pk not in exported_people(result)


def test_who_may_release(paid: dict[str, Any]) -> None:
    entity, changed = paid["entity"], paid["people"][0]
    for refused in (
        make_staff(entity, Role.ADVISER),  # not a payments role
        make_staff(entity, Role.PAYROLL_OFFICER, mfa=False),  # no TOTP
    ):
        with pytest.raises(AccessDenied):
            payouts.release_payout_hold(acting_user=refused, entity=entity, person=changed)
    # Never one's own new account, even as an administrator with TOTP.
    StaffRole.objects.create(user=changed.user, role=Role.ADMINISTRATOR, entity=entity)
    TOTP.activate(changed.user, TOTP_SECRET)
    with pytest.raises(AccessDenied, match="own bank account"):
        payouts.release_payout_hold(acting_user=changed.user, entity=entity, person=changed)
    officer = make_staff(entity, Role.PAYROLL_OFFICER)
    payouts.release_payout_hold(acting_user=officer, entity=entity, person=changed)
    with pytest.raises(StateConflict):  # nothing held any more
        payouts.release_payout_hold(acting_user=officer, entity=entity, person=changed)


def test_the_staff_page_lists_and_releases(paid: dict[str, Any]) -> None:
    changed = paid["people"][0]
    export_payouts(entity=paid["entity"], acting_user=paid["accountant"])
    page = login_with_second_factor(Client(), paid["accountant"])
    listing = page.get(reverse("portal:held_payouts"))
    assert listing.status_code == 200 and changed.full_name in listing.content.decode()
    url = reverse("portal:release_held_payouts", args=[paid["entity"].pk, changed.pk])
    member = Client()
    member.force_login(paid["people"][1].user)
    assert member.get(reverse("portal:held_payouts")).status_code == 403
    assert member.post(url).status_code == 404
    adviser = login_with_second_factor(Client(), make_staff(paid["entity"], Role.ADVISER))
    assert adviser.get(reverse("portal:held_payouts")).status_code == 403
    assert adviser.post(url).status_code == 404
    assert page.post(url).status_code == 302
    changed.refresh_from_db()
    assert changed.iban_checked_by == paid["accountant"]
    assert "Nothing held." in page.get(reverse("portal:held_payouts")).content.decode()
