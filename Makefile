# NSSS gender diagnostics workbench. `make help` lists the targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install reports pdf processed test test-fast lab template benchmark clean-outputs

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

install: $(STAMP) ## create .venv and install the workbench with its test tools

reports: $(STAMP) ## clean data/raw, score, and render every report into reports/
	$(BIN)/nsss build

pdf: $(STAMP) ## build every report and print each to <slug>.pdf beside it (needs Chromium)
	$(BIN)/nsss build --pdf

processed: $(STAMP) ## only clean, score and MIS coverage: data/processed/
	$(BIN)/nsss clean
	$(BIN)/nsss score
	$(BIN)/nsss beneficiaries $(wildcard data/raw/mis/*.csv data/raw/mis/*.parquet)

test: $(STAMP) ## run the whole test suite (unit, notebooks with nbval, browser)
	$(MAKE) --no-print-directory processed >/dev/null
	$(BIN)/python scripts/strip_notebooks.py --check
	$(BIN)/python -m pytest -n 2 tests
	$(BIN)/python -m pytest --nbval-lax -p no:randomly notebooks/

test-fast: $(STAMP) ## unit tests only, without notebooks and browser
	$(BIN)/python -m pytest -n 2 -m "not slow" tests

lab: $(STAMP) ## open JupyterLab with the package importable
	$(BIN)/jupyter lab --notebook-dir=notebooks

template: $(STAMP) ## write a blank assessment form to assessment-form.xlsx
	$(BIN)/nsss template assessment-form.xlsx

benchmark: $(STAMP) ## run the benchmarks (prints figures and ratios)
	$(BIN)/python benchmarks/regenerate.py
	$(BIN)/python benchmarks/beneficiaries.py

clean-outputs: ## delete everything generated (processed tables, reports)
	find data/processed reports -mindepth 1 ! -name .gitkeep ! -name README.md -delete
