#!/usr/bin/env bash
# CI's newcomer check of the README's first command: `make run` in this checkout sets up, loads
# the demo household and serves it; this waits until http://127.0.0.1:8000 answers /healthz and
# shows the login page, then stops the server. A fresh clone has no db.sqlite3 yet.
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
set -m  # the server in a process group of its own, so that one signal stops all of it
make run >"$log" 2>&1 &
server=$!
set +m
trap 'kill -- -$server 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 180); do
    if curl -fsS http://127.0.0.1:8000/healthz >/dev/null 2>&1; then
        grep -q "Demo login: username" "$log" || { cat "$log"; echo "no demo login" >&2; exit 1; }
        # /hyra/ is for household members: it leads to the login page.
        curl -fsSL http://127.0.0.1:8000/hyra/ | grep -q 'name="password"' \
            || { echo "/hyra/ did not lead to the login page" >&2; exit 1; }
        echo "make run: serves the demo household at http://127.0.0.1:8000"
        exit 0
    fi
    kill -0 $server 2>/dev/null || { cat "$log"; echo "make run stopped" >&2; exit 1; }
    sleep 1
done
cat "$log"
echo "make run: nothing answered at http://127.0.0.1:8000 within 3 minutes" >&2
exit 1
