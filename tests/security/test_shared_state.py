"""Security, second round, finding A: what stops a second use of a TOTP code and repeated
sign-in failures must hold for the whole site, not for one worker process.

allauth keeps the codes already used and its sign-in rate limits in Django's cache; with the
per-process memory cache every gunicorn worker keeps its own. With `REDIS_URL` set the default
cache is Redis, shared by every process. These tests run real separate processes against one
Redis: two Python processes through allauth's own code check, and two gunicorn servers through
the sign-in pages. django-axes keeps its lockouts in the database, which the two servers share.

Redis: `REDIS_URL` (CI exports one) or redis://127.0.0.1:6379/15. Every test writes under a key
prefix of its own and deletes only those keys. Without a reachable Redis the tests that need one
are skipped, except under CI (CI=true or MUTUA_E2E_REQUIRED), where they fail.
"""

from __future__ import annotations

import email.utils
import http.client
import importlib.util
import json
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import redis

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
REQUIRED = bool(os.environ.get("MUTUA_E2E_REQUIRED")) or os.environ.get("CI") == "true"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
PASSWORD = "correct-horse-battery-staple"
HOST = "mutua.test"  # the two servers stand for one site behind one proxy: one host name
TOO_MANY = "Too many failed login attempts"


def missing(message: str) -> None:
    if REQUIRED:
        pytest.fail(message)
    pytest.skip(message)


def reachable_redis() -> redis.Redis:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=5)
    try:
        client.ping()
    except redis.RedisError as exc:
        missing(
            f"Redis is not reachable at {REDIS_URL} ({exc}): start one "
            "(redis-server --daemonize yes --bind 127.0.0.1 --save '') or set REDIS_URL"
        )
    return client


@contextmanager
def own_prefix() -> Iterator[dict[str, str]]:
    """The environment of processes sharing the Redis under a key prefix of their own; the keys
    written under it are deleted afterwards (and nothing else)."""
    client = reachable_redis()
    prefix = f"mutua-test-{uuid.uuid4().hex[:16]}"
    try:
        yield {"REDIS_URL": REDIS_URL, "CACHE_KEY_PREFIX": prefix}
    finally:
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
        client.close()


def base_env(folder: Path, **extra: str) -> dict[str, str]:
    """The embedded demo's settings (DEBUG on) in a folder of their own, plus `extra`."""
    dropped = ("REDIS_URL", "CACHE_KEY_PREFIX", "DATABASE_URL", "DEBUG", "SECRET_KEY")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        DEBUG="1",
        MUTUA_VAR_DIR=str(folder),
        DATABASE_URL=f"sqlite:///{folder / 'mutua.sqlite3'}",
        DJANGO_SETTINGS_MODULE="mutua.settings",
    )
    env.update(extra)
    return env


def code_at(secret: str, when: float) -> str:
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(when) // app_settings.TOTP_PERIOD))


# --- the settings ------------------------------------------------------------------------------

SHOW_CACHE = "import json, mutua.settings as s; print(json.dumps(s.CACHES['default']))"


