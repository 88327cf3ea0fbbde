"""Receipts: stored under MEDIA_ROOT by their hash, refused when fake, duplicated or not one's
own, and then nothing is stored."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from mutua.core.errors import InvalidInput, NotFound, RuleViolation
from mutua.expenses import actions
from mutua.expenses.models import Receipt
from tests.expenses.conftest import draft, image, pdf


def _files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_it_stores_the_file_outside_the_web_root_under_its_hash(world: dict[str, Any]) -> None:
    claim = draft(world["alice"], world["activity"], receipt=False)
    content = image("JPEG")
    receipt = actions.add_receipt(
        actor=world["alice"].person.user, claim=claim, content=content, file_name="IMG_1.jpg"
    )
    digest = hashlib.sha256(content).hexdigest()
    assert (receipt.sha256, receipt.content_type, receipt.size) == (
        digest,
        "image/jpeg",
        len(content),
    )
    stored = Path(settings.MEDIA_ROOT) / receipt.path
    assert stored.read_bytes() == content and stored.name == f"{digest}.jpg"
    assert not str(stored).startswith(str(settings.STATIC_ROOT))


def test_the_same_file_cannot_be_claimed_twice_even_by_another_member(
    world: dict[str, Any],
) -> None:
    content = pdf()
    first = draft(world["alice"], world["activity"], receipt=False)
    actions.add_receipt(
        actor=world["alice"].person.user, claim=first, content=content, file_name="a.pdf"
    )
    second = draft(world["bob"], world["bob_activity"], receipt=False)
    with pytest.raises(RuleViolation, match="already claimed"):
        actions.add_receipt(
            actor=world["bob"].person.user, claim=second, content=content, file_name="b.pdf"
        )
    assert Receipt.objects.count() == 1 and len(_files()) == 1


def test_a_fake_receipt_is_refused_and_nothing_stored(world: dict[str, Any]) -> None:
    claim = draft(world["alice"], world["activity"], receipt=False)
    with pytest.raises(InvalidInput, match="PDF, JPEG or PNG"):
        actions.add_receipt(
            actor=world["alice"].person.user,
            claim=claim,
            content=b"#!/bin/sh\nrm -rf /\n",
            file_name="receipt.pdf",
        )
    assert not Receipt.objects.exists() and not _files()


def test_bob_cannot_attach_to_alices_claim(world: dict[str, Any]) -> None:
    claim = draft(world["alice"], world["activity"], receipt=False)
    with pytest.raises(NotFound):
        actions.add_receipt(
            actor=world["bob"].person.user, claim=claim, content=pdf(), file_name="x.pdf"
        )
    assert not Receipt.objects.exists() and not _files()
