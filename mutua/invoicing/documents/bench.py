"""Timings of document generation, for the benchmark report (issue 4: "render one PDF (p50/p95)").

Run with Django configured (templates are needed for the PDF):

    .venv/bin/python manage.py shell -c \\
        "from mutua.invoicing.documents.bench import bench_documents; print(bench_documents())"

Times are milliseconds of wall-clock time (time.perf_counter); nothing touches the database.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from typing import Any

from mutua.invoicing.documents.en16931 import ubl_xml
from mutua.invoicing.documents.model import DocumentLine, InvoiceDocument, Party, VatBreakdown
from mutua.invoicing.documents.payment import structured_communication
from mutua.invoicing.documents.pdf import facturx_pdf, render_pdf

CENT = Decimal("0.01")


def bench_documents(*, invoices: int = 1000, pdf_renders: int = 20) -> dict[str, Any]:
    """UBL generation per invoice and PDF renders, as p50/p95 in ms plus UBL invoices/s."""
    documents = [bench_document(n) for n in range(1, invoices + 1)]
    started = time.perf_counter()
    ubl_times = [_timed(partial(ubl_xml, doc)) for doc in documents]
    ubl_elapsed = time.perf_counter() - started
    report: dict[str, Any] = {
        "ubl": {**_percentiles(ubl_times), "count": invoices, "per_s": _rate(invoices, ubl_elapsed)}
    }
    if pdf_renders:
        report.update(_bench_pdf(documents[0], pdf_renders))
    return report


def _bench_pdf(doc: InvoiceDocument, renders: int) -> dict[str, Any]:
    first_ms = _timed(partial(render_pdf, doc))  # includes loading fonts and Pango
    pdf_times = [_timed(partial(render_pdf, doc)) for _ in range(renders)]
    facturx_times = [_timed(partial(facturx_pdf, doc)) for _ in range(renders)]
    return {
        "pdf": {**_percentiles(pdf_times), "count": renders, "first_ms": round(first_ms, 1)},
        "facturx_pdf": {**_percentiles(facturx_times), "count": renders},
    }


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def _percentiles(times_ms: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(times_ms, n=20, method="inclusive")  # 5 % steps
    return {"p50_ms": round(statistics.median(times_ms), 2), "p95_ms": round(cuts[18], 2)}


def _rate(count: int, seconds: float) -> float:
    return round(count / seconds, 1) if seconds else 0.0


SELLER = Party(
    name="Mutua Belgium SC",
    street="Rue Coenraets 72",
    postcode="1060",
    city="Saint-Gilles",
    country="BE",
    email="invoices@mutua.example",
    language="fr",
    vat_number="BE0403170701",
    company_number="0403170701",
    peppol_id="0208:0403170701",
)
BUYER = Party(
    name="Atelier Gent BV",
    street="Korenmarkt 1",
    postcode="9000",
    city="Gent",
    country="BE",
    email="boekhouding@atelier-gent.example",
    language="nl",
    vat_number="BE0202239951",
    company_number="0202239951",
    peppol_id="0208:0202239951",
)


def bench_document(n: int) -> InvoiceDocument:
    """A typical Belgian B2B invoice: three lines at 21 %, numbered n."""
    lines = tuple(
        DocumentLine(
            f"Prestation {i}",
            Decimal(i),
            Decimal("312.50"),
            Decimal(i) * Decimal("312.50"),
            "S",
            Decimal("21"),
        )
        for i in (1, 2, 3)
    )
    net = sum((line.net_amount for line in lines), Decimal("0"))
    vat = (net * Decimal("0.21")).quantize(CENT, rounding=ROUND_HALF_UP)
    return InvoiceDocument(
        kind="invoice",
        number=f"BE-2026-{n:06d}",
        issue_date=dt.date(2026, 3, 2),
        due_date=dt.date(2026, 4, 1),
        currency="EUR",
        seller=SELLER,
        buyer=BUYER,
        lines=lines,
        vat_breakdown=(VatBreakdown("S", Decimal("21"), net, vat),),
        total_net=net,
        total_vat=vat,
        total_gross=net + vat,
        amount_due=net + vat,
        payment_reference=structured_communication(2026_000_000 + n),
        seller_iban="BE71096123456769",
        seller_bic="GKCCBEBB",
    )
