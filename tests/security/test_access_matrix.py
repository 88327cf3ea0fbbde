"""Access-control matrix: every URL of the project that takes an object id, filled with the ids
of a Belgian member's objects (or of her entity), requested by another member of the entity, by
a member of another entity and by every staff role of that other entity, on the web pages (GET
and POST) and on the API (with a personal access token).

Nobody gets the object: the answer is 403, 404, 405 or a redirect to log in, the victim's data
never appears in the body, and nothing is written (no audit event, no row added or removed).
A new URL with an id fails `test_every_url_with_an_id_is_in_the_matrix` until it is added here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.test.client import MULTIPART_CONTENT
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from mutua.core.models import AuditEvent
from mutua.members import actions as member_actions
from tests.conftest import login
from tests.security.scene import Scene, build_scene

OWN = "own"  # the victim's (or her entity's back office): another member of the entity is refused
SHARED = "shared"  # seen by every member of the entity (workspace, assemblies): foreigners only

# URL name -> (scope, kwargs). A kwarg value names one of the scene's objects ("home" is the
# victims' entity, "home.code" an attribute); anything else (int, or "=text") is used as is.
MATRIX: dict[str, tuple[str, dict[str, Any]]] = {
    "activity_statement": (OWN, {"activity_id": "activity"}),
    "activities:detail": (OWN, {"activity_id": "activity"}),
    "activities:share": (OWN, {"activity_id": "activity"}),
    "clients:detail": (OWN, {"client_id": "client"}),
    "invoicing:create": (OWN, {"activity_id": "activity"}),
    "invoicing:detail": (OWN, {"invoice_id": "invoice"}),
    "invoicing:issue": (OWN, {"invoice_id": "invoice"}),
    "invoicing:credit": (OWN, {"invoice_id": "invoice"}),
    "invoicing:send": (OWN, {"invoice_id": "invoice"}),
    "invoicing:pdf": (OWN, {"invoice_id": "invoice"}),
    "invoicing:ubl": (OWN, {"invoice_id": "invoice"}),
    "money:invoice": (OWN, {"invoice_id": "invoice"}),
    "portal:revoke_token": (OWN, {"token_id": "token"}),
    "portal:person": (OWN, {"person_id": "person"}),
    "portal:release_held_payouts": (OWN, {"entity_id": "home", "person_id": "person"}),
    "backoffice:membership": (OWN, {"membership_id": "membership"}),
    "backoffice:approve": (OWN, {"membership_id": "membership"}),
    "backoffice:reject": (OWN, {"membership_id": "membership"}),
    "ledger:entity": (OWN, {"entity_id": "home"}),
    "ledger:trial_balance": (OWN, {"entity_id": "home"}),
    "ledger:general_ledger": (OWN, {"entity_id": "home"}),
    "ledger:entries": (OWN, {"entity_id": "home"}),
    "ledger:entry": (OWN, {"entry_id": "entry"}),
    "ledger:account": (OWN, {"account_id": "account"}),
    "ledger:activity_statement": (OWN, {"activity_id": "activity"}),
    "banking:entity": (OWN, {"entity_id": "home"}),
    "banking:queue": (OWN, {"entity_id": "home"}),
    "banking:match": (OWN, {"line_id": "statement_line"}),
    "payroll:payslip": (OWN, {"payslip_id": "payslip"}),
    "payroll:payslip_pdf": (OWN, {"payslip_id": "payslip"}),
    "payroll:copyright_decide": (OWN, {"payment_id": "copyright_payment"}),
    "payroll:annual": (
        OWN,
        {"entity_id": "home", "year": 2026, "kind": "=281.10", "person_id": "person"},
    ),
    "payroll:annual_pdf": (
        OWN,
        {"entity_id": "home", "year": 2026, "kind": "=281.10", "person_id": "person"},
    ),
    "payroll:smoothing_preview": (OWN, {"contract_id": "contract"}),
    "payroll:smoothing_choose": (OWN, {"contract_id": "contract"}),
    "payroll:run": (OWN, {"run_id": "run"}),
    "payroll:run_advance": (OWN, {"run_id": "run"}),
    "payroll:run_close": (OWN, {"run_id": "run"}),
    "fund:entity": (OWN, {"entity_id": "home"}),
    "fund:feed": (OWN, {"entity_id": "home"}),
    "fund:write_off": (OWN, {"invoice_id": "invoice"}),
    "fund:advance_queue": (OWN, {"entity_id": "home"}),
    "fund:decide_advance": (OWN, {"request_id": "advance_request"}),
    "expenses:detail": (OWN, {"claim_id": "claim"}),
    "expenses:edit": (OWN, {"claim_id": "claim"}),
    "expenses:upload": (OWN, {"claim_id": "claim"}),
    "expenses:submit": (OWN, {"claim_id": "claim"}),
    "expenses:approve": (OWN, {"claim_id": "claim"}),
    "expenses:reject": (OWN, {"claim_id": "claim"}),
    "expenses:receipt": (OWN, {"receipt_id": "receipt"}),
    "expenses:remove_receipt": (OWN, {"receipt_id": "receipt"}),
    "services:resource": (SHARED, {"resource_id": "resource"}),
    "services:price": (SHARED, {"resource_id": "resource"}),
    "services:cancel_booking": (OWN, {"booking_id": "booking"}),
    "services:session": (SHARED, {"session_id": "session"}),
    "services:cancel_enrolment": (OWN, {"enrolment_id": "enrolment"}),
    "services:attendance_certificate": (OWN, {"enrolment_id": "enrolment"}),
    "services:loan": (OWN, {"loan_id": "loan"}),
    "services:join_policy": (SHARED, {"policy_id": "policy"}),
    "services:cover_certificate": (OWN, {"cover_id": "cover"}),
    "services:advice": (OWN, {"request_id": "advice"}),
    "services:advice_close": (OWN, {"request_id": "advice"}),
    "services:advice_rate": (OWN, {"request_id": "advice"}),
    "services:advice_file": (OWN, {"attachment_id": "advice_file"}),
    "services:staff_workspace": (OWN, {"entity_id": "home"}),
    "services:staff_toggle_resource": (OWN, {"resource_id": "resource"}),
    "services:staff_training": (OWN, {"entity_id": "home"}),
    "services:staff_session": (OWN, {"session_id": "session"}),
    "services:staff_cancel_session": (OWN, {"session_id": "session"}),
    "services:staff_loans": (OWN, {"entity_id": "home"}),
    "services:staff_loan": (OWN, {"loan_id": "loan"}),
    "services:staff_insurance": (OWN, {"entity_id": "home"}),
    "services:staff_toggle_policy": (OWN, {"policy_id": "policy"}),
    "services:staff_advice": (OWN, {"entity_id": "home"}),
    "services:staff_assign": (OWN, {"request_id": "advice"}),
    "governance:certificate": (OWN, {"holder_id": "holder"}),
    "governance:withdraw": (OWN, {"holder_id": "holder"}),
    "governance:register": (OWN, {"entity_id": "home"}),
    "governance:accounts": (OWN, {"entity_id": "home"}),
    "governance:register_holder": (OWN, {"entity_id": "home"}),
    "governance:subscribe_for_holder": (OWN, {"entity_id": "home"}),
    "governance:confirm_payment": (OWN, {"subscription_id": "subscription"}),
    "governance:settle": (OWN, {"exit_id": "exit"}),
    "governance:assembly": (SHARED, {"assembly_id": "assembly"}),
    "governance:document": (SHARED, {"assembly_id": "assembly", "document_id": "document"}),
    "governance:proxy": (SHARED, {"assembly_id": "assembly"}),
    "governance:join": (SHARED, {"assembly_id": "assembly"}),
    "governance:minutes": (SHARED, {"assembly_id": "assembly"}),
    "governance:vote": (SHARED, {"item_id": "item"}),
    "governance:chair": (OWN, {"assembly_id": "assembly"}),
    "governance:chair_live": (OWN, {"assembly_id": "assembly"}),
    "governance:mail_proof": (OWN, {"assembly_id": "assembly", "participant_id": "participant"}),
    "governance:add_item": (OWN, {"assembly_id": "assembly"}),
    "governance:add_document": (OWN, {"assembly_id": "assembly"}),
    "governance:chair_step": (OWN, {"assembly_id": "assembly", "step": "=open"}),
    "governance:chair_item": (
        OWN,
        {"assembly_id": "assembly", "item_id": "item", "step": "=open"},
    ),
    "governance:election": (SHARED, {"election_id": "election"}),
    "governance:stand": (SHARED, {"election_id": "election"}),
    "governance:election_vote": (SHARED, {"election_id": "election"}),
    "governance:count": (OWN, {"election_id": "election"}),
    "governance:board": (OWN, {"election_id": "election"}),
    "governance:board_file": (OWN, {"election_id": "election", "constituency_id": "seat"}),
    "governance:consultation": (SHARED, {"consultation_id": "consultation"}),
    "governance:propose": (SHARED, {"consultation_id": "consultation"}),
    # Members reach the consultation; publishing refuses non-board (no write, checked below).
    "governance:final_report": (SHARED, {"consultation_id": "consultation"}),
    "governance:proposal_step": (SHARED, {"proposal_id": "proposal", "step": "=support"}),
    "reporting:entity": (OWN, {"entity_id": "home"}),
    "reporting:export": (OWN, {"entity_id": "home", "fmt": "=csv"}),
    "engagements:detail": (OWN, {"order_form_id": "order_form"}),
    "engagements:edit": (OWN, {"order_form_id": "order_form"}),
    "engagements:send": (OWN, {"order_form_id": "order_form"}),
    "engagements:cancel": (OWN, {"order_form_id": "order_form"}),
    "engagements:validate": (OWN, {"order_form_id": "order_form"}),
    "engagements:invoice": (OWN, {"order_form_id": "order_form"}),
    # A country's legal parameter sets: staff of another country's entity reach none of them.
    "rules:detail": (OWN, {"upload_id": "parameter_upload"}),
    "rules:approve": (OWN, {"upload_id": "parameter_upload"}),
    "rules:refuse": (OWN, {"upload_id": "parameter_upload"}),
}

API_MATRIX: dict[str, tuple[str, dict[str, Any]]] = {
    "api:person_detail": (OWN, {"person_id": "person"}),
    "api:membership_detail": (OWN, {"membership_id": "membership"}),
    "api:get_activity": (OWN, {"activity_id": "activity"}),
    "api:get_client": (OWN, {"client_id": "client"}),
    "api:get_invoice": (OWN, {"invoice_id": "invoice"}),
    "api:issue": (OWN, {"invoice_id": "invoice"}),
    "api:invoice_pdf": (OWN, {"invoice_id": "invoice"}),
    "api:invoice_ubl": (OWN, {"invoice_id": "invoice"}),
    "api:get_order_form": (OWN, {"order_form_id": "order_form"}),
    "api:send": (OWN, {"order_form_id": "order_form"}),
    "api:get_copyright_payment": (OWN, {"payment_id": "copyright_payment"}),
    "api:approve_copyright_payment": (OWN, {"payment_id": "copyright_payment"}),
    "api:refuse_copyright_payment": (OWN, {"payment_id": "copyright_payment"}),
    "api:get_annual_document": (
        OWN,
        {"entity_id": "home", "year": 2026, "kind": "=281.10", "person_id": "person"},
    ),
    "api:fund_figures": (OWN, {"entity_id": "home"}),
    "api:fund_summary": (SHARED, {"entity_id": "home"}),  # aggregates for every member
    "api:write_off": (OWN, {"invoice_id": "invoice"}),
    "api:ask_for_advance": (OWN, {"order_form_id": "order_form"}),
    "api:approve_advance": (OWN, {"request_id": "advance_request"}),
    "api:refuse_advance": (OWN, {"request_id": "advance_request"}),
    "api:get_claim": (OWN, {"claim_id": "claim"}),
    "api:add_receipt": (OWN, {"claim_id": "claim"}),
    "api:submit_claim": (OWN, {"claim_id": "claim"}),
    "api:approve_claim": (OWN, {"claim_id": "claim"}),
    "api:reject_claim": (OWN, {"claim_id": "claim"}),
    "api:booking_cancel": (OWN, {"booking_id": "booking"}),
    "api:session_enrol": (SHARED, {"session_id": "session"}),
    "api:enrolment_cancel": (OWN, {"enrolment_id": "enrolment"}),
    "api:loan_detail": (OWN, {"loan_id": "loan"}),
    "api:policy_join": (SHARED, {"policy_id": "policy"}),
    "api:advice_detail": (OWN, {"request_id": "advice"}),
    "api:advice_reply": (OWN, {"request_id": "advice"}),
    "api:vote": (SHARED, {"item_id": "item"}),
}

# URLs with an id that are not object pages of a member, and why they are left out.
NOT_OBJECT_URLS = {
    "account_confirm_email": "allauth: the key in the URL is the secret",
    "account_reset_password_from_key": "allauth: the key in the URL is the secret",
    "engagements:confirm": "the client's signed link: the token is the secret (tests/engagements)",
    "governance:rule_log": "public by design: the cooperative's announced rule changes",
}
# Plausible input for every action, so a refusal comes from access control, not from a form.
FORM = {
    "reason": "forged",
    "body": "forged",
    "answer": "forged",
    "status": "accepted",
    "amount": "10.00",
    "choice": "yes",
    "decision": "approve",
    "rating": "5",
    "note": "forged",
    "url": "https://example.test/",
    "title": "forged",
}
REFUSED = {401, 403, 404, 405}


def _walk(resolver: URLResolver, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern, inner)
        elif pattern.pattern.regex.groups:
            yield f"{namespace}{pattern.name or pattern.pattern}", pattern


def urls_with_an_id() -> set[str]:
    return {name for name, _ in _walk(get_resolver()) if not name.startswith("admin:")}


def admin_urls(object_id: int) -> list[str]:
    """Every admin page of an object (the admin is for superusers, never for roles)."""
    return [
        reverse(name, args=[object_id])
        for name, pattern in _walk(get_resolver())
        if name.startswith("admin:")
        and pattern.name
        and list(pattern.pattern.regex.groupindex) == ["object_id"]
    ]


def test_every_url_with_an_id_is_in_the_matrix() -> None:
    found = urls_with_an_id()
    known = set(MATRIX) | set(API_MATRIX) | set(NOT_OBJECT_URLS)
    assert not found - known, (
        f"URLs with an id that the access matrix does not try: {found - known}"
    )
    assert not known - found, f"the matrix names URLs that no longer exist: {known - found}"


def _fill(scene: Scene, kwargs: dict[str, Any]) -> dict[str, Any]:
    filled: dict[str, Any] = {}
    for name, ref in kwargs.items():
        if isinstance(ref, int):
            filled[name] = ref
        elif ref.startswith("="):
            filled[name] = ref[1:]
        elif ref == "home":
            filled[name] = scene.home.pk
        elif ref == "home.code":
            filled[name] = scene.home.code
        else:
            target = scene.objects[ref]
            assert target is not None, f"the scene has no {ref}"
            filled[name] = target.pk
    return filled


def _row_counts() -> dict[str, int]:
    """Rows per table of the project's apps (and users): nothing may be added or removed."""
    models = [
        m
        for m in apps.get_models()
        if m.__module__.startswith("mutua.") or m._meta.label == "auth.User"
    ]
    return {m._meta.label: m._default_manager.count() for m in models}


