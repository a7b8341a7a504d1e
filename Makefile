# ClaimLedger developer commands. Everything installs into .venv from PyPI; the only
# prerequisites are Python >= 3.11 and make.

# The first Python >= 3.11 on PATH. Probes are silent: a version manager's shim answers
# `command -v` for a version it cannot run, and its "command not found" is not an error here.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 \
	&& $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 \
	&& { command -v $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml sdk/pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: help venv serve test lint typecheck fmt openapi sdk clean

help:
	@echo "make serve     - embedded PostgreSQL (unless DATABASE_URL), migrate, seed, serve :8000"
	@echo "make test      - lint, type-check and the whole test suite (incl. schemathesis)"
	@echo "make openapi   - regenerate openapi/openapi.json from the app"
	@echo "make sdk       - regenerate sdk/claimledger/_generated from openapi/openapi.json"
	@echo "make fmt       - format the code"
	@echo "make eval-extraction - score POST /v1/extractions on eval/extraction/corpus (results.md)"
	@echo "make explore-vendor - fetch the explorer's chart library (plotly.js basic) from npm"

$(STAMP):
	@test -n "$(PYTHON)" || { echo "Python >= 3.11 is required" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	$(BIN)/python -m pip install -q -e ./sdk
	@rm -f $(VENV)/.installed-*
	@touch $@

venv: $(STAMP)

serve: $(STAMP)
	$(BIN)/claimledger serve --local-key --log-format text

lint: $(STAMP)
	$(BIN)/ruff check server tests sdk eval
	$(BIN)/ruff format --check server tests sdk eval

typecheck: $(STAMP)
	$(BIN)/mypy
	$(BIN)/mypy --strict sdk/claimledger

test: lint typecheck
	$(BIN)/claimledger openapi --check
	$(BIN)/python -m pytest

fmt: $(STAMP)
	$(BIN)/ruff check --fix server tests eval
	$(BIN)/ruff format server tests eval

openapi: $(STAMP)
	$(BIN)/claimledger openapi

sdk: $(STAMP)
	$(BIN)/python sdk/codegen/generate.py

# The explorer's chart library: plotly.js's basic bundle from the npm registry, at the
# plotly.js version the pinned `plotly` Python package embeds (tests/explore checks both).
PLOTLY_JS := 4.1.1
EXPLORE_VENDOR := server/claimledger_server/explore/assets/vendor
.PHONY: explore-vendor
explore-vendor:
	rm -rf $(VENV)/.npm-pack && mkdir -p $(VENV)/.npm-pack
	cd $(VENV)/.npm-pack && npm pack -q plotly.js-basic-dist-min@$(PLOTLY_JS) && tar xzf *.tgz
	cp $(VENV)/.npm-pack/package/plotly-basic.min.js $(EXPLORE_VENDOR)/
	cp $(VENV)/.npm-pack/package/LICENSE $(EXPLORE_VENDOR)/plotly.js-LICENSE
	cd $(EXPLORE_VENDOR) && sha256sum plotly-basic.min.js > SHA256SUMS

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis

# Benchmarks (issue 6): 1M-claim dataset, the API against the floor/peer references, results
# prepended to bench/results.md. Needs PostgreSQL on 127.0.0.1:5432 (BENCH_ARGS=--quick: smoke run).
.PHONY: bench
bench: $(STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Extraction quality (issue 12): the server's POST /v1/extractions drafts every article of
# eval/extraction/corpus, the drafts are scored against the gold labels, and the scores are
# prepended to eval/extraction/results.md. Uses EVAL_DATABASE_URL or TEST_DATABASE_URL when
# set, else the embedded PostgreSQL (EVAL_ARGS=--details: what went wrong, dev articles only).
.PHONY: eval-extraction
eval-extraction: $(STAMP)
	$(BIN)/python -m eval.extraction.score $(EVAL_ARGS)
