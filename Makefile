# NSSS gender diagnostics workbench. `make help` lists the targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install reports processed test test-fast lab template benchmark clean-outputs i18n

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

LOCALE := nsss_analysis/reference/locale
I18N_FLAGS := --no-wrap
i18n: $(STAMP) ## extract the words to translate, update the Bangla catalogue, compile it
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k ngettext:1,2 -k pgettext:1c,2 --no-location \
		$(I18N_FLAGS) --sort-output --project nsss-analysis --version 0.1.0 \
		--copyright-holder "NSSS gender diagnostics workbench" -o $(LOCALE)/nsss.pot .
	$(BIN)/pybabel update -D nsss -i $(LOCALE)/nsss.pot -d $(LOCALE) $(I18N_FLAGS) --ignore-obsolete
	$(BIN)/pybabel compile -D nsss -d $(LOCALE) --statistics

clean-outputs: ## delete everything generated (processed tables, reports)
	find data/processed reports -mindepth 1 ! -name .gitkeep ! -name README.md -delete
