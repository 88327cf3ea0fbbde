"""Load mix of the member portal and the API (issue 10, item 2), run by scripts/load/run.sh.

Each simulated member starts from a signed-in session (sessions.py) and makes its first reads
(not measured: stats are reset once every user is ready), then, with 1 to 3 s of thought
between clicks, opens the home dashboard, the invoice list, the pay simulator, creates order
forms and reads the API. Weights follow what a member does most: look at the dashboard and
invoices; create an order form now and then.

The server runs as in production (DEBUG off), behind an imagined TLS proxy: the requests carry
`X-Forwarded-Proto: https`, and the secure cookies are sent back over plain HTTP to 127.0.0.1.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import re
import time
from typing import Any

import gevent
import psutil
from locust import HttpUser, between, events, task

# Signed-in sessions opened beforehand by sessions.py (run.sh), one per simulated user.
with open(os.environ.get("LOAD_SESSIONS", "var/load/sessions.txt")) as _keys:
    _sessions = iter(_keys.read().split())
_amounts = itertools.cycle(range(1000, 4000, 250))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


MEASURE_SECONDS = int(os.environ.get("MEASURE_SECONDS", "120"))


class Measured:
    """Response times of page views and API reads once every user is ready, for
    MEASURE_SECONDS, then the run stops. Percentiles across all pages, as the target is stated,
    are written to $LOAD_SUMMARY when the run ends."""

    times: dict[str, list[float]] = {"page": [], "api": []}
    started = 0.0
    signed_in = 0
    cpu_at_start = 0.0

    @classmethod
    def user_ready(cls, environment: Any) -> None:
        cls.signed_in += 1
        runner = environment.runner
        if cls.signed_in == runner.target_user_count:
            environment.stats.reset_all()
            cls.times = {"page": [], "api": []}
            cls.started = time.monotonic()
            cls.cpu_at_start = server_cpu_seconds()
            gevent.spawn_later(MEASURE_SECONDS, runner.quit)

    @classmethod
    def record(cls, name: str, response_time: float, exception: Any, **_: Any) -> None:
        kind = name.split(":")[0]
        if cls.started and kind in cls.times and exception is None:
            cls.times[kind].append(response_time)

    @classmethod
    def write(cls, environment: Any, **_: Any) -> None:
        seconds = time.monotonic() - cls.started if cls.started else 0
        summary = {
            kind: {
                "requests": len(values),
                "per_second": round(len(values) / seconds, 1) if seconds else 0,
                **{f"p{q}": percentile(values, q) for q in (50, 95, 99)},
            }
            for kind, values in cls.times.items()
        }
        summary["seconds"] = round(seconds)
        served = sum(len(v) for v in cls.times.values())
        cpu = server_cpu_seconds() - cls.cpu_at_start
        summary["server_cpu_ms_per_request"] = round(1000 * cpu / served, 1) if served else 0
        summary["failures"] = environment.stats.total.num_failures
        if path := os.environ.get("LOAD_SUMMARY"):
            with open(path, "w") as out:
                json.dump(summary, out, indent=2)


def server_cpu_seconds() -> float:
    """CPU used so far by the server under test: the gunicorn workers ($SERVER_PID's children)
    and the PostgreSQL sessions of its database ($LOAD_DATABASE). Other work on the machine
    slows the response times; this figure says what the mix costs whatever else runs."""
    master, database = os.environ.get("SERVER_PID"), os.environ.get("LOAD_DATABASE", "")
    total = 0.0
    for process in psutil.process_iter(["ppid", "cmdline"]):
        line = " ".join(process.info["cmdline"] or [])
        ours = str(process.info["ppid"]) == master or (
            line.startswith("postgres:") and f" {database} " in line
        )
        if ours:
            try:
                times = process.cpu_times()
            except psutil.Error:
                continue
            total += times.user + times.system
    return total


def percentile(values: list[float], q: int) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * q / 100))], 1)


events.request.add_listener(Measured.record)
events.quitting.add_listener(Measured.write)


class Member(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.client.headers.update(
            {"X-Forwarded-Proto": "https", "Referer": self.host.replace("http:", "https:") + "/"}
        )
        self.client.cookies.set("sessionid", next(_sessions), domain="127.0.0.1", path="/")
        self._csrf("/portal/", "page: home dashboard")  # the CSRF cookie
        self.activities = [a["id"] for a in self._json("/api/v1/activities", "api: activities")]
        self.clients = [c["id"] for c in self._json("/api/v1/clients", "api: clients")]
        Measured.user_ready(self.environment)

    def get(self, url: str, name: str) -> Any:
        self._plain_cookies()
        return self.client.get(url, name=name)

    def post(self, url: str, data: dict[str, Any], name: str) -> Any:
        self._plain_cookies()
        return self.client.post(
            url, data=data, name=name, allow_redirects=False, catch_response=True
        )

    def _plain_cookies(self) -> None:
        """Send the secure cookies over the plain connection to the local server (the TLS proxy
        of production is not part of the test)."""
        for cookie in self.client.cookies:
            cookie.secure = False

    def _csrf(self, url: str, name: str) -> str:
        page = self.get(url, name).text
        found = CSRF.search(page)
        return found.group(1) if found else ""

    def _json(self, url: str, name: str) -> list[dict[str, Any]]:
        response = self.get(url, name)
        data = response.json() if response.ok else []
        return data if isinstance(data, list) else []

    @task(6)
    def home(self) -> None:
        self.get("/portal/", "page: home dashboard")

    @task(4)
    def invoices(self) -> None:
        self.get("/portal/invoices/", "page: invoice list")

    @task(3)
    def simulator(self) -> None:
        amount = next(_amounts)
        query = f"?country=BE&mode=invoiced&amount={amount}&children=1&partner_income=yes"
        self.get("/pay/simulator/" + query, "page: simulator")

    @task(1)
    def order_form(self) -> None:
        token = self._csrf("/order-forms/new/", "page: order form (new)")
        if not (self.activities and self.clients and token):
            return
        start = dt.date.today() + dt.timedelta(days=30)
        form = {
            "csrfmiddlewaretoken": token,
            "activity": self.activities[0],
            "client": self.clients[0],
            "description": "Sound engineering for a concert",
            "start_date": start.isoformat(),
            "end_date": (start + dt.timedelta(days=1)).isoformat(),
            "working_days": "2",
            "amount_excl_vat": "800",
            "reinvoiced_expenses": "0",
            "vat_rate_name": "standard",
        }
        with self.post("/order-forms/new/", form, "page: order form (create)") as response:
            if response.status_code != 302:
                response.failure(f"order form not created ({response.status_code})")

    @task(2)
    def api_invoices(self) -> None:
        self.get("/api/v1/invoices", "api: invoices")

    @task(1)
    def api_me(self) -> None:
        self.get("/api/v1/me", "api: me")

    @task(1)
    def api_activities(self) -> None:
        self.get("/api/v1/activities", "api: activities")
