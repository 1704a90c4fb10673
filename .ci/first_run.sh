#!/usr/bin/env bash
# The README's first command, verbatim, as a newcomer's bash runs it: in a fresh data folder, with
# `_` exported (every interactive bash and zsh sets it to the path of the command being run). Waits
# for the demo to serve, fetches the console login page and a worker page, stops it by its process id.
set -euo pipefail
cd "$(dirname "$0")/.."

first_command="$(awk '/^```sh$/ {getline; print; exit}' README.md)"
[ -n "$first_command" ] || { echo "no first command found in README.md"; exit 1; }
port="$(printf '%s' "$first_command" | { grep -oE -- '--port [0-9]+' || true; } | awk '{print $2}')"
port="${port:-8000}"
echo "README's first command: $first_command   (serving on port $port)"

data="$(mktemp -d)/data"
log="$(mktemp)"
if curl -fs -o /dev/null "http://127.0.0.1:$port/"; then
    echo "port $port is already taken; the demo could not serve there"; exit 1
fi
env -u DJANGO_SETTINGS_MODULE -u DATABASE_URL -u DJANGO_SECRET_KEY GONGHUI_DATA_DIR="$data" \
    "_=/usr/local/bin/gonghui" setsid bash -c "$first_command" >"$log" 2>&1 &
pid=$!
stop() { kill -TERM -- "-$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
trap stop EXIT

fetch() {  # fetch PATH EXPECTED-TEXT
    local body
    body="$(curl -fsSL --max-time 30 "http://127.0.0.1:$port$1")" || { echo "GET $1 failed"; return 1; }
    grep -q -- "$2" <<<"$body" || { echo "GET $1 does not contain: $2"; return 1; }
    echo "GET $1: ok"
}

started=$SECONDS
until curl -fs -o /dev/null --max-time 5 "http://127.0.0.1:$port/accounts/login/"; do
    if ! kill -0 "$pid" 2>/dev/null; then
        echo "the demo stopped before serving:"; tail -40 "$log"; exit 1
    fi
    if (( SECONDS - started > 900 )); then
        echo "the demo did not serve within 15 minutes:"; tail -40 "$log"; exit 1
    fi
    sleep 3
done
echo "serving after $((SECONDS - started)) s"
fetch /accounts/login/ 'lang="zh-hans"'
fetch /w/ 'lang="zh-hans"'
fetch /w/stations/ '</html>'
if grep -q "Traceback" "$log"; then echo "a traceback in the demo's output:"; grep -n -A20 Traceback "$log" | head -60; exit 1; fi
grep -q "Demo county ready\|演示县已就绪\|演示" "$log" || { echo "the demo did not print its logins"; tail -20 "$log"; exit 1; }
stop
trap - EXIT
echo "first run: ok"
