from mutua.invoicing.documents.bench import bench_document, bench_documents
from mutua.invoicing.documents.en16931 import ubl_xml
from mutua.invoicing.documents.validation import xsd_errors


def test_bench_reports_p50_and_p95_for_ubl_and_pdf() -> None:
    report = bench_documents(invoices=10, pdf_renders=2)
    assert report["ubl"]["count"] == 10
    assert report["ubl"]["per_s"] > 0
    for kind in ("ubl", "pdf", "facturx_pdf"):
        assert 0 < report[kind]["p50_ms"] <= report[kind]["p95_ms"]


def test_bench_documents_are_valid_invoices() -> None:
    assert xsd_errors(ubl_xml(bench_document(42))) == []
