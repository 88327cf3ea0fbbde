"""`python -m mutua.bench [--lines N] [--entries N] [--reuse]`.

Uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/mutua_bench), creating the
database if needed. Never part of the unit tests.
"""

from __future__ import annotations

import argparse
import os
import sys

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/mutua_bench"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m mutua.bench", description=__doc__)
    parser.add_argument("--entries", type=int, default=100_000, help="entries for bulk posting")
    parser.add_argument("--lines", type=int, default=10_000_000, help="lines of the big data set")
    parser.add_argument("--invoices", type=int, default=10_000, help="invoices to issue")
    parser.add_argument(
        "--reuse", action="store_true", help="keep an existing data set instead of recreating it"
    )
    args = parser.parse_args()
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("the benchmark needs PostgreSQL: set DATABASE_URL to a postgres:// URL")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutua.settings")
    from mutua.bench.database import prepare_database

    prepare_database(url, recreate=not args.reuse)
    import django

    django.setup()
    from mutua.bench.run import run

    run(entries=args.entries, lines=args.lines, reuse=args.reuse, invoices=args.invoices)


if __name__ == "__main__":
    main()
