"""Every page carries a strict Content Security Policy, and no web template needs inline code
for it (PDF templates, rendered by WeasyPrint on the server, may keep their <style>)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

import mutua

PDF_TEMPLATES = {"invoicing/templates/invoicing/document.html"}


def _is_pdf_template(path: Path) -> bool:
    """PDF templates are named *_pdf.html or live in a pdf/ or documents/ folder."""
    relative = path.relative_to(Path(mutua.__file__).parent).as_posix()
    in_folder = "/pdf/" in relative or "/documents/" in relative
    return relative in PDF_TEMPLATES or path.name.endswith("pdf.html") or in_folder


@pytest.mark.django_db
def test_pages_carry_the_security_headers(client: Client, settings: Any) -> None:
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/accounts/login/", secure=True)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "camera=()" in response.headers["Permissions-Policy"]


def _web_templates() -> list[Path]:
    root = Path(mutua.__file__).parent
    return [p for p in root.rglob("templates/**/*.html") if not _is_pdf_template(p)]


def test_web_templates_have_no_inline_script_or_style() -> None:
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=\"|\son[a-z]+=\"|hx-on")
    offenders = [
        f"{path.relative_to(Path(mutua.__file__).parent)}: {match.group(0)}"
        for path in _web_templates()
        for match in [inline.search(path.read_text())]
        if match
    ]
    assert len(_web_templates()) > 20
    assert offenders == []
