"""The staff pages: load a file (a bad one shows each problem with its line and stores nothing),
see its differences, approve or refuse as another administrator; the public change log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse, reverse_lazy

from mutua.core.models import AuditEvent
from mutua.core.permissions import Role
from mutua.entities.models import Entity
from mutua.rules.actions import propose_parameter_set
from mutua.rules.models import ParameterSetUpload, UploadState
from tests.conftest import make_entity, make_member, make_staff
from tests.rules.conftest import EMPLOYEE_LINE, OFFICIAL_BE_2027

LOAD = reverse_lazy("rules:load")  # not at import: the URLs load after the test settings


def _post_file(client: Client, content: bytes | str, country: str = "BE") -> Any:
    data = content.encode() if isinstance(content, str) else content
    upload = SimpleUploadedFile("2027.yaml", data, content_type="application/yaml")
    return client.post(LOAD, {"country": country, "file": upload})


def test_a_payroll_officer_loads_a_file_and_sees_its_differences(
    officer: Any, client_for: Callable[[Any], Client]
) -> None:
    client = client_for(officer)
    response = _post_file(client, OFFICIAL_BE_2027)
    upload = ParameterSetUpload.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("rules:detail", args=[upload.pk])
    page = client.get(response["Location"]).content.decode()
    assert "BE 2027 (provisional, shipped, issued 2026-12-06)" in page
    assert "employee" in page and "0.1307 rate" in page and "0.135 rate" in page
    assert "ONSS instructions 2027/1" in page
    assert reverse("rules:approve", args=[upload.pk]) not in page  # never one's own


BAD_FILES = [
    pytest.param("tables:\n", "tables: [\n", 10, "not valid YAML", id="yaml"),
    pytest.param("status: V,", "status: V, colour: red,", EMPLOYEE_LINE, "unknown key 'colour'",
                 id="key"),
    pytest.param(
        "employee: {value: 0.135, unit: rate", "employee: {value: 13.5, unit: '%'",
        EMPLOYEE_LINE, "wrong unit '%', expected 'rate'", id="unit",
    ),
    pytest.param(
        "employee: {value: 0.135", "employee: {value: 1.35", EMPLOYEE_LINE, "out of range",
        id="range",
    ),
    pytest.param("      until: 2027-12-31\n", "      until: 2027-11-30\n", 10, "gap in dates",
                 id="gap"),
    pytest.param("country: BE", "country: FR", 3, "this file is for FR, not BE", id="country"),
    pytest.param("year: 2027", "year: soon", 4, "year must be a year", id="year"),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "line", "message"), BAD_FILES)
def test_each_kind_of_bad_file_is_refused_at_the_field_with_its_line(
    old: str, new: str, line: int, message: str, officer: Any, client_for: Callable[[Any], Client]
) -> None:
    assert old in OFFICIAL_BE_2027
    events = AuditEvent.objects.count()
    response = _post_file(client_for(officer), OFFICIAL_BE_2027.replace(old, new, 1))
    assert response.status_code == 400
    errors = response.context["form"].errors["file"]
    assert any(e.startswith(f"line {line}: ") and message in e for e in errors), errors
    assert f"line {line}: " in response.content.decode()
    assert ParameterSetUpload.objects.count() == 0
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"country: BE\n\xff\xfe not text", "not UTF-8 text"),
        (b"#" * (1024 * 1024 + 1), "larger than 1 MB"),
    ],
    ids=["not-utf8", "too-large"],
)
def test_a_file_that_is_not_small_utf8_text_is_refused(
    content: bytes, message: str, officer: Any, client_for: Callable[[Any], Client]
) -> None:
    response = _post_file(client_for(officer), content)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["file"])
    assert ParameterSetUpload.objects.count() == 0


def test_a_double_submission_is_refused_at_the_field(
    officer: Any, client_for: Callable[[Any], Client]
) -> None:
    client = client_for(officer)
    _post_file(client, OFFICIAL_BE_2027)
    response = _post_file(client, OFFICIAL_BE_2027)
    assert response.status_code == 400
    assert "already loaded" in " ".join(response.context["form"].errors["file"])
    assert ParameterSetUpload.objects.count() == 1


def test_another_administrator_approves_and_the_public_log_shows_it(
    officer: Any, admin: Any, entity_be: Entity, client_for: Callable[[Any], Client]
) -> None:
    upload = propose_parameter_set(acting_user=officer, country="BE", text=OFFICIAL_BE_2027)
    client = client_for(admin)
    page = client.get(reverse("rules:detail", args=[upload.pk])).content.decode()
    assert reverse("rules:approve", args=[upload.pk]) in page
    response = client.post(reverse("rules:approve", args=[upload.pk]))
    assert response.status_code == 302
    upload.refresh_from_db()
    assert upload.state == UploadState.APPROVED
    log = Client().get(reverse("governance:rule_log", args=[entity_be.code])).content.decode()
    assert "Legal payroll parameters BE 2027 (official)" in log
    assert "0.1307 rate → 0.135 rate" in log


def test_the_proposer_sees_the_refusal_of_approving_their_own_set(
    admin: Any, client_for: Callable[[Any], Client]
) -> None:
    upload = propose_parameter_set(acting_user=admin, country="BE", text=OFFICIAL_BE_2027)
    client = client_for(admin)
    assert (
        reverse("rules:approve", args=[upload.pk])
        not in client.get(reverse("rules:detail", args=[upload.pk])).content.decode()
    )
    response = client.post(reverse("rules:approve", args=[upload.pk]), follow=True)
    assert "another administrator" in response.content.decode()
    upload.refresh_from_db()
    assert upload.state == UploadState.PROPOSED


def test_a_refusal_needs_a_reason(
    officer: Any, admin: Any, client_for: Callable[[Any], Client]
) -> None:
    upload = propose_parameter_set(acting_user=officer, country="BE", text=OFFICIAL_BE_2027)
    client = client_for(admin)
    client.post(reverse("rules:refuse", args=[upload.pk]), {"reason": ""})
    upload.refresh_from_db()
    assert upload.state == UploadState.PROPOSED
    client.post(reverse("rules:refuse", args=[upload.pk]), {"reason": "not the final text"})
    upload.refresh_from_db()
    assert (upload.state, upload.refusal_reason) == (UploadState.REFUSED, "not the final text")


def test_members_advisers_and_other_countries_staff_reach_nothing(
    officer: Any, entity_be: Entity, adviser_be: Any, client_for: Callable[[Any], Client]
) -> None:
    upload = propose_parameter_set(acting_user=officer, country="BE", text=OFFICIAL_BE_2027)
    member = make_member(entity_be).person.user
    foreign_admin = make_staff(make_entity("FR"), Role.ADMINISTRATOR)
    for user in (member, adviser_be):
        client = client_for(user)
        assert client.get(reverse("rules:list")).status_code == 403
        assert _post_file(client, OFFICIAL_BE_2027.replace("0.135", "0.136")).status_code == 403
    client = client_for(foreign_admin)
    assert client.get(reverse("rules:detail", args=[upload.pk])).status_code == 404
    assert client.post(reverse("rules:approve", args=[upload.pk])).status_code == 404
    assert "BE" not in client.get(reverse("rules:list")).context["all_countries"]
    # A French administrator may not load a Belgian file either (the country is not offered).
    assert _post_file(client, OFFICIAL_BE_2027).status_code == 400
    assert ParameterSetUpload.objects.count() == 1


def test_the_list_shows_the_sets_in_force_and_the_uploads(
    officer: Any, client_for: Callable[[Any], Client]
) -> None:
    propose_parameter_set(acting_user=officer, country="BE", text=OFFICIAL_BE_2027)
    page = client_for(officer).get(reverse("rules:list"), {"country": "BE"}).content.decode()
    assert "shipped" in page and "Proposed" in page and officer.email in page


@pytest.mark.parametrize(
    ("today", "shown"),
    [("2026-10-01", False), ("2026-11-05", True), ("2027-01-10", True)],
)
def test_the_staff_home_warns_before_and_after_the_official_tables_end(
    today: str, shown: bool, officer: Any, clock: Any, client_for: Callable[[Any], Client]
) -> None:
    clock.move_to(dt.date.fromisoformat(today))
    page = client_for(officer).get(reverse("backoffice:home")).content.decode()
    assert ("Payroll tables ending" in page) is shown
    if today == "2026-11-05":
        assert "BE: the official payroll tables end on" in page and "in 56 days" in page
        assert f"{reverse('rules:list')}?country=BE" in page
    if today == "2027-01-10":
        assert "provisional values are in use since" in page


def test_the_warning_goes_once_the_official_set_is_approved(
    officer: Any, admin: Any, clock: Any, client_for: Callable[[Any], Client]
) -> None:
    from mutua.countries import parameters
    from mutua.rules.actions import approve_parameter_set

    clock.move_to(dt.date(2026, 11, 5))
    upload = propose_parameter_set(acting_user=officer, country="BE", text=OFFICIAL_BE_2027)
    approve_parameter_set(acting_user=admin, upload=upload)
    parameters.invalidate()  # what the approval's on_commit does
    page = client_for(officer).get(reverse("backoffice:home")).content.decode()
    assert "Payroll tables ending" not in page
