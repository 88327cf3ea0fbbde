"""Golden files: compare generated documents with checked-in, eye-reviewed copies.

Regenerate after a deliberate change with `UPDATE_GOLDEN=1 .venv/bin/pytest tests/invoicing`,
then review the diff (`git diff tests/invoicing/documents/golden`) before committing.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

GOLDEN_DIR = Path(__file__).parent / "golden"

# Parts that change on every run and say nothing about the document itself.
_VOLATILE = [
    (
        re.compile(rb"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?"),
        b"<timestamp>",
    ),
    (re.compile(rb"D:\d{14}([+-]\d{2}'\d{2}'?|Z)?"), b"<pdf-timestamp>"),
]


def normalise(content: bytes) -> bytes:
    for pattern, replacement in _VOLATILE:
        content = pattern.sub(replacement, content)
    return content


def assert_matches_golden(name: str, content: bytes) -> None:
    path = GOLDEN_DIR / name
    actual = normalise(content)
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_bytes(actual)
        return
    assert path.exists(), f"no golden file {name}: run with UPDATE_GOLDEN=1 and review it"
    assert actual.decode("utf-8") == path.read_text(encoding="utf-8"), (
        f"{name} differs from its golden file; if the change is intended, regenerate with "
        "UPDATE_GOLDEN=1 and review the diff"
    )
