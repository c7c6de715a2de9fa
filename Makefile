# NSSS gender diagnostics workbench. `make help` lists the targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
UV     := $(BIN)/uv
#: Every dependency pinned (`make lock` rewrites it from pyproject.toml).
LOCK   := requirements.lock
#: `make lock LOCK_FLAGS=--upgrade` moves every pin to the newest release.
LOCK_FLAGS ?=
#: uv reads no pip.conf; --no-config also keeps a personal uv.toml out, so every machine resolves alike.
UV_PIP := $(UV) --no-config pip
#: The committed notebooks are templates: nbstripout empties outputs and counts, and these run keys too.
#: Cell ids ("cell-00", ...) are authored and kept. tests/test_notebooks.py and .pre-commit-config.yaml use the same.
NBSTRIPOUT := $(BIN)/nbstripout --keep-id --extra-keys "metadata.papermill metadata.execution cell.metadata.papermill"

.DEFAULT_GOAL := help
.PHONY: help install lock strip lint typecheck reports pdf processed test test-fast lab template names-list benchmark clean-outputs i18n figures-page

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-14s %s\n", $$1, $$2}'

# A venv without pip (ensurepip alone takes 3-10 s) and uv put into it by $(PYTHON)'s pip;
# where $(PYTHON) has no pip, the ordinary venv with pip, which then installs uv.
$(UV):
	$(PYTHON) -m venv --without-pip $(VENV) && $(PYTHON) -m pip install -qq --prefix $(VENV) uv 2>/dev/null \
		|| { $(PYTHON) -m venv $(VENV) && $(BIN)/python -m pip install -qq uv; }

# Bytecode is written at install (pip does it by default, uv only when asked): where
# Python may not write it later (PYTHONDONTWRITEBYTECODE, a read-only venv), every
# kernel and command would otherwise compile pandas, matplotlib and statsmodels from
# source each time it starts (the imports of a report kernel: about 40% longer).
$(STAMP): pyproject.toml $(LOCK) | $(UV)
	$(UV_PIP) sync --quiet --compile-bytecode --python $(BIN)/python $(LOCK)
	$(UV_PIP) install --quiet --python $(BIN)/python --no-deps -e .
	$(BIN)/python -m compileall -q nsss_analysis >/dev/null
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

install: $(STAMP) ## create .venv and install the locked dependencies, the workbench and its test tools

lock: | $(UV) ## re-pin every dependency into requirements.lock after editing pyproject.toml
	$(UV_PIP) compile --quiet --universal --python-version 3.11 --extra test $(LOCK_FLAGS) \
		--custom-compile-command "make lock" pyproject.toml -o $(LOCK)

strip: $(STAMP) ## empty the outputs and execution counts of notebooks/*.ipynb (nbstripout)
	$(NBSTRIPOUT) notebooks/*.ipynb

lint: $(STAMP) ## ruff check (lint only; the code base is not auto-formatted)
	$(BIN)/ruff check .

typecheck: $(STAMP) ## mypy on nsss_analysis/ (settings in pyproject.toml): zero errors
	$(BIN)/python -m mypy

#: Languages the reports are written in: all (English and Bangla), en or bn.
LANGUAGE ?= all

reports: $(STAMP) ## clean data/raw, score, and render every report, in English and Bangla, into reports/
	$(BIN)/nsss build --language $(LANGUAGE)

pdf: $(STAMP) ## build every report and print each to <slug>.pdf beside it (needs Chromium)
	$(BIN)/nsss build --pdf --language $(LANGUAGE)

processed: $(STAMP) ## only clean, score, returned action plans and MIS coverage: data/processed/
	$(BIN)/nsss clean
	$(BIN)/nsss score
	$(BIN)/nsss progress
	$(BIN)/nsss beneficiaries $(wildcard data/raw/mis/*.csv data/raw/mis/*.parquet)

test: $(STAMP) lint typecheck ## lint, types, then the whole test suite (unit, notebooks with nbval, browser)
	$(MAKE) --no-print-directory processed >/dev/null
	$(BIN)/python -m pytest -n 2 tests
	$(BIN)/python -m pytest --nbval-lax -p no:randomly notebooks/

test-fast: $(STAMP) ## unit tests only, without notebooks and browser
	$(BIN)/python -m pytest -n 2 -m "not slow" tests

#: Extra options for JupyterLab, e.g. `make lab LAB_ARGS="--no-browser --port 8890 --ip 0.0.0.0"`.
LAB_ARGS ?=
#: Jupyter refuses to start as root unless told: containers and CI-like servers run as root.
LAB_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)
lab: $(STAMP) ## open JupyterLab with the package importable (as root too; options in LAB_ARGS)
	$(BIN)/jupyter lab --notebook-dir=notebooks $(LAB_ROOT) $(LAB_ARGS)

template: $(STAMP) ## write a blank assessment form to assessment-form.xlsx
	$(BIN)/nsss template assessment-form.xlsx

names-list: $(STAMP) ## rewrite the README's list of Bangla names still to be checked, from the reference data
	$(BIN)/python -m tools.names_list

benchmark: $(STAMP) ## run the benchmarks (prints figures and ratios)
	$(BIN)/python benchmarks/regenerate.py
	$(BIN)/python benchmarks/beneficiaries.py
	$(BIN)/python benchmarks/scale.py
	$(BIN)/python benchmarks/downloads.py
	$(BIN)/python benchmarks/cells.py MoSW

LOCALE := nsss_analysis/reference/locale
I18N_FLAGS := --no-wrap
i18n: $(STAMP) ## extract the words to translate, update the Bangla catalogue, write the en-XA pseudo-locale, compile them
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k Nn_:1,2 -k ngettext:1,2 -k pgettext:1c,2 --no-location \
		$(I18N_FLAGS) --sort-output --project nsss-analysis --version 0.1.0 \
		--copyright-holder "NSSS gender diagnostics workbench" -o $(LOCALE)/nsss.pot .
	$(BIN)/pybabel update -D nsss -i $(LOCALE)/nsss.pot -d $(LOCALE) -l bn $(I18N_FLAGS) --ignore-obsolete --no-fuzzy-matching
	$(BIN)/python -m tools.pseudo_catalogue $(LOCALE)
	$(BIN)/python -m tools.compile_catalogue $(LOCALE)

figures-page: $(STAMP) ## every figure in English and Bangla side by side: reports/figures-test.html (after make processed)
	$(BIN)/python -m tools.figures_page

clean-outputs: ## delete everything generated (processed tables, reports)
	rm -rf data/processed data/.processed.generations
	find reports -mindepth 1 ! -name .gitkeep ! -name README.md -delete
