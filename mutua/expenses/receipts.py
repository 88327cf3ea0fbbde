"""Receipt files: their type found from their content (magic bytes), never from their name,
and their place under settings.MEDIA_ROOT, which the web server never serves.

A file is stored under its SHA-256, so a name chosen by a user never reaches the file system.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings

from mutua.core.errors import InvalidInput

MAX_RECEIPT_BYTES = 10 * 1024 * 1024  # a phone photo or a scanned invoice fits easily
PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png"}
# What a name may claim: its extension and the type a browser may send with it.
CLAIMED = {"pdf": PDF, "jpg": JPEG, "jpeg": JPEG, "png": PNG}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    content_type: str
    sha256: str
    file_name: str

    @property
    def size(self) -> int:
        return len(self.content)


def sniff(content: bytes) -> str | None:
    """The type of a file from its first and last bytes, or None if it is none we accept.
    Beyond the signature each format must be whole: a PDF ends with %%EOF, a JPEG with its
    end-of-image marker, a PNG with its IEND chunk (a renamed or truncated file is refused)."""
    if content.startswith(b"%PDF-") and b"%%EOF" in content[-1024:]:
        return PDF
    if content.startswith(b"\xff\xd8\xff") and content.rstrip(b"\x00").endswith(b"\xff\xd9"):
        return JPEG
    if content.startswith(PNG_SIGNATURE) and content.endswith(b"IEND\xaeB`\x82"):
        return PNG
    return None


def check_receipt(content: bytes, file_name: str, declared_type: str = "") -> CheckedFile:
    """Accept a PDF, JPEG or PNG file no larger than the limit whose content is what its name
    (and the type the browser sent) say it is; InvalidInput otherwise."""
    if not content:
        raise InvalidInput("the file is empty", field="file")
    if len(content) > MAX_RECEIPT_BYTES:
        limit = MAX_RECEIPT_BYTES // (1024 * 1024)
        raise InvalidInput(f"a receipt is at most {limit} MB", field="file")
    found = sniff(content)
    if found is None:
        raise InvalidInput("a receipt is a PDF, JPEG or PNG file", field="file")
    extension = PurePosixPath(file_name.replace("\\", "/")).suffix.lower().lstrip(".")
    claimed = CLAIMED.get(extension)
    if claimed is not None and claimed != found:
        raise InvalidInput(
            f"the file is named .{extension} but its content is {EXTENSIONS[found].upper()}",
            field="file",
        )
    declared = declared_type.split(";")[0].strip().lower()
    if declared in EXTENSIONS and declared != found:
        raise InvalidInput(
            f"the file was sent as {declared} but its content is {found}", field="file"
        )
    digest = hashlib.sha256(content).hexdigest()
    return CheckedFile(content, found, digest, _shown_name(file_name, found))


def _shown_name(file_name: str, content_type: str) -> str:
    """A display name: the uploaded base name without directories or control characters."""
    base = PurePosixPath(file_name.replace("\\", "/")).name
    cleaned = "".join(ch for ch in base if ch.isprintable() and ch not in '"')[:150]
    return cleaned or f"receipt.{EXTENSIONS[content_type]}"


def relative_path(entity_code: str, checked: CheckedFile) -> str:
    name = f"{checked.sha256}.{EXTENSIONS[checked.content_type]}"
    return f"receipts/{entity_code}/{checked.sha256[:2]}/{name}"


def absolute(path: str) -> Path:
    root = Path(settings.MEDIA_ROOT).resolve()
    full = (root / path).resolve()
    if root not in full.parents:  # a stored path never leaves the root; refuse if it would
        raise InvalidInput("bad receipt path")
    return full


def store(path: str, content: bytes) -> None:
    """Write atomically (temporary name, then rename): a crash leaves no half file."""
    full = absolute(path)
    full.parent.mkdir(parents=True, exist_ok=True)
    partial = full.with_name(full.name + ".part")
    partial.write_bytes(content)
    os.replace(partial, full)


def remove(path: str) -> bool:
    """Delete a stored file; False if it was already gone (purging twice is harmless)."""
    try:
        absolute(path).unlink()
    except FileNotFoundError:
        return False
    return True
