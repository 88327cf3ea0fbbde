# Two commands: `make demo` runs the product on SQLite with demo data; `make test` passes the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install demo test lint typecheck pytest e2e migrations-check bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
	  { echo "Mutua needs Python 3.11 or newer (found: $$($(PYTHON) --version))."; exit 1; }
	@sh scripts/ensure-venv.sh "$(PYTHON)" "$(VENV)"
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,prod]"
	@sh scripts/ensure-os-libraries.sh $(BIN)/python
	@sh scripts/ensure-chromium.sh || echo "Without Chromium the end-to-end tests (tests/e2e) are skipped."
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/mutua demo

test: $(STAMP) lint typecheck migrations-check pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy mutua

migrations-check: $(STAMP)
	$(BIN)/mutua makemigrations --check --dry-run

pytest: $(STAMP)
	$(BIN)/pytest -q $(PYTEST_ARGS)

# The end-to-end tests alone (also part of `make pytest`); screenshots in var/e2e-artifacts/.
e2e: $(STAMP)
	$(BIN)/pytest -q tests/e2e $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache

bench: $(STAMP)
	$(BIN)/python -m mutua.bench $(BENCH_ARGS)

# The production stack of deploy/ on loopback: nginx (installed when missing, as root), gunicorn,
# Redis, production settings, a slow-client test (docs/DEPLOY.md). About a minute.
.PHONY: prod-check
prod-check: $(STAMP)
	bash scripts/prod-check.sh
