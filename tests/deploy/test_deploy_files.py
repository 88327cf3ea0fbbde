"""The production stack of deploy/ agrees with itself and with the application: one socket path,
nginx's size limits cover every upload the application accepts (and no more than needed), the
slow-client protections are there, the sample environment passes `mutua check --deploy`.

`make prod-check` runs the stack itself (nginx, gunicorn, Redis) on loopback; these checks are
the fast part, for every test run.
"""

from __future__ import annotations

import os
import re
import runpy
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
SOCKET = "/run/mutua/gunicorn.sock"
MB = 1024 * 1024


def code(text: str) -> str:
    return re.sub(r"#[^\n]*", "", text)


def nginx_directives(text: str) -> list[tuple[str, str]]:
    """(name, arguments) of every simple directive."""
    return [(m[1], m[2].strip()) for m in re.finditer(r"([a-z_0-9]+)\s+([^;{}]*);", text)]


def directive(text: str, name: str) -> list[str]:
    return [args for found, args in nginx_directives(text) if found == name]


def size(value: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([kKmM]?)", value).groups()  # type: ignore[union-attr]
    return int(number) * {"": 1, "k": 1024, "m": MB}[unit.lower()]


# Without their comments.
PROXY = code((DEPLOY / "nginx" / "mutua-proxy.conf").read_text())
SITE = code((DEPLOY / "nginx" / "mutua.conf").read_text())


def locations() -> list[tuple[str, str, str]]:
    """(modifier, pattern, body) of each location block of the proxy snippet."""
    return [
        (m[1] or "", m[2], m[3])
        for m in re.finditer(r"location\s+(=|~)?\s*(\S+)\s*\{([^}]*)\}", PROXY)
    ]


def body_limit_for(path: str) -> int:
    """client_max_body_size nginx applies to `path`: exact location, then the first regular
    expression that matches, then the server's."""
    blocks = locations()
    chosen = next((b for m, p, b in blocks if m == "=" and p == path), None)
    if chosen is None:
        chosen = next((b for m, p, b in blocks if m == "~" and re.search(p, path)), None)
    sizes = directive(chosen, "client_max_body_size") if chosen else []
    return size(
        sizes[0] if sizes else directive(PROXY.split("location", 1)[0], "client_max_body_size")[0]
    )


def test_every_upload_the_application_accepts_gets_through_nginx() -> None:
    from mutua.banking.forms import MAX_FILE_BYTES as STATEMENT
    from mutua.expenses.receipts import MAX_RECEIPT_BYTES as RECEIPT
    from mutua.governance.assembly_actions import MAX_DOCUMENT_BYTES as ASSEMBLY_DOCUMENT
    from mutua.reporting.forms import MAX_RATES_BYTES as RATES
    from mutua.services.uploads import MAX_BYTES as ADVICE_FILE
    from mutua.services.uploads import MAX_FILES as ADVICE_FILES

    needed = {
        reverse("expenses:create"): RECEIPT,
        reverse("expenses:upload", args=[7]): RECEIPT,
        reverse("services:advice_new"): ADVICE_FILES * ADVICE_FILE,
        reverse("services:advice", args=[7]): ADVICE_FILES * ADVICE_FILE,
        reverse("banking:entity", args=[7]): STATEMENT,
        reverse("governance:add_document", args=[7]): ASSEMBLY_DOCUMENT,
        reverse("reporting:rates"): RATES,
    }
    for path, largest_file in needed.items():
        limit = body_limit_for(path)
        # Room for the form around the files, but not a second file's worth.
        assert largest_file < limit <= largest_file + 3 * MB, (path, limit, largest_file)
    # Everything else: one 10 MB file at most.
    assert body_limit_for(reverse("portal:home")) == 12 * MB
    assert body_limit_for("/api/v1/invoices") == 12 * MB


def test_slow_clients_meet_nginx_not_gunicorn() -> None:
    assert directive(PROXY, "proxy_request_buffering") == ["on"]
    assert directive(PROXY, "proxy_buffering") == ["on"]
    for name in ("client_header_timeout", "client_body_timeout", "send_timeout"):
        (value,) = directive(PROXY, name)
        assert int(value.rstrip("s")) <= 15, name
    (keepalive,) = directive(PROXY, "keepalive_timeout")
    assert int(keepalive.rstrip("s")) <= 30
    assert directive(PROXY, "keepalive_requests")
    assert directive(PROXY, "limit_conn")[0].startswith("mutua_addr ")
    assert "zone=mutua_addr:" in " ".join(directive(SITE, "limit_conn_zone"))


def test_django_gets_the_scheme_and_the_client_address_from_nginx_only() -> None:
    headers = dict(h.split(None, 1) for h in directive(PROXY, "proxy_set_header"))
    assert headers["X-Forwarded-Proto"] == "https"  # only the TLS server includes the snippet
    assert headers["X-Real-IP"] == "$remote_addr"  # set, not appended: a client cannot choose
    assert headers["X-Forwarded-For"] == "$remote_addr"
    assert headers["Host"] == "$host"
    # HSTS and the other security headers are Django's: nginx must not send them twice.
    assert not directive(PROXY, "add_header") and not directive(SITE, "add_header")
    tls_server = SITE.split("listen 443", 1)[1]
    assert "include /etc/nginx/snippets/mutua-proxy.conf;" in tls_server
    assert "mutua-proxy.conf" not in SITE.split("listen 443", 1)[0]  # plain HTTP only redirects
    assert "return 301 https://$host$request_uri;" in SITE


def gunicorn_settings(**env: str) -> dict[str, Any]:
    saved = dict(os.environ)
    try:
        for name in [k for k in os.environ if k.startswith("GUNICORN_")]:
            del os.environ[name]
        os.environ.update(env)
        return runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    finally:
        os.environ.clear()
        os.environ.update(saved)


def test_gunicorn_listens_where_only_nginx_reaches_it() -> None:
    conf = gunicorn_settings()
    assert conf["bind"] == [f"unix:{SOCKET}"]
    assert conf["umask"] == 0o007
    assert conf["worker_class"] == "sync" and 2 <= conf["workers"] <= 12
    # nginx waits longer than gunicorn lets a worker run, so gunicorn's own timeout shows.
    (read_timeout,) = directive(PROXY, "proxy_read_timeout")
    assert conf["timeout"] < int(read_timeout.rstrip("s"))
    moved = gunicorn_settings(GUNICORN_BIND="127.0.0.1:8001", GUNICORN_WORKERS="3")
    assert moved["bind"] == ["127.0.0.1:8001"] and moved["workers"] == 3


def test_one_socket_path_for_systemd_gunicorn_and_nginx() -> None:
    socket_unit = (DEPLOY / "systemd" / "mutua.socket").read_text()
    assert f"ListenStream={SOCKET}" in socket_unit
    assert "SocketGroup=www-data" in socket_unit and "SocketMode=0660" in socket_unit
    assert f"server unix:{SOCKET} " in SITE
    web = (DEPLOY / "systemd" / "mutua-web.service").read_text()
    assert "gunicorn -c /srv/mutua/deploy/gunicorn.conf.py mutua.wsgi" in web
    assert "Requires=mutua.socket" in web
    worker = (DEPLOY / "systemd" / "mutua-worker.service").read_text()
    assert "ExecStart=/srv/mutua/.venv/bin/mutua worker" in worker
    for unit in (web, worker):
        assert "EnvironmentFile=/etc/mutua/mutua.env" in unit and "User=mutua" in unit


def test_the_compose_file_has_the_whole_stack() -> None:
    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"app", "worker", "nginx", "postgres", "redis"} <= set(services)
    for name in ("app", "worker"):
        env = services[name]["environment"]
        assert env["REDIS_URL"].startswith("redis://redis:")
        assert "@postgres:5432/" in env["DATABASE_URL"]
        assert env["MUTUA_CLIENT_IP_HEADER"] == "X-Real-IP"
        assert "mutua-run:/run/mutua" in services[name]["volumes"]
    assert services["worker"]["command"] == ["mutua", "worker"]
    assert "deploy/gunicorn.conf.py" in services["app"]["command"]
    mounts = services["nginx"]["volumes"]
    assert "mutua-run:/run/mutua" in mounts
    for mount in mounts:
        source = mount.split(":", 1)[0]
        if source.startswith("./"):
            assert (DEPLOY / source).is_file(), source
    assert (DEPLOY / services["app"]["build"]["dockerfile"].removeprefix("deploy/")).is_file()


def test_the_sample_environment_passes_check_deploy(tmp_path: Path) -> None:
    sample = {}
    for line in (DEPLOY / "mutua.env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            sample[name] = value
    assert sample["DEBUG"] == "false" and sample["REDIS_URL"].startswith("redis://")
    assert sample["MUTUA_CLIENT_IP_HEADER"] == "X-Real-IP"
    keep = ("PATH", "HOME", "LANG", "VIRTUAL_ENV", "PYTHONPATH")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(sample)
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),  # the sample leaves it empty, to be generated
        MUTUA_VAR_DIR=str(tmp_path),
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "private"),
    )
    done = subprocess.run(
        [sys.executable, "-m", "mutua.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0 and "no issues" in done.stdout, done.stdout + done.stderr
