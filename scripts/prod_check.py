"""What `make prod-check` (scripts/prod-check.sh) asks of the stack running on loopback.

    python scripts/prod_check.py wait URL [--header 'Name: value'] [--seconds 60]
    python scripts/prod_check.py stack --https https://127.0.0.1:P --http http://127.0.0.1:Q \
        --database var/mutua.sqlite3

`stack` goes through nginx, as a browser would, and checks: plain HTTP is sent to HTTPS; a page
comes with one HSTS header (Django's) and secure cookies; a static file comes from whitenoise
with a year of caching; a body larger than the limit is refused by nginx itself; a failed sign-in
works behind the proxy and is recorded by django-axes with the client's address, even when the
client sends its own X-Real-IP / X-Forwarded-For. Exit 1 on the first thing that is wrong.
"""

from __future__ import annotations

import argparse
import http.client
import re
import sqlite3
import ssl
import sys
import time
import urllib.parse

SPOOFED = "203.0.113.66"


def tls_context() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False  # a throwaway self-signed certificate for 127.0.0.1
    context.verify_mode = ssl.CERT_NONE
    return context


def connection(url: str, timeout: float = 10) -> http.client.HTTPConnection:
    parts = urllib.parse.urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port
    if parts.scheme == "https":
        return http.client.HTTPSConnection(host, port, timeout=timeout, context=tls_context())
    return http.client.HTTPConnection(host, port, timeout=timeout)


def fetch(
    url: str, path: str, method: str = "GET", body: str | None = None, **headers: str
) -> tuple[http.client.HTTPResponse, str]:
    conn = connection(url)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response, response.read().decode(errors="replace")
    finally:
        conn.close()


def check(condition: bool, what: str) -> None:
    if not condition:
        print(f"FAILED: {what}")
        sys.exit(1)
    print(f"  ok: {what}")


def wait(url: str, headers: list[str], seconds: float) -> int:
    parts = urllib.parse.urlsplit(url)
    extra = {k.strip(): v.strip() for k, v in (h.split(":", 1) for h in headers)}
    deadline = time.monotonic() + seconds
    last = ""
    while time.monotonic() < deadline:
        try:
            response, _ = fetch(url, parts.path or "/", **extra)
            if response.status == 200:
                return 0
            last = f"status {response.status}"
        except OSError as exc:
            last = str(exc)
        time.sleep(0.3)
    print(f"{url} did not answer 200 within {seconds:g} s ({last})")
    return 1


def stack(https: str, plain: str, database: str) -> int:
    print("== the stack through nginx")
    response, _ = fetch(plain, "/accounts/login/?next=/portal/")
    check(
        response.status == 301
        and response.getheader("Location", "").startswith("https://")
        and response.getheader("Location", "").endswith("/accounts/login/?next=/portal/"),
        f"plain HTTP is sent to HTTPS ({response.status} {response.getheader('Location')})",
    )

    response, page = fetch(https, "/accounts/login/")
    check(response.status == 200, f"the sign-in page over HTTPS ({response.status})")
    hsts = response.headers.get_all("Strict-Transport-Security") or []
    check(
        len(hsts) == 1 and "max-age=31536000" in hsts[0],
        f"one HSTS header, Django's: {hsts}",
    )
    check("Content-Security-Policy" in response.headers, "Django's Content-Security-Policy")
    check(
        response.getheader("Server") == "nginx",
        f"nginx without its version: {response.getheader('Server')}",
    )
    cookies = response.headers.get_all("Set-Cookie") or []
    csrf = next((c for c in cookies if c.startswith("csrftoken=")), "")
    check("; Secure" in csrf or "; secure" in csrf, "the CSRF cookie is Secure")
    token = csrf.split(";", 1)[0].partition("=")[2]

    asset = re.search(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', page)
    check(asset is not None, "the page links a static file")
    assert asset is not None
    response, _ = fetch(https, asset.group(1))
    check(
        response.status == 200 and "immutable" in (response.getheader("Cache-Control") or ""),
        f"{asset.group(1)} from whitenoise, cached ({response.getheader('Cache-Control')})",
    )

    conn = connection(https)
    try:
        conn.putrequest("POST", "/expenses/new/")
        conn.putheader("Content-Length", str(13 * 1024 * 1024))
        conn.putheader("Content-Type", "application/octet-stream")
        conn.endheaders()
        response = conn.getresponse()
        response.read()
    finally:
        conn.close()
    check(
        response.status == 413,
        f"a 13 MB body is refused by nginx before gunicorn ({response.status})",
    )

    # A failed sign-in behind the proxy: gunicorn's peer is nginx on a unix socket (no address at
    # all), so this works only if the client's address comes through X-Real-IP, which nginx
    # sets itself: the client's own X-Real-IP and X-Forwarded-For are thrown away.
    form = urllib.parse.urlencode(
        {"login": "nobody@prod-check.test", "password": "wrong", "csrfmiddlewaretoken": token}
    )
    host = urllib.parse.urlsplit(https).hostname
    response, page = fetch(
        https,
        "/accounts/login/",
        "POST",
        form,
        **{
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={token}",
            "Origin": f"https://{host}",
            "X-Real-IP": SPOOFED,
            "X-Forwarded-For": SPOOFED,
        },
    )
    check(
        response.status == 200 and "nobody@prod-check.test" in page,
        f"a failed sign-in answers the form ({response.status})",
    )
    with sqlite3.connect(database) as db:
        seen = [row[0] for row in db.execute("SELECT ip_address FROM axes_accessattempt")]
    check(
        seen == ["127.0.0.1"],
        f"django-axes recorded the client's address, not the spoofed one: {seen}",
    )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    waiting = commands.add_parser("wait")
    waiting.add_argument("url")
    waiting.add_argument("--header", action="append", default=[])
    waiting.add_argument("--seconds", type=float, default=60)
    checking = commands.add_parser("stack")
    checking.add_argument("--https", required=True)
    checking.add_argument("--http", required=True)
    checking.add_argument("--database", required=True)
    args = parser.parse_args()
    if args.command == "wait":
        return wait(args.url, args.header, args.seconds)
    return stack(args.https, args.http, args.database)


if __name__ == "__main__":
    sys.exit(main())
