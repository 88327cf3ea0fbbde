"""Files attached to advice requests: the type is read from the content (not the name), the size
is limited, and the bytes live under settings.MEDIA_ROOT, which the web server never serves."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from mutua.core.errors import InvalidInput

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 5
# Signatures of the accepted types: (magic bytes, MIME type, extension).
SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
)
FOLDER = "services/advice"


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content: bytes
    content_type: str
    extension: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def sniff(content: bytes) -> tuple[str, str] | None:
    for magic, mime, extension in SIGNATURES:
        if content.startswith(magic):
            return mime, extension
    return None


def checked_file(name: str, content: bytes) -> CheckedFile:
    """The file if it is a PDF, PNG or JPEG by its content and not too big."""
    shown = Path(name or "file").name[:150]
    if not content:
        raise InvalidInput(_("%(name)s is empty.") % {"name": shown}, field="attachments")
    if len(content) > MAX_BYTES:
        raise InvalidInput(
            _("%(name)s is larger than 10 MB.") % {"name": shown}, field="attachments"
        )
    found = sniff(content)
    if found is None:
        raise InvalidInput(
            _("%(name)s is not a PDF, PNG or JPEG file.") % {"name": shown}, field="attachments"
        )
    return CheckedFile(shown, content, *found)


def store(file: CheckedFile) -> str:
    """Write the bytes under a random name; returns the path relative to MEDIA_ROOT."""
    relative = f"{FOLDER}/{uuid.uuid4().hex}.{file.extension}"
    target = Path(settings.MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(file.content)
    return relative


def open_stored(relative: str) -> Path:
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / relative).resolve()
    if root not in path.parents:
        raise InvalidInput("bad stored path")
    return path
