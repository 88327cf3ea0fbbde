"""One way to turn a document's HTML into a PDF, offline.

Every document the product prints (invoices, payslips, certificates, minutes, reports) is
self-contained: its CSS and images are inline. A URL reaching the renderer is a template bug or an
injection attempt through someone's data, so the fetcher refuses it rather than fetch.
"""

from __future__ import annotations

from typing import Any


def refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"documents do not fetch resources: {url}")


def html_to_pdf(html: str, **options: Any) -> bytes:
    """The PDF of a self-contained HTML page (`options` go to WeasyPrint's write_pdf)."""
    from weasyprint import HTML  # imported late: loading Pango costs ~0.5 s

    result: bytes = HTML(string=html, url_fetcher=refuse_fetch).write_pdf(**options)
    return result