def _visible_secrets(scene: Scene) -> list[str]:
    """Text that only someone who reached the victim's objects would see."""
    person = scene.alice.person
    return [person.national_number, person.iban, person.last_name]


def _check(
    response: Any, who: str, what: str, secrets: list[str], problems: list[str], api: bool
) -> None:
    status = response.status_code
    redirect = response.get("Location", "")
    if status == 302 and not api and ("/accounts/login" in redirect or "/admin/login" in redirect):
        return
    if status not in REFUSED and not (api and status == 422):
        problems.append(f"{who}: {what} answered {status} {redirect}")
        return
    body = response.content.decode(errors="replace")
    leaked = [s for s in secrets if s and s in body]
    if leaked:
        problems.append(f"{who}: {what} leaked {leaked}")


def _web_attempts(scene: Scene) -> Iterator[tuple[str, str, bool]]:
    for name, (scope, kwargs) in MATRIX.items():
        yield name, reverse(name, kwargs=_fill(scene, kwargs)), scope == OWN


def _api_attempts(scene: Scene) -> Iterator[tuple[str, str, bool]]:
    for name, (scope, kwargs) in API_MATRIX.items():
        yield name, reverse(name, kwargs=_fill(scene, kwargs)), scope == OWN


def _forged_ids(scene: Scene) -> list[str]:
    """Ids that exist nowhere, asked by the owner herself: refused like the others, never 5xx."""
    problems: list[str] = []
    owner = login(Client(), scene.alice.person.user)
    token = member_actions.create_access_token(user=scene.alice.person.user, name="forged")[1]
    api = Client(headers={"Authorization": f"Bearer {token}"})
    for matrix, client, is_api in ((MATRIX, owner, False), (API_MATRIX, api, True)):
        for name, (_scope, kwargs) in matrix.items():
            forged = {k: (999_999_999 if k.endswith("_id") else v) for k, v in kwargs.items()}
            url = reverse(name, kwargs=_fill(scene, forged))
            _check(client.get(url), "alice", f"forged GET {name}", [], problems, api=is_api)
            kind = "application/json" if is_api else MULTIPART_CONTENT
            response = client.post(url, FORM, content_type=kind)
            _check(response, "alice", f"forged POST {name}", [], problems, api=is_api)
    return problems


