# The README's two commands: `make run` and `make test`. Everything else is a helper for them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export FLASK_APP := wsgi.py

CATALOGS := $(wildcard workplan/translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGS:.po=.mo)

.PHONY: install run test explore lint format bench reset-demo clean translations extract-messages screenshots

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed.")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { \
	  echo "Could not create a virtual environment. On Debian or Ubuntu: sudo apt install python3-venv"; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP) $(COMPILED)

# The French and Spanish catalogues are compiled at install time, so every command serves all three.
%.mo: %.po $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy --statistics -i $< -o $@

translations: $(COMPILED)

# After marking new strings: update the catalogues, then translate what is new in each .po file.
extract-messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o workplan/translations/messages.pot workplan
	$(BIN)/pybabel update --ignore-obsolete -i workplan/translations/messages.pot -d workplan/translations

# `PORT=5001 make run` serves on another port; links in e-mails follow it unless
# WORKPLAN_BASE_URL says otherwise (behind a proxy, the public address).
PORT ?= 5000
run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo --if-empty
	WORKPLAN_BASE_URL="$${WORKPLAN_BASE_URL:-http://127.0.0.1:$(PORT)}" $(BIN)/flask run --host 127.0.0.1 --port $(PORT)

# Pictures of the main pages for each role, at a laptop's and a phone's width (docs/screenshots).
screenshots: install
	$(BIN)/python -m tools.screenshots --out docs/screenshots --languages en,fr

# The suite runs in TEST_WORKERS processes, a test file each at a time (each has its own database).
TEST_WORKERS ?= 2
test: install
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# `make test` replays the same random examples every run; this searches new ones, deeper.
explore: install
	HYPOTHESIS_PROFILE=explore HOSTILE_EXAMPLES=200 $(BIN)/python -m pytest $(shell grep -l '^from hypothesis import.*given' tests/*.py) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/python benchmarks/run.py

reset-demo: install
	rm -f instance/workplan.db
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache
