"""Stored XSS and formula (CSV) injection: hostile text in every free-text field a member, a
client or a bank statement can fill, then every page, PDF and spreadsheet export that shows it.

Pages escape it (no markup of ours survives), PDFs print it as plain text, and CSV/XLSX cells
that would start a formula are neutralised (a leading apostrophe; XLSX strings never formulas).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import openpyxl
import pypdf
import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from mutua.core.permissions import Role
from tests.conftest import login
from tests.security.scene import Scene, build_scene
from tests.security.test_access_matrix import MATRIX, _fill

# Each one opens a formula and carries markup; the markers must never reach a page unescaped.
PAYLOADS = {
    "A": '=HYPERLINK("//e.test")<script>alert(1)</script>',
    "B": "+cmd|' /C calc'!A0<img src=x onerror=alert(2)>",
    "C": "@SUM(1+1)<svg onload=alert(3)>",
    "D": "-2+3<script>alert(4)</script>",
}
MARKUP = ("<script>alert", "<img src=x", "<svg onload")
ESCAPED = ("&lt;script&gt;alert(1)", "&lt;img src=x", "&lt;svg onload", "&lt;script&gt;alert(4)")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Free text that members, their clients and bank statements write: (model, scope, fields).
FIELDS: list[tuple[str, str, dict[str, str]]] = [
    ("activities.Activity", "entity", {"name": "A", "sector": "C", "description": "B"}),
    ("clients.Client", "entity", {"name": "A", "street": "B", "city": "C"}),
    (
        "engagements.OrderForm",
        "entity",
        {"description": "B", "place": "C", "refusal_reason": "A", "change_request": "D"},
    ),
    ("invoicing.Invoice", "entity", {"notes": "D"}),
    ("invoicing.InvoiceLine", "invoice__entity", {"description": "A"}),
    ("expenses.Claim", "entity", {"title": "D"}),
    ("expenses.ClaimLine", "claim__entity", {"description": "B", "supplier": "C"}),
    ("expenses.Receipt", "entity", {"file_name": "A"}),
    ("services.AdviceRequest", "entity", {"subject": "A", "rating_comment": "B"}),
    ("services.AdviceMessage", "request__entity", {"body": "D"}),
    ("services.AdviceAttachment", "message__request__entity", {"name": "C"}),
    ("services.Loan", "entity", {"purpose": "B"}),
    (
        "members.Person",
        "memberships__entity",
        {"first_name": "A", "last_name": "D", "street": "B", "city": "C"},
    ),
    ("governance.Proposal", "consultation__entity", {"title": "A", "body": "B"}),
    ("governance.Shareholder", "entity", {"name": "A", "address": "B"}),
    ("payroll.CopyrightPayment", "entity", {"work": "C"}),
    ("banking.StatementLine", "account__entity", {"counterparty_name": "A", "free_text": "B"}),
]
# Exports and documents reached through a query string, by who may download them.
EXPORTS: list[tuple[str, str, dict[str, Any], str]] = [
    ("alice", "activity_statement", {"activity_id": "activity"}, "?format=csv"),
    (Role.ACCOUNTANT, "ledger:general_ledger", {"entity_id": "home"}, "?format=csv"),
    (Role.ACCOUNTANT, "ledger:trial_balance", {"entity_id": "home"}, "?format=csv"),
    (Role.BOARD, "governance:register", {"entity_id": "home"}, "?format=csv"),
    (Role.BOARD, "governance:register", {"entity_id": "home"}, "?format=pdf"),
    (Role.ADMINISTRATOR, "reporting:export", {"entity_id": "home", "fmt": "=csv"}, ""),
    (Role.ADMINISTRATOR, "reporting:export", {"entity_id": "home", "fmt": "=xlsx"}, ""),
]


def poison(scene: Scene) -> None:
    for label, scope, fields in FIELDS:
        model = apps.get_model(label)
        ids = model._default_manager.filter(**{scope: scene.home}).values("pk")
        model._default_manager.filter(pk__in=ids).update(
            **{name: PAYLOADS[key] for name, key in fields.items()}
        )


def _pages_without_ids(resolver: URLResolver, namespace: str = "") -> Iterator[str]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _pages_without_ids(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name and not pattern.pattern.regex.groups:
            yield f"{namespace}{pattern.name}"


def pages(scene: Scene) -> list[str]:
    skip = ("admin:", "api:", "account_", "set_language", "mfa_")
    plain = [reverse(n) for n in _pages_without_ids(get_resolver()) if not n.startswith(skip)]
    return plain + [reverse(name, kwargs=_fill(scene, kw)) for name, (_, kw) in MATRIX.items()]


@pytest.fixture
def scene(db: Any, settings: Any, tmp_path: Any) -> Scene:
    settings.MEDIA_ROOT = tmp_path
    built = build_scene()
    poison(built)
    return built


def _viewers(scene: Scene) -> dict[str, Any]:
    viewers: dict[str, Any] = {"alice": scene.alice.person.user}
    viewers.update({str(role): user for role, user in scene.home_staff.items()})
    return viewers


def test_pages_show_hostile_text_escaped(scene: Scene) -> None:
    problems: list[str] = []
    seen: set[str] = set()
    urls = pages(scene)
    for who, user in _viewers(scene).items():
        browser = login(Client(), user)
        for url in urls:
            response = browser.get(url)
            if response.status_code >= 500:
                problems.append(f"{who} {url}: {response.status_code}")
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            body = response.content.decode()
            problems += [f"{who} {url}: {m}" for m in MARKUP if m in body]
            seen.update(e for e in ESCAPED if e in body)
    assert not problems, "\n".join(problems)
    assert seen == set(ESCAPED), "the poisoned fields were not shown: the test proves nothing"


def test_pdfs_print_hostile_text_as_text(scene: Scene) -> None:
    alice = login(Client(), scene.alice.person.user)
    objects = scene.objects
    documents = [
        reverse("invoicing:pdf", args=[objects["invoice"].pk]),
        reverse("payroll:payslip_pdf", args=[objects["payslip"].pk]),
        reverse("governance:certificate", args=[objects["holder"].pk]),
    ]
    for url in documents:
        response = alice.get(url)
        assert response.status_code == 200, url
        text = _pdf_text(response.content)
        # WeasyPrint got escaped HTML: the tag is printed, not parsed (and nothing is fetched).
        assert "<script>" in text or "<svg" in text, (url, text[:400])


def _pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return " ".join(page.extract_text() or "" for page in reader.pages)


def test_exports_neutralise_formulas(scene: Scene) -> None:
    users = _viewers(scene)
    for who, name, kwargs, query in EXPORTS:
        response = login(Client(), users[who]).get(
            reverse(name, kwargs=_fill(scene, kwargs)) + query
        )
        assert response.status_code == 200, (who, name, query)
        kind = response["Content-Type"]
        if "csv" in kind:
            _check_cells(_csv_cells(response.content), f"{name}{query}")
        elif "spreadsheetml" in kind:
            _check_xlsx(response.content, name)
        else:
            assert "pdf" in kind
            assert "alert(1)" in _pdf_text(response.content)


def _csv_cells(content: bytes) -> list[str]:
    text = content.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _check_cells(cells: list[str], where: str) -> None:
    formulas = [c for c in cells if c.startswith(FORMULA_STARTS) and not _is_number(c)]
    assert not formulas, f"{where}: cells a spreadsheet would run: {formulas[:5]}"
    numbers_as_text = [c for c in cells if c.startswith("'") and _is_number(c[1:])]
    assert not numbers_as_text, f"{where}: amounts turned into text: {numbers_as_text[:5]}"


def _check_xlsx(content: bytes, where: str) -> None:
    book = openpyxl.load_workbook(io.BytesIO(content))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{where}: a formula in {cell.coordinate}"
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(FORMULA_STARTS), (where, cell.value)


def test_the_published_ballot_file_neutralises_a_hostile_candidate_name() -> None:
    from mutua.governance.counting import ballot_lines
    from mutua.governance.election_actions import ballot_label

    names = [ballot_label(PAYLOADS[key], n) for n, key in enumerate("ABCD", start=1)]
    text = ballot_lines(names, [tuple(names)]).encode()
    _check_cells(_csv_cells(text), "ballot file")
