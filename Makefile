# leadsim — two commands set everything up: `make run` and `make test`.
# Each creates the virtual environment it needs (.venv, Python >= 3.12).

PYTHON ?= $(shell command -v python3.12 >/dev/null 2>&1 && echo python3.12 || echo python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SCENARIO ?= scenarios/default.yaml
OUT ?= out/default

.PHONY: tables help venv run test test-fast lint bench demo docs site wheel clean browser-deps

help:  ## List the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*##/\t/'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "leadsim needs Python >= 3.12; set PYTHON=/path/to/python3.12")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[all,dev]'
	@touch $(STAMP)

venv: $(STAMP)  ## Create the virtual environment

run: $(STAMP)  ## Run the bundled default scenario (outputs in out/default)
	$(BIN)/leadsim run $(SCENARIO) --out $(OUT) --force

test: $(STAMP) browser-deps  ## Run the whole test suite
	$(BIN)/python -m pytest -q

test-fast: $(STAMP)  ## Tests without the slow pattern, browser and Dask tests
	$(BIN)/python -m pytest -q -m "not slow and not browser and not dask"

lint: $(STAMP)  ## ruff check
	$(BIN)/python -m ruff check src tests

bench: $(STAMP)  ## The benchmark table (docs/performance.md)
	$(BIN)/leadsim bench

demo: $(STAMP)  ## The classroom web demo on localhost
	$(BIN)/leadsim demo

browser-deps:  ## Debian chromium for the browser tests (installed when missing)
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

clean:  ## Remove the environment and outputs
	rm -rf $(VENV) out

docs: $(STAMP)  ## Regenerate the parameter tables in docs/ODD.md from the code
	$(BIN)/python -c 'from pathlib import Path; from leadsim.paramdoc import update_document; update_document(Path("docs/ODD.md"))'

site: $(STAMP)  ## Build the documentation site into out/site (mkdocs serve to read it live)
	$(BIN)/mkdocs build --strict

wheel: $(STAMP)  ## Build the wheel into dist/ (it carries the bundled scenarios and experiments)
	$(BIN)/python -m build --wheel --outdir dist .

tables: $(STAMP)  ## Print the README's tables of the model (default scenario by style, resilience by shock)
	$(BIN)/python tools/readme_tables.py

figures: $(STAMP)  ## Regenerate the sweep figures in docs/figures from the bundled experiments
	@for name in founder_bottleneck shock_resilience; do \
	  rm -rf out/sweeps/$$name && \
	  $(BIN)/leadsim sweep experiments/$$name.yaml --out out/sweeps/$$name --quiet && \
	  $(BIN)/leadsim plot out/sweeps/$$name --to docs/figures || exit 1; \
	done
	rm -rf out/sweeps/sensitivity
	$(BIN)/leadsim sensitivity experiments/sensitivity.yaml --out out/sweeps/sensitivity --quiet
	cp out/sweeps/sensitivity/sensitivity.png docs/figures/sensitivity-sobol.png
