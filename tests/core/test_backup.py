"""`mutua backup` / `mutua restore`: a round trip brings back the database and the private files
together, and a damaged or foreign archive is refused before anything changes."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from mutua.core.models import AuditEvent
from mutua.entities.models import Entity
from tests.conftest import make_entity

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "private"
    (settings.MEDIA_ROOT / "receipts").mkdir(parents=True)
    (settings.MEDIA_ROOT / "receipts" / "r1.pdf").write_bytes(b"%PDF-1.7 receipt one")
    return Path(settings.MEDIA_ROOT)


def test_round_trip_restores_rows_and_files(media: Path, tmp_path: Path) -> None:
    make_entity("BEKEEP")
    archive = tmp_path / "backup.tar"
    call_command("backup", "-o", str(archive), stdout=io.StringIO())

    make_entity("BELOST")  # made after the backup: gone after the restore
    (media / "receipts" / "r1.pdf").write_bytes(b"overwritten")
    (media / "late.txt").write_text("made after the backup")

    call_command("restore", str(archive), "--force", stdout=io.StringIO())

    codes = set(Entity.objects.values_list("code", flat=True))
    assert "BEKEEP" in codes and "BELOST" not in codes
    assert (media / "receipts" / "r1.pdf").read_bytes() == b"%PDF-1.7 receipt one"
    assert not (media / "late.txt").exists()
    assert AuditEvent.objects.filter(action="core.restore").count() == 1


def test_restore_refuses_a_database_with_data_unless_forced(media: Path, tmp_path: Path) -> None:
    make_entity("BEDATA")
    archive = tmp_path / "backup.tar"
    call_command("backup", "-o", str(archive), stdout=io.StringIO())
    with pytest.raises(CommandError, match="--force"):
        call_command("restore", str(archive), stdout=io.StringIO())


def _rewrite(archive: Path, target: Path, change: Any) -> None:
    """Copy `archive` to `target`, passing each member's bytes through `change(name, data)`."""
    with tarfile.open(archive) as src, tarfile.open(target, "w") as dst:
        for member in src.getmembers():
            handle = src.extractfile(member)
            data = change(member.name, handle.read() if handle else b"")
            info = tarfile.TarInfo(member.name)
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda name, data: data + b"x" if name.startswith("files/") else data, "damaged"),
        (
            lambda name, data: (
                json.dumps({**json.loads(data), "vendor": "oracle"}).encode()
                if name == "manifest.json"
                else data
            ),
            "oracle database",
        ),
        (
            lambda name, data: (
                json.dumps(
                    {**json.loads(data), "migrations": {"core": "9999_from_the_future"}}
                ).encode()
                if name == "manifest.json"
                else data
            ),
            "newer version",
        ),
    ],
    ids=["altered file", "other engine", "newer schema"],
)
def test_damaged_or_foreign_archive_changes_nothing(
    media: Path, tmp_path: Path, change: Any, message: str
) -> None:
    make_entity("BEONE")
    archive, bad = tmp_path / "backup.tar", tmp_path / "bad.tar"
    call_command("backup", "-o", str(archive), stdout=io.StringIO())
    _rewrite(archive, bad, change)
    make_entity("BETWO")
    (media / "new.txt").write_text("kept")
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(bad), "--force", stdout=io.StringIO())
    assert Entity.objects.filter(code="BETWO").exists()
    assert (media / "new.txt").read_text() == "kept"


def test_truncated_archive_is_refused(media: Path, tmp_path: Path) -> None:
    archive = tmp_path / "backup.tar"
    call_command("backup", "-o", str(archive), stdout=io.StringIO())
    truncated = tmp_path / "truncated.tar"
    truncated.write_bytes(archive.read_bytes()[:700])
    with pytest.raises(CommandError):
        call_command("restore", str(truncated), "--force", stdout=io.StringIO())


def test_backup_to_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="does not exist"):
        call_command("backup", "-o", str(tmp_path / "nowhere" / "b.tar"), stdout=io.StringIO())
