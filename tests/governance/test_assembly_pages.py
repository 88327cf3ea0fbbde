"""Assembly pages: members vote for themselves only; the chair runs the session."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from mutua.entities.models import Entity
from mutua.governance.models import Assembly, Participant, ShareClass, Vote
from mutua.members.models import Membership
from tests.conftest import make_member
from tests.governance.conftest import assembly_with, shareholder

pytestmark = pytest.mark.django_db
Login = Callable[[Any], Client]


def line(assembly: Assembly, member: Membership) -> Participant:
    return Participant.objects.get(assembly=assembly, person=member.person)


def test_a_member_votes_in_the_portal_for_themselves_only(
    entity_be: Entity,
    alice: Membership,
    bob: Membership,
    class_a: ShareClass,
    board_be: Any,
    client_for: Login,
) -> None:
    assembly = assembly_with(entity_be, board_be, [(alice, 1), (bob, 1)], class_a)
    item = assembly.items.get()
    browser = client_for(alice.person.user)
    assert (
        "Approve the accounts"
        in browser.get(f"/governance/assemblies/{assembly.pk}/").content.decode()
    )

    forged = browser.post(
        f"/governance/assemblies/items/{item.pk}/vote/",
        {"participant": line(assembly, bob).pk, "choice": "for"},
    )
    assert forged.status_code == 404
    answer = browser.post(
        f"/governance/assemblies/items/{item.pk}/vote/",
        {"participant": line(assembly, alice).pk, "choice": "for"},
        headers={"HX-Request": "true"},
    )
    assert answer.status_code == 200 and "✓" in answer.content.decode()
    again = browser.post(
        f"/governance/assemblies/items/{item.pk}/vote/",
        {"participant": line(assembly, alice).pk, "choice": "against"},
        headers={"HX-Request": "true"},
    )
    assert "already" in again.content.decode()
    assert list(Vote.objects.values_list("participant__person", "choice")) == [
        (alice.person_id, "for")
    ]


def test_a_member_without_shares_and_members_on_the_chair_page_get_404(
    entity_be: Entity, alice: Membership, class_a: ShareClass, board_be: Any, client_for: Login
) -> None:
    assembly = assembly_with(entity_be, board_be, [(alice, 1)], class_a)
    outsider = client_for(make_member(entity_be).person.user)
    assert outsider.get(f"/governance/assemblies/{assembly.pk}/").status_code == 404
    member = client_for(alice.person.user)
    assert member.get(f"/governance/assemblies/{assembly.pk}/chair/").status_code == 404
    assert member.post(f"/governance/assemblies/{assembly.pk}/chair/open/").status_code == 404
    assert Assembly.objects.get(pk=assembly.pk).status == "convened"


def test_the_chair_runs_an_assembly_from_the_pages(
    entity_be: Entity, alice: Membership, class_a: ShareClass, board_be: Any, client_for: Login
) -> None:
    shareholder(alice, class_a, 1, board_be)
    chair = client_for(board_be)
    starts = timezone.localtime(timezone.now() + dt.timedelta(days=20))
    chair.post(
        "/governance/assemblies/new/",
        {
            "entity": entity_be.pk,
            "kind": "ordinary",
            "title": "AG juin",
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "place": "Bruxelles",
        },
    )
    assembly = Assembly.objects.get(title="AG juin")
    base = f"/governance/assemblies/{assembly.pk}/chair"
    chair.post(
        f"{base}/items/",
        {
            "title": "Comptes",
            "needs_vote": "on",
            "majority": "simple",
            "majority_base": "cast",
            "quorum_kind": "none",
            "quorum": "0",
        },
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    report = SimpleUploadedFile("comptes.pdf", b"%PDF-1.4 accounts", "application/pdf")
    chair.post(f"{base}/documents/", {"title": "Comptes 2025", "file": report})
    document = assembly.documents.get()
    for step in ("convene", "open"):
        chair.post(f"{base}/{step}/")
    member = client_for(alice.person.user)
    url = f"/governance/assemblies/{assembly.pk}/documents/{document.pk}/"
    assert member.get(url).content == b"%PDF-1.4 accounts"
    assert client_for(make_member(entity_be).person.user).get(url).status_code == 404
    item = assembly.items.get()
    chair.post(f"{base}/items/{item.pk}/open/")
    client_for(alice.person.user).post(
        f"/governance/assemblies/items/{item.pk}/vote/",
        {"participant": line(assembly, alice).pk, "choice": "for"},
    )
    live = chair.get(f"{base}/live/").content.decode()
    assert "Comptes" in live and 'hx-trigger="every 2s"' in live and "<svg" in live
    chair.post(f"{base}/items/{item.pk}/close/")
    chair.post(f"{base}/close/")
    chair.post(f"{base}/minutes/")
    minutes = client_for(alice.person.user).get(f"/governance/assemblies/{assembly.pk}/minutes.pdf")
    assert minutes.content.startswith(b"%PDF")
    item.refresh_from_db()
    assert item.adopted is True


def test_the_cooperative_page_shows_my_proxies_and_votes_only(
    entity_be: Entity,
    alice: Membership,
    bob: Membership,
    class_a: ShareClass,
    board_be: Any,
    client_for: Login,
) -> None:
    from mutua.governance.assembly_actions import give_proxy

    assembly = assembly_with(entity_be, board_be, [(alice, 1), (bob, 1)], class_a)
    give_proxy(participant=line(assembly, alice), holder=bob.person, acting_user=alice.person.user)
    mine = client_for(alice.person.user).get("/governance/").content.decode()
    held = client_for(bob.person.user).get("/governance/").content.decode()
    other = client_for(make_member(entity_be).person.user).get("/governance/").content.decode()
    assert f"to {bob.person.full_name}" in mine
    assert f"from {alice.person.full_name}" in held
    assert alice.person.full_name not in other and "AG 2026" not in other


def test_the_api_votes_for_the_caller_only(
    entity_be: Entity,
    alice: Membership,
    bob: Membership,
    class_a: ShareClass,
    board_be: Any,
    client_for: Login,
) -> None:
    assembly = assembly_with(entity_be, board_be, [(alice, 1), (bob, 1)], class_a)
    item = assembly.items.get()
    api = client_for(alice.person.user)
    listed = api.get("/api/v1/governance/assemblies").json()
    assert [a["id"] for a in listed] == [assembly.pk] and listed[0]["stream_url"] == ""
    url = f"/api/v1/governance/items/{item.pk}/votes"
    forged = api.post(
        url,
        {"participant": line(assembly, bob).pk, "choice": "for"},
        content_type="application/json",
    )
    assert forged.status_code == 404
    first = api.post(
        url,
        {"participant": line(assembly, alice).pk, "choice": "for"},
        content_type="application/json",
    )
    again = api.post(
        url,
        {"participant": line(assembly, alice).pk, "choice": "against"},
        content_type="application/json",
    )
    assert (first.status_code, again.status_code) == (201, 409)
    assert Vote.objects.get().choice == "for"


def test_a_proxy_with_instructions_is_given_from_the_page(
    entity_be: Entity,
    alice: Membership,
    bob: Membership,
    class_a: ShareClass,
    board_be: Any,
    client_for: Login,
) -> None:
    assembly = assembly_with(entity_be, board_be, [(alice, 1), (bob, 1)], class_a)
    item = assembly.items.get()
    mine = line(assembly, alice)
    page = client_for(alice.person.user).post(
        f"/governance/assemblies/{assembly.pk}/proxy/",
        {"participant": mine.pk, "member_number": bob.number, f"instruction-{item.pk}": "against"},
    )
    assert page.status_code == 302
    mine.refresh_from_db()
    assert (mine.proxy_holder_id, mine.proxy_instructions) == (
        bob.person_id,
        {str(item.pk): "against"},
    )
    carol = make_member(entity_be)
    client_for(bob.person.user).post(  # Bob holds her proxy but cannot pass it on
        f"/governance/assemblies/{assembly.pk}/proxy/",
        {"participant": mine.pk, "member_number": carol.number},
    )
    mine.refresh_from_db()
    assert mine.proxy_holder_id == bob.person_id
