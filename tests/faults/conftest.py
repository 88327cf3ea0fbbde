"""Kill -9 helpers: the real `mutua` command in a subprocess against the test database, and a
second connection that holds a table or row lock so the process is killed at a chosen point
(blocked inside its transaction) rather than at a random instant."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
import pytest
from django.db import connection

# The `mutua` console script beside the interpreter; its module where the script is missing.
_script = Path(sys.executable).with_name("mutua")
MUTUA = [str(_script)] if _script.exists() else [sys.executable, "-m", "mutua.cli"]
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="kill -9 tests need a server database shared with a subprocess (PostgreSQL)",
)


def database_url() -> str:
    """The test database as a DATABASE_URL for the subprocess."""
    s = connection.settings_dict
    auth = quote(s["USER"] or "")
    if s["PASSWORD"]:
        auth += ":" + quote(s["PASSWORD"])
    host = f"{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
    return f"postgres://{auth}@{host}/{s['NAME']}"


def spawn(*args: str, tmp: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": database_url(), "MUTUA_VAR_DIR": str(tmp)}
    return subprocess.Popen(
        [*MUTUA, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def mutua(*args: str, tmp: Path) -> str:
    """Run a command to its end; its output, or the test fails with its error."""
    proc = spawn(*args, tmp=tmp)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err.decode()
    return out.decode()


def wait_until(condition: Callable[[], Any], what: str, timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def _backends(sql: str) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(sql, [connection.settings_dict["NAME"]])
        return [row[0] for row in cursor.fetchall()]


def blocked_backend() -> int | None:
    """The pid of a backend of the test database waiting for a lock (the subprocess's)."""
    pids = _backends(
        "SELECT pid FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'"
    )
    return pids[0] if pids else None


def backend_gone(pid: int) -> bool:
    return pid not in _backends("SELECT pid FROM pg_stat_activity WHERE datname = %s")


class Locker:
    """A second session that takes locks in its own transaction until released."""

    def __init__(self) -> None:
        self.conn = psycopg.connect(database_url().replace("postgres://", "postgresql://"))

    @contextmanager
    def holding(self, sql: str, params: tuple[Any, ...] = ()) -> Iterator[None]:
        with self.conn.cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute(sql, params)
        try:
            yield
        finally:
            self.conn.rollback()

    def close(self) -> None:
        self.conn.close()


@pytest.fixture
def locker(transactional_db: Any) -> Iterator[Locker]:
    held = Locker()
    yield held
    held.close()


def kill_when_blocked(proc: subprocess.Popen[bytes], locker: Locker, lock_sql: str) -> None:
    """Hold `lock_sql` until the process waits on it, SIGKILL the process, release the lock and
    wait until the server has dropped the dead client's session (its transaction rolled back)."""
    with locker.holding(lock_sql):
        pid = wait_until(
            lambda: blocked_backend() or (proc.poll() is not None and -1), "a blocked backend"
        )
        assert pid != -1, f"the process ended before the kill: {proc.communicate()[1].decode()}"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    wait_until(lambda: backend_gone(pid), "the dead client's session to end")
