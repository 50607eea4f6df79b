#!/usr/bin/env bash
# The test command: ruff, then the whole suite on SQLite, then again on PostgreSQL.
# PostgreSQL: $TEST_DATABASE_URL, else the local server on 127.0.0.1:5432. When none answers
# the PostgreSQL run is skipped with a message, except under CI=true, where it is required.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

echo "== ruff"
$BIN/ruff check .
$BIN/ruff format --check .

echo "== pytest on SQLite"
env -u DATABASE_URL $BIN/pytest "$@"

PG_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/kimonokittens}"
if $BIN/python scripts/pg_reachable.py "$PG_URL"; then
    echo "== pytest on PostgreSQL"
    DATABASE_URL="$PG_URL" $BIN/pytest -m "not browser" "$@"
elif [ "${CI:-}" = "true" ]; then
    echo "PostgreSQL is required under CI=true, and none answers (TEST_DATABASE_URL)." >&2
    exit 1
else
    echo "!! SKIPPED: the PostgreSQL run. No server answers; set TEST_DATABASE_URL to run it."
fi
