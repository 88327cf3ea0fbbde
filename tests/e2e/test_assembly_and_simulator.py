"""A shareholder votes in a general assembly the chair runs; anyone uses the salary simulator.

The assembly, its agenda and its roll are set up with the governance actions (the chair's pages
for creating them are tested in tests/governance); the chair opens the session and the vote in
the browser, the member votes in the portal, the chair closes the vote and everyone sees the
result.
"""

from __future__ import annotations

import contextlib
import re
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mutua.core.permissions import Role
from mutua.governance.models import Vote
from mutua.governance.share_actions import define_share_class
from mutua.members.models import Membership
from tests.conftest import make_member, make_staff
from tests.e2e.people import sign_in
from tests.governance.conftest import DAY, assembly_with
from tests.ledger.conftest import books

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def assembly(transactional_db: Any) -> dict[str, Any]:
    entity = books("BE", years=tuple(sorted({DAY.year, timezone.localdate().year})))
    board = make_staff(entity, Role.BOARD)
    members = define_share_class(
        entity=entity,
        code="A",
        name="Members",
        nominal_value=Decimal("30.00"),
        acting_user=board,
        voting_rights="one vote per member",
    )
    voter: Membership = make_member(entity)
    convened = assembly_with(entity, board, [(voter, 2)], members)
    return {"assembly": convened, "voter": voter, "board": board}


def test_a_shareholder_votes_on_an_item_the_chair_opened(
    browse: Any, assembly: dict[str, Any]
) -> None:
    meeting = assembly["assembly"]
    chair_url = f"/governance/assemblies/{meeting.pk}/chair/"
    chair = browse.page()
    sign_in(chair, assembly["board"].email, staff=True)
    chair.goto(chair_url)
    expect(chair.locator("main")).to_contain_text("Approve the accounts")
    chair.get_by_role("button", name="Open the session").click()
    chair.get_by_role("button", name="Open the vote").click()
    expect(chair.get_by_role("button", name="Close the vote")).to_be_visible()
    browse.shot(chair, "chair-vote-open")

    member = browse.page()
    sign_in(member, assembly["voter"].person.user.email)
    member.goto("/governance/")
    member.get_by_role("link", name=re.compile("AG 2026")).first.click()
    item = member.locator("section", has_text="Approve the accounts")
    expect(item).to_contain_text("My vote")
    browse.shot(member, "assembly-ballot")
    item.get_by_role("button", name="For").click()
    expect(item).to_contain_text(re.compile(r"My vote:\s*For\s*✓"))
    browse.shot(member, "assembly-voted")
    assert list(Vote.objects.values_list("participant__person", "choice")) == [
        (assembly["voter"].person_id, "for")
    ]

    chair.goto(chair_url)
    chair.get_by_role("button", name="Close the vote").click()
    expect(chair.locator("tr", has_text="Approve the accounts")).to_contain_text("Adopted")
    member.reload()
    expect(member.locator("main")).to_contain_text(re.compile(r"For 1 · Against 0 · Abstain 0"))
    expect(member.locator("main")).to_contain_text("Adopted")
    browse.shot(member, "assembly-result")


def test_the_public_salary_simulator_answers_as_the_visitor_types(browse: Any) -> None:
    """No login; htmx recomputes on change; then a check of the console check itself."""
    page = browse.page()
    page.goto("/pay/simulator/")
    page.get_by_label("Country").select_option("BE")
    page.get_by_label("Date").fill("2025-03-01")
    page.get_by_label("gross pay").check()
    page.get_by_label("Household").select_option("married")
    page.get_by_label("Partner has professional income").select_option("yes")
    page.get_by_label("Dependent children").fill("1")
    page.get_by_label("Amount", exact=True).fill("3750")
    page.get_by_label("Amount", exact=True).dispatch_event("change")
    result = page.locator("#result")
    # The published case of a Belgian union's 2025 calculator: 3750 gross, married, one child.
    expect(result).to_contain_text("Net pay: 2537.06 EUR")
    expect(result.locator("svg")).to_be_visible()
    browse.shot(page, "simulator")
    page.get_by_label("Amount", exact=True).fill("not a number")
    page.get_by_role("button", name="Simulate").click()
    expect(page.locator("#result .errorlist")).to_be_visible()
    browse.shot(page, "simulator-error")

    # The console check does see Content-Security-Policy violations: the site sends a strict
    # policy, and an inline script injected into the page is refused and logged.
    seen = list(browse.console_errors)
    response = page.goto("/pay/simulator/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    with contextlib.suppress(Exception):  # Chromium refuses the inline script
        page.add_script_tag(content="document.title = 'injected'")
    expect(page).not_to_have_title("injected")
    new = browse.console_errors[len(seen) :]
    assert new and all("Content Security Policy" in error for error in new), new
    browse.console_errors[:] = seen  # the refusal was expected; any earlier error still counts
