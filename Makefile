# The two commands a newcomer needs: `make demo` and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck layers unit bench fuzz test-odoo clean

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/procurelink demo

lint: $(STAMP)
	$(BIN)/ruff check src tests bench fuzz
	$(BIN)/ruff format --check src tests bench fuzz

typecheck: $(STAMP)
	$(BIN)/mypy

layers: $(STAMP)
	$(BIN)/lint-imports

unit: $(STAMP)
	$(BIN)/pytest -q

test: lint typecheck layers unit

bench: $(STAMP)
	$(BIN)/python -m bench

# Coverage-guided fuzzing of the X12/EDIFACT tokenizers and decoders (fuzz/run.py), one
# harness after the other: FUZZ_SECONDS each (default 600), FUZZ_HARNESSES to pick some.
FUZZ_SECONDS ?= 600
FUZZ_HARNESSES ?=
fuzz: $(STAMP)
	$(BIN)/python fuzz/run.py --seconds $(FUZZ_SECONDS) $(FUZZ_HARNESSES)

test-odoo: $(STAMP)
	@test -n "$$ODOO_URL" || (echo "set ODOO_URL, ODOO_DB, ODOO_USER, ODOO_PASSWORD" && exit 2)
	$(BIN)/pytest -q tests/contract/odoo tests/e2e --deselect tests/e2e/test_cli.py

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
