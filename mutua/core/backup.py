"""Backups: the database and the uploaded files together, in one archive that restores as one.

An archive is a tar file holding `manifest.json`, the database (`database.pgdump`, PostgreSQL's
custom format, or `database.sqlite3`, a consistent copy made with SQLite's backup API) and the
private files under `files/`. The manifest names the database vendor, the last migration of every
app and the SHA-256 of every member, so a restore checks the whole archive before it touches
anything: a truncated or altered archive, or one made for another database engine or another
schema, is refused and nothing changes.

The archive is written next to its destination and renamed into place when complete, so a crash
leaves the previous backup (or none), never half an archive under the final name. The files are
restored into a new folder first and swapped in afterwards.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from mutua.core import audit, clock
from mutua.core.errors import InvalidInput, StateConflict

FORMAT = 1
MANIFEST = "manifest.json"
DUMPS = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
CHUNK = 1 << 20


@dataclass(frozen=True)
class Manifest:
    format: int
    created_at: str
    vendor: str
    migrations: dict[str, str]
    members: dict[str, str]  # archive name → SHA-256

    def as_json(self) -> bytes:
        return json.dumps(self.__dict__, indent=2, sort_keys=True).encode()


# --- what is backed up --------------------------------------------------------------------------
def vendor() -> str:
    if connection.vendor not in DUMPS:
        raise InvalidInput(f"backups of a {connection.vendor} database are not supported")
    return connection.vendor


def applied_migrations() -> dict[str, str]:
    """The last applied migration of every app: a restore needs a schema this code knows."""
    latest: dict[str, str] = {}
    if not MigrationRecorder(connection).has_table():
        return latest
    for app, name in MigrationRecorder.Migration.objects.values_list("app", "name"):
        latest[app] = max(latest.get(app, ""), name)
    return latest


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db: dict[str, Any] = dict(connection.settings_dict)
    args = ["--dbname", str(db["NAME"])]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    # The command is one of ours (pg_dump / pg_restore) with arguments from the settings.
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise StateConflict(f"{command[0]} failed: {done.stderr.strip()[:500]}")


def _dump_database(target: Path) -> None:
    if vendor() == "postgresql":
        args, env = _pg_env()
        dump = [
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            "--file",
            str(target),
        ]
        _run([*dump, *args], env)
        return
    connection.ensure_connection()
    with sqlite3.connect(target) as copy:
        connection.connection.backup(copy)
    copy.close()


def _private_files() -> list[tuple[str, Path]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    return sorted(
        (f"files/{path.relative_to(root).as_posix()}", path)
        for path in root.rglob("*")
        if path.is_file()
    )


def digest_of(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            sha.update(block)
    return sha.hexdigest()


# --- backup -------------------------------------------------------------------------------------
def create_backup(destination: Path, *, actor: Any = None) -> Manifest:
    """Write the archive to `destination` (atomically) and return its manifest."""
    destination = destination.resolve()
    if destination.is_dir():
        raise InvalidInput(f"{destination} is a folder: give the archive's file name")
    if not destination.parent.is_dir():
        raise InvalidInput(f"the folder {destination.parent} does not exist")
    with transaction.atomic():
        audit.record(actor=actor, action="core.backup", after={"file": destination.name})
    with tempfile.TemporaryDirectory(dir=destination.parent) as work:
        dump = Path(work) / DUMPS[vendor()]
        _dump_database(dump)
        members = [(dump.name, dump), *_private_files()]
        manifest = Manifest(
            format=FORMAT,
            created_at=clock.now().isoformat(timespec="seconds"),
            vendor=vendor(),
            migrations=applied_migrations(),
            members={name: digest_of(path) for name, path in members},
        )
        partial = Path(work) / "archive.tar"
        with tarfile.open(partial, "w") as tar:
            _add_bytes(tar, MANIFEST, manifest.as_json())
            for name, path in members:
                tar.add(path, arcname=name, recursive=False)
        with partial.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, destination)
    return manifest


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(clock.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


# --- restore ------------------------------------------------------------------------------------
def read_manifest(tar: tarfile.TarFile) -> Manifest:
    try:
        handle = tar.extractfile(MANIFEST)
        data = json.loads(handle.read()) if handle else None
        manifest = Manifest(**data) if isinstance(data, dict) else None
    except (KeyError, ValueError, TypeError) as exc:
        raise InvalidInput("not a Mutua backup: its manifest is missing or unreadable") from exc
    if manifest is None or manifest.format != FORMAT:
        raise InvalidInput("not a Mutua backup of a format this version reads")
    return manifest


def _checked_members(tar: tarfile.TarFile, manifest: Manifest, into: Path) -> None:
    """Extract every member named by the manifest and check its SHA-256; refuse anything else."""
    names = {member.name for member in tar.getmembers()} - {MANIFEST}
    if names != set(manifest.members):
        raise InvalidInput("the archive does not hold exactly the files its manifest lists")
    for member in tar.getmembers():
        if member.name == MANIFEST:
            continue
        if not member.isfile() or member.name.startswith("/") or ".." in member.name.split("/"):
            raise InvalidInput(f"unsafe member in the archive: {member.name}")
        tar.extract(member, into, filter="data")
        if digest_of(into / member.name) != manifest.members[member.name]:
            raise InvalidInput(f"{member.name} is damaged (its checksum does not match)")


def _holds_data() -> bool:
    if not MigrationRecorder(connection).has_table():
        return False
    from django.contrib.auth import get_user_model

    from mutua.core.models import AuditEvent

    return AuditEvent.objects.exists() or get_user_model().objects.exists()


def _check_fits(manifest: Manifest, *, force: bool) -> None:
    """Same engine; a schema this code knows (an older one is migrated after the restore); an
    empty database unless the operator forces the replacement."""
    if manifest.vendor != vendor():
        raise InvalidInput(
            f"this backup is of a {manifest.vendor} database; the configured one is {vendor()}"
        )
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    unknown = sorted(f"{a}.{n}" for a, n in manifest.migrations.items() if (a, n) not in known)
    if unknown:
        raise InvalidInput(
            "the backup was made by a newer version of Mutua (unknown migrations: "
            + ", ".join(unknown[:5])
            + "): upgrade first"
        )
    if _holds_data() and not force:
        raise StateConflict("the database already holds data: restore with --force to replace it")


def restore_backup(archive: Path, *, force: bool = False, actor: Any = None) -> Manifest:
    """Replace the database and the private files with the archive's, after checking it all."""
    if not archive.is_file():
        raise InvalidInput(f"no such file: {archive}")
    media = Path(settings.MEDIA_ROOT)
    media.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=media.parent) as work:
        try:
            with tarfile.open(archive, "r") as tar:
                manifest = read_manifest(tar)
                _check_fits(manifest, force=force)
                _checked_members(tar, manifest, Path(work))
        except (tarfile.TarError, EOFError, OSError) as exc:
            raise InvalidInput(f"the archive cannot be read: {exc}") from exc
        _restore_database(Path(work) / DUMPS[manifest.vendor])
        _swap_files(Path(work) / "files", media)
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="core.restore",
            after={"file": archive.name, "made": manifest.created_at},
        )
    return manifest


def _restore_database(dump: Path) -> None:
    if vendor() == "postgresql":
        connection.close()  # pg_restore drops the tables this connection may hold open
        args, env = _pg_env()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                *args,
                str(dump),
            ],
            env,
        )
        return
    connection.ensure_connection()
    with sqlite3.connect(dump) as source:
        source.backup(connection.connection)
    source.close()


def _swap_files(restored: Path, media: Path) -> None:
    """Put the restored folder in place of the current one, then drop the old one."""
    restored.mkdir(exist_ok=True)
    old = media.with_name(media.name + ".before-restore")
    shutil.rmtree(old, ignore_errors=True)
    if media.exists():
        os.replace(media, old)
    shutil.move(str(restored), media)
    shutil.rmtree(old, ignore_errors=True)
