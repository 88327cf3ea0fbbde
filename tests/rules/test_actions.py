"""Propose, approve (a second person), refuse: what an approved set changes, and who may act."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

import pytest

from mutua.core.errors import (
    AccessDenied,
    DuplicateRequest,
    InvalidInput,
    RuleViolation,
    StateConflict,
)
from mutua.core.models import AuditEvent
from mutua.core.permissions import Role
from mutua.countries import parameters
from mutua.countries.be.payroll import calculator
from mutua.countries.parameters import ParameterFileError
from mutua.entities.models import Entity
from mutua.governance.models import RuleChange
from mutua.rules import loaded
from mutua.rules.actions import approve_parameter_set, propose_parameter_set, refuse_parameter_set
from mutua.rules.models import ParameterSetUpload, UploadState
from tests.conftest import make_entity, make_member, make_staff
from tests.rules.conftest import OFFICIAL_BE_2027, SHIPPED_BE_2027

MARCH_2027 = dt.date(2027, 3, 1)


def test_an_approved_official_set_changes_the_pay_and_is_no_longer_provisional(
    officer: Any, admin: Any, django_capture_on_commit_callbacks: Any
) -> None:
    before = calculator(MARCH_2027)
    assert before.provisional and before.social.employee == D("0.1307")
    upload = propose_parameter_set(acting_user=officer, country="BE", text=OFFICIAL_BE_2027)
    assert calculator(MARCH_2027).social.employee == D("0.1307")  # proposed is not in force
    with django_capture_on_commit_callbacks(execute=True):
        approve_parameter_set(acting_user=admin, upload=upload)
    after = calculator(MARCH_2027)
    assert after.social.employee == D("0.135")
    assert not after.provisional and after.notes == ()
    upload.refresh_from_db()
    assert (upload.state, upload.decided_by) == (UploadState.APPROVED, admin)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"rules.propose_parameter_set", "rules.approve_parameter_set"} <= actions


def test_the_person_who_proposed_cannot_approve(admin: Any) -> None:
    upload = propose_parameter_set(acting_user=admin, country="BE", text=OFFICIAL_BE_2027)
    with pytest.raises(RuleViolation, match="another administrator"):
        approve_parameter_set(acting_user=admin, upload=upload)
    upload.refresh_from_db()
    assert upload.state == UploadState.PROPOSED


def test_a_payroll_officer_proposes_but_does_not_approve(officer: Any, entity_be: Entity) -> None:
    other_officer = make_staff(entity_be, Role.PAYROLL_OFFICER)
    upload = propose_parameter_set(acting_user=officer, country="BE", text=OFFICIAL_BE_2027)
    with pytest.raises(AccessDenied):
        approve_parameter_set(acting_user=other_officer, upload=upload)


@pytest.mark.parametrize("who", ["member", "adviser", "foreign administrator"])
def test_members_advisers_and_other_countries_staff_cannot_propose(
    who: str, entity_be: Entity, adviser_be: Any
) -> None:
    user = {
        "member": lambda: make_member(entity_be).person.user,
        "adviser": lambda: adviser_be,
        "foreign administrator": lambda: make_staff(make_entity("FR"), Role.ADMINISTRATOR),
    }[who]()
    with pytest.raises(AccessDenied):
        propose_parameter_set(acting_user=user, country="BE", text=OFFICIAL_BE_2027)
    assert not ParameterSetUpload.objects.exists()


def test_a_bad_file_is_refused_with_its_problems_and_nothing_is_stored(officer: Any) -> None:
    events = AuditEvent.objects.count()
    with pytest.raises(ParameterFileError) as caught:
        propose_parameter_set(
            acting_user=officer, country="BE", text=OFFICIAL_BE_2027.replace("unit: rate", "", 1)
        )
    assert caught.value.problems[0][0] == 14
    assert not ParameterSetUpload.objects.exists()
    assert AuditEvent.objects.count() == events


def test_the_same_file_twice_is_refused_until_it_is_refused(officer: Any, admin: Any) -> None:
    first = propose_parameter_set(acting_user=officer, country="BE", text=OFFICIAL_BE_2027)
    with pytest.raises(DuplicateRequest, match="already loaded"):
        propose_parameter_set(acting_user=officer, country="BE", text=OFFICIAL_BE_2027)
    refuse_parameter_set(acting_user=admin, upload=first, reason="wrong source")
    again = propose_parameter_set(acting_user=officer, country="BE", text=OFFICIAL_BE_2027)
    assert again.pk != first.pk
    assert ParameterSetUpload.objects.count() == 2


def test_a_decided_set_is_never_decided_again(officer: Any, admin: Any) -> None:
    upload = propose_parameter_set(acting_user=officer, country="BE", text=OFFICIAL_BE_2027)
    with pytest.raises(InvalidInput, match="say why"):
        refuse_parameter_set(acting_user=admin, upload=upload, reason=" ")
    refuse_parameter_set(acting_user=admin, upload=upload, reason="not yet published")
    with pytest.raises(StateConflict, match="already refused"):
        approve_parameter_set(acting_user=admin, upload=upload)
    upload.refresh_from_db()
    assert (upload.state, upload.refusal_reason) == (UploadState.REFUSED, "not yet published")


def test_the_differences_to_the_set_in_force_are_stored(officer: Any) -> None:
    upload = propose_parameter_set(acting_user=officer, country="BE", text=OFFICIAL_BE_2027)
    assert upload.differences["against"] == "BE 2027 (provisional, shipped, issued 2026-12-06)"
    (change,) = upload.differences["changes"]
    assert change == {
        "table": "social",
        "key": "employee",
        "valid_from": "2027-01-01",
        "before": "0.1307 rate",
        "after": "0.135 rate",
        "kind": "changed",
        "status": "V",
        "source": "ONSS instructions 2027/1",
    }


def test_a_set_the_book_would_never_use_is_refused(officer: Any) -> None:
    older = SHIPPED_BE_2027.replace("issued: 2026-12-06", "issued: 2026-11-01", 1)
    with pytest.raises(RuleViolation, match="never be used"):
        propose_parameter_set(acting_user=officer, country="BE", text=older)


def test_approving_after_the_set_in_force_changed_is_refused(officer: Any, admin: Any) -> None:
    first = propose_parameter_set(acting_user=officer, country="BE", text=OFFICIAL_BE_2027)
    second_text = OFFICIAL_BE_2027.replace("issued: 2026-12-20", "issued: 2026-12-22", 1)
    second = propose_parameter_set(acting_user=officer, country="BE", text=second_text)
    approve_parameter_set(acting_user=admin, upload=first)
    with pytest.raises(StateConflict, match="changed since this proposal"):
        approve_parameter_set(acting_user=admin, upload=second)


def test_the_approval_is_logged_on_each_entity_of_the_country(
    officer: Any, admin: Any, entity_be: Entity
) -> None:
    second_be, french = make_entity("BE2", country="BE"), make_entity("FR")
    upload = propose_parameter_set(acting_user=officer, country="BE", text=OFFICIAL_BE_2027)
    approve_parameter_set(acting_user=admin, upload=upload)
    logged = RuleChange.objects.filter(title__contains="payroll parameters BE 2027")
    assert sorted(logged.values_list("entity_id", flat=True)) == [entity_be.pk, second_be.pk]
    assert not RuleChange.objects.filter(entity=french).exists()
    change = logged.get(entity=entity_be)
    assert change.effective_on == dt.date(2027, 1, 1)
    assert change.notice_given_on == dt.date(2026, 6, 15)
    assert "social.employee from 2027-01-01: 0.1307 rate → 0.135 rate" in change.description


def test_a_legal_change_may_be_logged_after_it_applies(
    officer: Any, admin: Any, entity_be: Entity, clock: Any
) -> None:
    """Unlike the cooperative's own rules: the law is published when the authority publishes."""
    clock.move_to(dt.date(2027, 1, 20))
    upload = propose_parameter_set(acting_user=officer, country="BE", text=OFFICIAL_BE_2027)
    approve_parameter_set(acting_user=admin, upload=upload)
    change = RuleChange.objects.get(entity=entity_be)
    assert change.effective_on < change.notice_given_on == dt.date(2027, 1, 20)


