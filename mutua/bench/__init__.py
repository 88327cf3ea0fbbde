"""Ledger benchmark (`make bench`): bulk posting, trial balance over 10 million lines, one
activity balance. Runs on PostgreSQL only; figures are recorded in docs/BENCHMARKS.md."""
