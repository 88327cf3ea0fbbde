"""Profile the pages of the load mix in-process: SQL queries per page and server time, and a
pyinstrument profile of one page (`--profile NAME`). Runs with the load test's environment on its
database (docs/LOAD.md):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mutua_load DEBUG=0 SECRET_KEY=x \\
      ALLOWED_HOSTS=testserver var/load/server/bin/python scripts/load/profile_pages.py
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections import Counter

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutua.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

PAGES = {
    "home": "/portal/",
    "invoices": "/portal/invoices/",
    "simulator": "/pay/simulator/?country=BE&mode=invoiced&amount=2000&children=1",
    "order form (new)": "/order-forms/new/",
    "api invoices": "/api/v1/invoices",
    "api me": "/api/v1/me",
    "api activities": "/api/v1/activities",
}


def browser(email: str) -> Client:
    client = Client()
    user = get_user_model().objects.get(email=email)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def measure(client: Client, url: str, rounds: int) -> tuple[int, float, Counter[str]]:
    client.get(url, secure=True)  # warm caches (templates, URL resolver)
    times = []
    for _ in range(rounds):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url, secure=True)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    shapes = Counter(q["sql"].split(" WHERE ")[0][:120] for q in queries.captured_queries)
    return len(queries.captured_queries), statistics.median(times), shapes


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--member", default="member@mutua.test")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--profile", choices=sorted(PAGES), help="pyinstrument one page")
    parser.add_argument("--queries", choices=sorted(PAGES), help="list a page's repeated queries")
    args = parser.parse_args()
    client = browser(args.member)
    if args.profile:
        from pyinstrument import Profiler

        client.get(PAGES[args.profile], secure=True)
        with Profiler(interval=0.0005) as profiler:
            for _ in range(args.rounds):
                client.get(PAGES[args.profile], secure=True)
        print(profiler.output_text(unicode=True, color=False, show_all=False))
        return
    print(f"{'page':<18} {'queries':>7} {'median ms':>9}")
    for name, url in PAGES.items():
        count, median, shapes = measure(client, url, args.rounds)
        print(f"{name:<18} {count:>7} {median:>9.1f}")
        if name == args.queries:
            for sql, n in shapes.most_common(15):
                print(f"    {n:>3} x {sql}")


if __name__ == "__main__":
    main()
