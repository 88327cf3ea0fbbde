"""Print a locust stats CSV as the table of docs/LOAD.md: requests, throughput, p50/p95/p99."""

from __future__ import annotations

import csv
import json
import sys

TARGET_MS = 100  # p95 of page views at 50 users (issue 10)


def main(prefix: str) -> None:
    with open(prefix + ".json") as f:
        measured = json.load(f)
    print(
        f"over {measured['seconds']} s, {measured['failures']} failure(s); server CPU "
        f"(gunicorn + PostgreSQL) {measured['server_cpu_ms_per_request']} ms per request"
    )
    for kind in ("page", "api"):
        m = measured[kind]
        print(
            f"  all {kind} requests: {m['requests']}, {m['per_second']}/s, "
            f"p50 {m['p50']} ms, p95 {m['p95']} ms, p99 {m['p99']} ms"
        )
    with open(prefix + "_stats.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    print(f"| {'request':<28} | requests | req/s | fail | p50 ms | p95 ms | p99 ms |")
    print(f"|{'-' * 30}|---------:|------:|-----:|-------:|-------:|-------:|")
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "**all**"
        slow = row["95%"] != "N/A" and float(row["95%"]) > TARGET_MS
        mark = " ⚠" if name.startswith("page:") and slow else ""
        print(
            f"| {name:<28} | {row['Request Count']:>8} | {float(row['Requests/s']):>5.1f} "
            f"| {row['Failure Count']:>4} | {row['50%']:>6} | {row['95%']:>6}{mark} "
            f"| {row['99%']:>6} |"
        )


if __name__ == "__main__":
    main(sys.argv[1])
