# The two commands of the README, and the few helpers they stand on.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEV := DEBUG=true $(BIN)/python manage.py

.PHONY: run test install lock lint format

$(STAMP): requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $(STAMP)

install: $(STAMP)

## run: the app with the demo household on the embedded SQLite database, at http://127.0.0.1:8000
run: $(STAMP)
	$(DEV) migrate
	$(DEV) import_handbook fixtures/handbook
	$(DEV) import_rent
	$(DEV) demo_login
	$(DEV) runserver 127.0.0.1:8000

## test: ruff, then pytest on SQLite and on PostgreSQL
test: $(STAMP)
	bash scripts/test.sh

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## lock: re-pin every dependency after a change to pyproject.toml
lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet -e '.[dev]'
	echo '# Pinned versions of every dependency (see pyproject.toml); regenerate with `make lock`.' > requirements.lock
	.venv-lock/bin/pip freeze --exclude-editable | grep -v '^pip==' >> requirements.lock
	rm -rf .venv-lock kimonokittens.egg-info
