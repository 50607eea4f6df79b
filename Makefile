# The two commands of the README, and the few helpers they stand on.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEV := DEBUG=true $(BIN)/python manage.py

.PHONY: run test install lock lint format

# The Pythons the locks are made for and the suite passes on.
PYTHONS := 3.11 3.12 3.13
PIP_INSTALL = $(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes

# A venv from the Python's own pip, then the pinned pip (requirements/pip.lock): the bundled one
# may be too old to read a hashed lock. Then the lock.
$(STAMP): requirements/dev.lock requirements/pip.lock
	@$(PYTHON) scripts/check_python.py $(PYTHONS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python scripts/check_python.py $(PYTHONS)
	$(PIP_INSTALL) -r requirements/pip.lock
	$(PIP_INSTALL) -r requirements/dev.lock
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
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## lock: re-pin every dependency, with hashes, after a change to pyproject.toml: the runtime
## lock (what production installs) and the dev lock (runtime + test tools; `make install`),
## each one lock for every Python in PYTHONS (uv's universal resolution), and pip.lock (the pip
## every venv gets first, from requirements/pip.in).
## Pins already in the locks are kept; `make lock UPGRADE=--upgrade` moves them to the newest.
LOCK_COMPILE = .venv-lock/bin/uv pip compile --quiet --generate-hashes --universal \
	--python-version $(firstword $(PYTHONS)) --custom-compile-command "make lock" $(UPGRADE)
lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet "uv>=0.5"
	$(LOCK_COMPILE) pyproject.toml -o requirements/runtime.lock
	$(LOCK_COMPILE) pyproject.toml --extra dev -o requirements/dev.lock
	cd requirements && ../$(LOCK_COMPILE) pip.in -o pip.lock
	rm -rf .venv-lock
