# citytext: run `make` or `make help` to list targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CORPUS ?= data/raw/seeds
OUT ?= reports
PIP := $(PY) -m pip --disable-pip-version-check

$(STAMP): requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q -r requirements.txt
	$(PIP) install -q --no-deps -e .
	$(PY) -m ipykernel install --sys-prefix --name citytext --display-name "Python (citytext)" >/dev/null
	@touch $(STAMP)

## Create .venv with the pinned requirements, the package and the Jupyter kernel
env: $(STAMP)

## Run the whole notebook suite on the bundled seeds into reports/ (CORPUS=, OUT= to change)
report: $(STAMP)
	$(VENV)/bin/citytext run --corpus $(CORPUS) --out $(OUT)

## Run the test suite (unit, property-based and end-to-end notebook tests)
test: $(STAMP)
	$(PY) -m pytest -n 2 --dist loadgroup --durations=15

## Run only the fast unit tests (no notebook execution)
test-unit: $(STAMP)
	$(PY) -m pytest -m "not slow" -n 2

## Open JupyterLab on notebooks/ with the project kernel
lab: $(STAMP)
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks

## Lint the library, tests and benchmarks with ruff; check the import layers
lint: $(STAMP)
	$(VENV)/bin/ruff check lib tests bench
	$(VENV)/bin/ruff check --select F,I notebooks/*.ipynb
	$(VENV)/bin/ruff format --check lib tests bench
	$(VENV)/bin/lint-imports --no-cache

## Format the code with ruff and strip notebook outputs
format: $(STAMP)
	$(VENV)/bin/ruff check --fix lib tests bench
	$(VENV)/bin/ruff check --select F,I --fix notebooks/*.ipynb
	$(VENV)/bin/ruff format lib tests bench
	$(VENV)/bin/nbstripout notebooks/*.ipynb

## Run the benchmarks (not part of the tests); QUICK=1 for the short version
bench: $(STAMP)
	$(PY) -m bench $(if $(QUICK),--quick) --json bench/out/bench.json

## Screenshot the report's index and a rendered notebook into docs/ (needs chromium)
screenshots:
	@command -v chromium >/dev/null || { echo "install chromium first (apt-get install chromium)"; exit 1; }
	@for page in index.html:index html/02_topics.html:02_topics html/04_cross_city.html:04_cross_city; do \
	  src=$${page%%:*}; name=$${page##*:}; profile=$$(mktemp -d); \
	  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	    --disable-background-networking --disable-component-update --disable-sync \
	    --user-data-dir=$$profile --hide-scrollbars --window-size=1280,2000 \
	    --screenshot=docs/$$name.png file://$(abspath $(OUT))/$$src 2>/dev/null; \
	  rm -rf $$profile; echo "docs/$$name.png"; \
	done

## Lint and test
check: lint test

## Remove the report, caches and interim data (keeps .venv and data/raw)
clean:
	rm -rf reports reports.failed .pytest_cache .ruff_cache .hypothesis bench/out
	find data/interim data/processed -mindepth 1 ! -name .gitkeep -exec rm -rf {} +
	find . -name __pycache__ -not -path "./.venv/*" -exec rm -rf {} +

## Remove the virtual environment too
distclean: clean
	rm -rf $(VENV)

## List the targets
help:
	@awk '/^## /{desc=substr($$0,4); next} /^[a-zA-Z_-]+:/{ if (desc) { split($$1,t,":"); printf "  %-10s %s\n", t[1], desc }; desc="" }' $(MAKEFILE_LIST)

.PHONY: env report test test-unit lab lint format bench screenshots check clean distclean help