def cache_settings(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", SHOW_CACHE],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_embedded_demo_keeps_its_one_process_memory_cache(tmp_path: Path) -> None:
    done = cache_settings(base_env(tmp_path))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_redis_url_makes_redis_the_cache_of_every_process(tmp_path: Path) -> None:
    env = base_env(
        tmp_path,
        DEBUG="0",
        SECRET_KEY="x" * 50,
        REDIS_URL="redis://127.0.0.1:6379/3",
        CACHE_KEY_PREFIX="site-a",
    )
    done = cache_settings(env)
    assert done.returncode == 0, done.stderr
    cache = json.loads(done.stdout)
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://127.0.0.1:6379/3"
    assert cache["KEY_PREFIX"] == "site-a"


def test_production_without_redis_refuses_to_start(tmp_path: Path) -> None:
    done = cache_settings(base_env(tmp_path, DEBUG="0", SECRET_KEY="x" * 50))
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr and "REDIS_URL must be set" in done.stderr


# --- two processes, allauth's own check of a TOTP code -------------------------------------------

# One process: allauth's TOTP check of a code for one authenticator (the check a sign-in makes),
# on a line from the test so that both processes try at the same moment. The code is the one
# of the processes' own clock (CI also runs the suite under libfaketime, where each process's
# clock starts at the faked instant when the process starts).
ATTEMPT = """
import sys, time, django
django.setup()
from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from allauth.mfa.utils import encrypt
user_id, secret = int(sys.argv[1]), sys.argv[2]
totp = TOTP(Authenticator(user_id=user_id, type=Authenticator.Type.TOTP,
                          data={"secret": encrypt(secret)}))
now = format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))
print("ready", now, flush=True)
code = sys.stdin.readline().split()[1]
print("accepted" if totp.validate_code(code) else "refused", flush=True)
"""


def attempt_in_two_processes(env: dict[str, str]) -> list[str]:
    """Both processes try the current code (as the first one computes it) at once."""
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", ATTEMPT, "4242", SECRET],
            env=env,
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    try:
        codes = []
        for process in processes:
            assert process.stdout is not None and process.stdin is not None
            line = process.stdout.readline().split()
            assert line[:1] == ["ready"], (process.stderr.read() if process.stderr else "") or line
            codes.append(line[1])
        for process in processes:
            assert process.stdin is not None
            process.stdin.write(f"go {codes[0]}\n")
            process.stdin.flush()
        answers = [process.communicate(timeout=60) for process in processes]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
    assert all(p.returncode == 0 for p in processes), [err for _, err in answers]
    return sorted(out.strip() for out, _ in answers)


def test_a_totp_code_is_accepted_once_by_two_processes(tmp_path: Path) -> None:
    with own_prefix() as shared:
        assert attempt_in_two_processes(base_env(tmp_path, **shared)) == [
            "accepted",
            "refused",
        ]


def test_the_memory_cache_lets_a_second_process_accept_the_code_again(tmp_path: Path) -> None:
    """The finding itself, and the proof that the test above can fail: each process of the
    embedded demo's set-up remembers only its own used codes."""
    assert attempt_in_two_processes(base_env(tmp_path)) == [
        "accepted",
        "accepted",
    ]


# --- two gunicorn servers, the sign-in pages -----------------------------------------------------

# Tables only (no migration history: signing in needs nothing else, and it takes two seconds
# rather than twenty), then the accounts of the tests below.
PREPARE = """
import sys, django
django.setup()
from django.apps import apps
from django.core.management import call_command
from django.test.utils import override_settings
with override_settings(MIGRATION_MODULES={a.label: None for a in apps.get_app_configs()}):
    call_command("migrate", run_syncdb=True, verbosity=0)
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user_model
password, secret = sys.argv[1], sys.argv[2]
for name in sys.argv[3:]:
    email = f"{name}@mutua.test"
    user = get_user_model().objects.create_user(username=name, email=email, password=password)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if name == "totp":
        TOTP.activate(user, secret)
"""


@dataclass
class Answer:
    status: int
    location: str
    text: str
    date: str = ""


@dataclass
class Browser:
    """One person's cookies, talking to whichever server `port` names, from address `ip` (the
    X-Real-IP header nginx sets; the servers read it as MUTUA_CLIENT_IP_HEADER)."""

    port: int
    ip: str = "192.0.2.10"
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, data: dict[str, str] | None = None) -> Answer:
        headers = {"Host": HOST, "X-Real-IP": self.ip}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(
                {**data, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            )
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
            for cookie in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = cookie.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            return Answer(
                response.status,
                response.getheader("Location", ""),
                text,
                response.getheader("Date", ""),
            )
        finally:
            connection.close()

    def sign_in(self, email: str, password: str) -> Answer:
        self.request("GET", "/accounts/login/")
        return self.request("POST", "/accounts/login/", {"login": email, "password": password})


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_serving(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn on {port} stopped:\n{log.read_text()}")
        try:
            if Browser(port).request("GET", "/accounts/login/").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"gunicorn on {port} did not answer within 60 s:\n{log.read_text()}")


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[int]]:
    """Two gunicorn servers (one worker each: two processes) of one site: one database, one
    Redis. Sign-in failures lock after 3 (AXES_FAILURE_LIMIT) per account and address."""
    if importlib.util.find_spec("gunicorn") is None:
        missing("gunicorn is missing: `make install` installs it (the prod extra)")
    folder = tmp_path_factory.mktemp("two-servers")
    with own_prefix() as shared:
        env = base_env(
            folder,
            **shared,
            ALLOWED_HOSTS=HOST,
            MUTUA_CLIENT_IP_HEADER="X-Real-IP",
            AXES_FAILURE_LIMIT="3",
        )
        prepared = subprocess.run(
            [sys.executable, "-c", PREPARE, PASSWORD, SECRET, "totp", "limited", "locked"],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        assert prepared.returncode == 0, prepared.stderr
        started: list[tuple[int, subprocess.Popen[bytes], Path]] = []
        try:
            for _ in range(2):
                port = free_port()
                log = folder / f"gunicorn-{port}.log"
                with log.open("wb") as out:
                    process = subprocess.Popen(
                        [sys.executable, "-m", "gunicorn", "mutua.wsgi", "--workers", "1",
                         "--bind", f"127.0.0.1:{port}", "--timeout", "120"],
                        env=env,
                        cwd=ROOT,
                        stdout=out,
                        stderr=subprocess.STDOUT,
                    )  # fmt: skip
                started.append((port, process, log))
            for port, process, log in started:
                wait_until_serving(port, process, log)
            yield [port for port, _, _ in started]
        finally:
            for _, process, _ in started:
                process.terminate()
            for _, process, _ in started:
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


@pytest.mark.slow
def test_a_totp_code_signs_in_once_across_two_servers(servers: list[int]) -> None:
    from django.urls import reverse

    first, second = Browser(servers[0]), Browser(servers[1])
    for browser in (first, second):
        answer = browser.sign_in("totp@mutua.test", PASSWORD)
        assert (answer.status, answer.location) == (302, reverse("mfa_authenticate"))
    # The servers' clock (their Date header), not this process's: see ATTEMPT.
    served = Browser(servers[0]).request("GET", reverse("account_login")).date
    code = code_at(SECRET, email.utils.parsedate_to_datetime(served).timestamp())
    accepted = first.request("POST", reverse("mfa_authenticate"), {"code": code})
    replayed = second.request("POST", reverse("mfa_authenticate"), {"code": code})
    assert (accepted.status, accepted.location) == (302, reverse("portal:home"))
    assert replayed.status == 200 and "Incorrect code." in replayed.text
    # The second browser is still at the code step; the first one is signed in.
    assert second.request("GET", reverse("portal:home")).status == 302
    assert first.request("GET", reverse("account_email")).status == 200


@pytest.mark.slow
def test_sign_in_failures_count_across_two_servers(servers: list[int]) -> None:
    """allauth refuses an 11th try on an account within 5 minutes (ACCOUNT_RATE_LIMITS:
    10/5m/key): 5 failures on each server add up. Every try comes from a new address, so
    django-axes (per account and address) stays out of the way."""
    for n in range(10):
        answer = Browser(servers[n % 2], ip=f"198.51.100.{n + 1}").sign_in(
            "limited@mutua.test", "wrong-password"
        )
        assert answer.status == 200 and TOO_MANY not in answer.text, n
    answer = Browser(servers[1], ip="198.51.100.99").sign_in("limited@mutua.test", PASSWORD)
    assert answer.status == 200 and TOO_MANY in answer.text


@pytest.mark.slow
def test_an_account_locked_on_one_server_is_locked_on_the_other(servers: list[int]) -> None:
    """django-axes: the 3rd failure (this fixture's AXES_FAILURE_LIMIT) from one address, the
    failures spread over both servers, locks the account for that address on both; from another
    address (read from X-Real-IP, not the proxy's) the account still signs in."""
    for n in range(3):
        answer = Browser(servers[n % 2], ip="203.0.113.7").sign_in("locked@mutua.test", "wrong")
        assert answer.status == (429 if n == 2 else 200), n
    for port in servers:
        locked = Browser(port, ip="203.0.113.7").sign_in("locked@mutua.test", PASSWORD)
        assert locked.status == 429 and "locked" in locked.text.lower(), port
    elsewhere = Browser(servers[0], ip="203.0.113.8").sign_in("locked@mutua.test", PASSWORD)
    assert elsewhere.status == 302