@pytest.fixture
def scene(db: Any, settings: Any, tmp_path: Any) -> Scene:
    settings.MEDIA_ROOT = tmp_path
    return build_scene()


def test_no_one_reaches_another_members_objects(scene: Scene) -> None:
    # The control: the owner does reach her objects, so the refusals below are real ones.
    owner = login(Client(), scene.alice.person.user)
    for name in ("activities:detail", "invoicing:detail", "payroll:payslip", "portal:person"):
        url = reverse(name, kwargs=_fill(scene, MATRIX[name][1]))
        assert owner.get(url).status_code == 200, name
    secrets = _visible_secrets(scene)
    before_rows = _row_counts()
    problems: list[str] = []
    for who, user in scene.attackers(same_entity=True).items():
        foreign = who != "bob"  # bob may open what his entity shares with every member
        web = login(Client(), user)
        token = member_actions.create_access_token(user=user, name="attack")[1]
        api = Client(headers={"Authorization": f"Bearer {token}"})
        audit_before = AuditEvent.objects.count()
        for name, url, own in _web_attempts(scene):
            if own or foreign:
                _check(web.get(url), who, f"GET {name}", secrets, problems, api=False)
                _check(web.post(url, FORM), who, f"POST {name}", secrets, problems, api=False)
        for name, url, own in _api_attempts(scene):
            if own or foreign:
                _check(api.get(url), who, f"API GET {name}", secrets, problems, api=True)
                response = api.post(url, FORM, content_type="application/json")
                _check(response, who, f"API POST {name}", secrets, problems, api=True)
        for url in admin_urls(scene.alice.person.pk) if foreign else ():
            _check(web.get(url), who, f"GET {url}", secrets, problems, api=False)
        if AuditEvent.objects.count() != audit_before:
            problems.append(f"{who}: {AuditEvent.objects.count() - audit_before} audit events")
    problems += _forged_ids(scene)
    assert not problems, "\n".join(problems)
    after_rows = _row_counts()
    changed = {
        label: (count, after_rows[label])
        for label, count in before_rows.items()
        if after_rows[label] != count
    }
    changed.pop("members.AccessToken", None)  # the attackers' own tokens
    changed.pop("core.AuditEvent", None)  # their creation; every other write is checked above
    assert not changed, changed
