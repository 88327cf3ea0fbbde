"""Invoice PDFs in the buyer's language, and Factur-X (PDF/A-3 with the CII XML embedded).

PDF renders cost ~0.2 s each, so each PDF is rendered once per module; the wording and
formatting checks run on the HTML, which is what WeasyPrint prints.
"""

import dataclasses
import io
import re
from decimal import Decimal

import pypdf
import pytest
from facturx import get_xml_from_pdf

from mutua.invoicing.documents.en16931 import cii_xml
from mutua.invoicing.documents.pdf import document_html, facturx_pdf, render_pdf
from mutua.invoicing.documents.validation import schematron_errors, xsd_errors
from tests.invoicing.documents import samples
from tests.invoicing.documents.golden import assert_matches_golden


def plain_text(text: str) -> str:
    # babel separates thousands and currency with (narrow) no-break spaces.
    return re.sub(r"[\u00a0\u202f\s]+", " ", text)


def pdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return plain_text("\n".join(page.extract_text() for page in reader.pages))


@pytest.fixture(scope="module")
def french_pdf() -> bytes:
    return facturx_pdf(samples.french_invoice())


@pytest.fixture(scope="module")
def belgian_pdf() -> bytes:
    return render_pdf(samples.belgian_invoice())


def test_factur_x_pdf_is_a_pdf_a_3_with_the_invoice_number_in_french(french_pdf: bytes) -> None:
    assert french_pdf.startswith(b"%PDF-")
    text = pdf_text(french_pdf)
    assert "FR-2026-000045" in text
    assert "Facture" in text
    assert "Montant à payer 2 457,00 €" in text
    assert "Total TTC 2 457,00 €" in text  # French entity: HT/TTC wording
    assert "15 octobre 2026" in text
    assert "Pénalités de retard" in text
    root = pypdf.PdfReader(io.BytesIO(french_pdf)).trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r"pdfaid:part(>|=\")3", xmp), "PDF/A-3 identification missing"
    assert re.search(r"fx:ConformanceLevel(>|=\")EN 16931", xmp), "Factur-X XMP missing"


def test_factur_x_xml_round_trips_and_matches_its_golden_file(french_pdf: bytes) -> None:
    filename, xml = get_xml_from_pdf(french_pdf, check_xsd=True)
    assert filename == "factur-x.xml"
    assert xml == cii_xml(samples.french_invoice())
    assert xsd_errors(xml) == []
    assert schematron_errors(xml) == []
    assert_matches_golden("french_invoice.factur-x.xml", xml)


def test_belgian_pdf_is_in_dutch_for_a_flemish_buyer(belgian_pdf: bytes) -> None:
    assert belgian_pdf.startswith(b"%PDF-")
    text = pdf_text(belgian_pdf)
    assert "Factuur" in text
    assert "BE-2026-000123" in text
    assert "Te betalen € 1.883,11" in text
    assert "+++090/9337/55493+++" in text
    assert "BE71 0961 2345 6769" in text


def test_the_html_is_worded_and_formatted_for_the_buyer() -> None:
    french_buyer = dataclasses.replace(samples.ATELIER_GENT, language="fr")
    html = plain_text(
        document_html(dataclasses.replace(samples.belgian_invoice(), buyer=french_buyer))
    )
    assert "Montant à payer" in html
    assert "1 883,11 €" in html  # fr_BE
    assert "Total TVAC" in html  # Belgian entity: HTVA/TVAC wording
    english_buyer = dataclasses.replace(samples.ATELIER_GENT, language="en", country="GB")
    html = plain_text(
        document_html(dataclasses.replace(samples.belgian_invoice(), buyer=english_buyer))
    )
    assert "Amount due" in html
    assert "€1,883.11" in html  # en_GB
    assert "2 March 2026" in html


def test_a_language_we_do_not_word_documents_in_falls_back_to_english() -> None:
    swedish_buyer = dataclasses.replace(samples.ATELIER_GENT, language="sv", country="SE")
    html = document_html(dataclasses.replace(samples.belgian_invoice(), buyer=swedish_buyer))
    assert "Amount due" in html
    assert '<html lang="en">' in html


def test_reverse_charge_prints_the_legal_mention() -> None:
    html = plain_text(document_html(samples.reverse_charge_invoice()))
    assert "Reverse charge – Article 196 of Directive 2006/112/EC" in html


def test_eur_invoices_carry_the_epc_qr_code_and_credit_notes_do_not() -> None:
    assert "<svg" in document_html(samples.belgian_invoice())
    html = plain_text(document_html(samples.credit_note()))
    assert "<svg" not in html
    assert "Terug te betalen" in html
    assert "€ 52,98" in html
    assert "BE-2026-000123" in html


def test_there_is_no_qr_code_for_other_currencies() -> None:
    doc = dataclasses.replace(samples.reverse_charge_invoice(), currency="SEK")
    html = document_html(doc)
    assert "<svg" not in html
    assert "SEK" in plain_text(html) or "kr" in html


def test_client_text_is_escaped_in_the_html() -> None:
    buyer = dataclasses.replace(samples.ATELIER_GENT, name='<img src="http://evil.example/x">')
    html = document_html(dataclasses.replace(samples.belgian_invoice(), buyer=buyer))
    assert "<img" not in html
    assert "&lt;img" in html


def test_rendering_never_fetches_a_url() -> None:
    note = dataclasses.replace(samples.credit_note(), amount_due=Decimal("52.98"))
    assert render_pdf(note).startswith(b"%PDF-")
