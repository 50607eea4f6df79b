#!/usr/bin/env bash
# The test command: ruff and the import contracts (lint-imports), then the suite on SQLite and on PostgreSQL.
#
# Four pytest runs, in three lanes side by side (a 2-core machine is busy throughout), each
# printed whole when it ends:
#   postgresql   the tests that touch a database, on PostgreSQL, except those marked
#                one_database (their subject does not depend on the engine);
#   sqlite       the tests that touch a database, on SQLite;
#   browser      the browser tests (Chromium, on SQLite), once; then
#   no-database  the tests that touch no database (pure rules, parsers, processes with a
#                database of their own), once: a second database proves nothing new for them.
# The three lanes take about equal CPU time.
# Which tests touch a database: tests/conftest.py (`--database-free`).
# PostgreSQL: $TEST_DATABASE_URL, else the local server on 127.0.0.1:5432. When none answers
# the PostgreSQL run is skipped with a message, except under CI=true, where it is required.
# Arguments go to every pytest run (`scripts/test.sh -x -k ledger`).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
# The runs, and the manage.py and gunicorn processes the tests start, import the same modules:
# compiled once, then read from __pycache__ (git ignores it), even where the environment says
# otherwise.
unset PYTHONDONTWRITEBYTECODE

echo "== ruff"
$BIN/ruff check .
$BIN/ruff format --check .
echo "== import contracts"
$BIN/lint-imports

PG_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/kimonokittens}"
pg_run=yes
if ! $BIN/python scripts/pg_reachable.py "$PG_URL"; then
    if [ "${CI:-}" = "true" ]; then
        echo "PostgreSQL is required under CI=true, and none answers (TEST_DATABASE_URL)." >&2
        exit 1
    fi
    pg_run=""
fi

work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

# run NAME DATABASE-ASSIGNMENT PYTEST-ARGS...: one pytest run, into its log and status.
run() {
    local name=$1 database=$2 status=0
    shift 2
    env -u DATABASE_URL $database $BIN/pytest --basetemp="$work/$name" "$@" \
        >"$work/$name.log" 2>&1 || status=$?
    echo $status >"$work/$name.status"
}

# Three lanes side by side.
pg_only="not browser and not one_database"
[ -z "$pg_run" ] || run postgresql "DATABASE_URL=$PG_URL" --database-free=skip -m "$pg_only" "$@" &
run sqlite "" --database-free=skip -m "not browser" "$@" &
{
    run browser "" -m browser "$@"
    run no-database "" --database-free=only -m "not browser" "$@"
} &
wait

failed=""
for name in sqlite postgresql browser no-database; do
    [ -f "$work/$name.log" ] || continue
    echo "== pytest: $name"
    cat "$work/$name.log"
    status=$(cat "$work/$name.status" 2>/dev/null || echo "did not finish")
    # 5 is "no test selected": fine when arguments narrowed the runs (`-k ledger`), never when
    # the whole suite was asked for.
    [ "$status" = 0 ] || { [ "$status" = 5 ] && [ $# -gt 0 ]; } || failed="$failed $name"
done
[ -n "$pg_run" ] || echo "!! SKIPPED: the PostgreSQL run. No server answers; set TEST_DATABASE_URL to run it."
if [ -n "$failed" ]; then
    echo "!! FAILED:$failed" >&2
    exit 1
fi