def test_another_process_sees_an_approval_at_its_next_freshness_check(
    officer: Any, admin: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The approval's invalidate() runs here only: another process notices the new approved
    upload when it next looks, at most every MUTUA_RULES_REFRESH_SECONDS."""
    ticks = iter(float(n) for n in range(1000, 10**6, 10))  # each look is 10 s after the last
    monkeypatch.setattr(loaded, "monotonic", lambda: next(ticks))
    monkeypatch.setattr(loaded, "_checked_at", None)
    monkeypatch.setattr(loaded, "_seen", None)
    settings.MUTUA_RULES_REFRESH_SECONDS = 30
    assert calculator(MARCH_2027).provisional  # the book is built and cached
    upload = propose_parameter_set(acting_user=officer, country="BE", text=OFFICIAL_BE_2027)
    approve_parameter_set(acting_user=admin, upload=upload)  # its on_commit never runs here
    assert calculator(MARCH_2027).provisional  # 10 s later: not looked yet
    assert calculator(MARCH_2027).provisional  # 20 s
    assert not calculator(MARCH_2027).provisional  # 30 s: looked, rebuilt


def test_without_a_readable_database_the_shipped_files_answer() -> None:
    """No `db` here: the database cannot be read, as before `migrate`."""
    assert loaded.loaded_sets("BE") == []
    assert not loaded.database_readable()
    parameters.invalidate()
    assert calculator(MARCH_2027).provisional
