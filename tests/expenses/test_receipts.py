"""Receipt files are recognised by their content, never by their name."""

from __future__ import annotations

import pytest

from mutua.core.errors import InvalidInput
from mutua.expenses import receipts
from tests.expenses.conftest import image, pdf


def test_pdf_jpeg_and_png_are_recognised_by_their_bytes() -> None:
    assert receipts.check_receipt(pdf(), "a.pdf").content_type == receipts.PDF
    assert receipts.check_receipt(image("JPEG"), "photo.JPG").content_type == receipts.JPEG
    assert receipts.check_receipt(image("PNG"), "scan").content_type == receipts.PNG


@pytest.mark.parametrize(
    ("content", "name", "declared", "message"),
    [
        (b"MZ\x90\x00 not a receipt", "ticket.pdf", "", "PDF, JPEG or PNG"),
        (b"<html><script>alert(1)</script></html>", "ticket.png", "image/png", "PDF, JPEG"),
        (image("PNG"), "ticket.pdf", "", "named .pdf but its content is PNG"),
        (pdf(), "ticket.pdf", "image/jpeg", "sent as image/jpeg"),
        (pdf()[:-7], "cut.pdf", "", "PDF, JPEG or PNG"),
        (b"", "empty.pdf", "", "empty"),
    ],
)
def test_a_file_that_is_not_what_it_claims_is_refused(
    content: bytes, name: str, declared: str, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        receipts.check_receipt(content, name, declared)


def test_the_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(receipts, "MAX_RECEIPT_BYTES", 100)
    with pytest.raises(InvalidInput, match="at most"):
        receipts.check_receipt(pdf("x" * 200), "big.pdf")


def test_the_shown_name_drops_directories_and_the_stored_path_is_the_hash() -> None:
    checked = receipts.check_receipt(pdf(), "../../etc/passwd.pdf")
    assert checked.file_name == "passwd.pdf"
    path = receipts.relative_path("BE", checked)
    assert path.endswith(f"{checked.sha256}.pdf") and ".." not in path
