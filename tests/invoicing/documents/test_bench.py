import pytest

from mutua.invoicing.documents.bench import _percentiles, bench_document, bench_documents
from mutua.invoicing.documents.en16931 import ubl_xml
from mutua.invoicing.documents.validation import xsd_errors


def test_bench_reports_ubl_p50_p95_and_throughput() -> None:
    report = bench_documents(invoices=20, pdf_renders=0)  # PDF renders are covered by test_pdf
    assert report["ubl"]["count"] == 20
    assert report["ubl"]["per_s"] > 0
    assert 0 < report["ubl"]["p50_ms"] <= report["ubl"]["p95_ms"]
    assert "pdf" not in report


def test_percentiles_are_the_median_and_the_95th() -> None:
    times = [float(ms) for ms in range(1, 101)]
    assert _percentiles(times) == {"p50_ms": 50.5, "p95_ms": pytest.approx(95.05)}


def test_bench_documents_are_valid_invoices() -> None:
    assert xsd_errors(ubl_xml(bench_document(42))) == []
