"""Bad input on ledger pages and commands gives a clear answer, not a crash."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from mutua.core.permissions import Role
from tests.conftest import login, make_staff
from tests.ledger.conftest import books


def test_a_journal_id_that_is_not_a_number_is_not_found(db: Any) -> None:
    entity = books("BE")
    browser = login(Client(), make_staff(entity, Role.ACCOUNTANT))
    response = browser.get(f"/backoffice/ledger/{entity.pk}/entries/?journal=abc")
    assert response.status_code == 404


def test_an_fec_export_to_an_unwritable_place_says_so(db: Any, tmp_path: Path) -> None:
    books("FR", years=(2025,))
    with pytest.raises(CommandError, match="cannot write"):
        call_command(
            "ledger",
            "export-fec",
            "--entity",
            "FR",
            "--year",
            "2025",
            "-o",
            str(tmp_path / "missing" / "fec.txt"),
        )
