"""Simulator benchmark: time N simulations per country and mode (target ≤ 2 ms each).

    .venv/bin/python -c "from mutua.payroll.bench import bench_simulator; print(bench_simulator())"

Pure (no database): `mutua/bench/` can call `bench_simulator()` and add the dict to its report.
"""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

from mutua.payroll.calc import Situation
from mutua.payroll.simulator import SimulationRequest, simulate

TARGET_MS = 2.0


def bench_simulator(n: int = 300, on: dt.date = dt.date(2026, 2, 1)) -> dict[str, object]:
    """Milliseconds per simulation, for every country and mode, and whether all meet the target."""
    timings: dict[str, float] = {}
    situation = Situation(marital="married", partner_income=False, children=2)
    for country in ("BE", "FR", "SE"):
        for mode in ("gross", "invoiced", "net"):
            requests = [
                SimulationRequest(
                    country, on, mode, Decimal(1500 + 7 * i) + Decimal("0.37"), situation=situation
                )
                for i in range(n)
            ]
            start = time.perf_counter()
            for request in requests:
                simulate(request)
            timings[f"{country}_{mode}"] = round((time.perf_counter() - start) * 1000 / n, 3)
    worst = max(timings.values())
    return {
        "simulations": n * len(timings),
        "ms_per_simulation": timings,
        "worst_ms": worst,
        "target_ms": TARGET_MS,
        "ok": worst <= TARGET_MS,
    }
