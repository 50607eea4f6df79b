# The two commands of the README, and the few helpers they stand on.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEV := DEBUG=true $(BIN)/python manage.py

.PHONY: run test install lock lint format

$(STAMP): requirements/dev.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes \
		-r requirements/dev.lock
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

## lock: re-pin every dependency, with hashes, after a change to pyproject.toml: the runtime
## lock (what production installs) and the dev lock (runtime + test tools; `make install`).
## Pins already in the locks are kept; `make lock UPGRADE=--upgrade` moves them to the newest.
LOCK_COMPILE = .venv-lock/bin/uv pip compile pyproject.toml --quiet --generate-hashes \
	--python-version 3.11 --python-platform linux \
	--custom-compile-command "make lock" $(UPGRADE)
lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet "uv>=0.5"
	$(LOCK_COMPILE) -o requirements/runtime.lock
	$(LOCK_COMPILE) --extra dev -o requirements/dev.lock
	rm -rf .venv-lock
