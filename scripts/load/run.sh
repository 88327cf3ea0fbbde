#!/bin/sh
# Load test of the member portal and the API (docs/LOAD.md): gunicorn on 127.0.0.1 with the demo
# data on PostgreSQL, locust in headless mode, one bounded run per user count.
#
#   scripts/load/run.sh [USERS ...]            default: 50 200
#
# Environment: DATABASE_URL (postgres://postgres@127.0.0.1:5432/mutua_load: a database of its
# own, loaded with `mutua demo --no-serve` when SETUP=1), MEASURE_SECONDS (120 per run, counted
# once every user has signed in; the run is stopped after 15 minutes anyway), PORT (8100),
# WORKERS (5 sync workers: 2 x cores + 1). Results: var/load/results/u<USERS>_stats.csv.
# locust and gunicorn live in their own venvs under var/load/, never in the project's deps.
set -eu
cd "$(dirname "$0")/../.."
ROOT=$PWD
LOAD=$ROOT/var/load
DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/mutua_load}
MEASURE_SECONDS=${MEASURE_SECONDS:-120}
PORT=${PORT:-8100}
WORKERS=${WORKERS:-5}
PY=${PYTHON:-python3}
[ $# -gt 0 ] || set -- 50 200

venv() {  # venv DIR REQUIREMENTS
  if [ ! -x "$1/bin/python" ]; then "$PY" -m venv "$1"; fi
  "$1/bin/pip" install --quiet --disable-pip-version-check -r "$2"
}
venv "$LOAD/locust" scripts/load/requirements.txt
venv "$LOAD/server" scripts/load/server-requirements.txt
# The server venv also sees the project's venv (Django, mutua), behind its own gunicorn.
site=$("$LOAD/server/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
project=$("$ROOT/.venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
echo "import site; site.addsitedir('$project')" > "$site/mutua_project.pth"

export DATABASE_URL DEBUG=0 SECRET_KEY=load-test-only ALLOWED_HOSTS=127.0.0.1 CONN_MAX_AGE=60
export MUTUA_VAR_DIR="$LOAD/var" STATIC_ROOT="$LOAD/static"
if [ "${SETUP:-0}" = 1 ]; then
  "$ROOT/.venv/bin/mutua" demo --no-serve
fi
"$ROOT/.venv/bin/mutua" collectstatic --noinput --verbosity 0

"$LOAD/server/bin/gunicorn" mutua.wsgi --chdir "$ROOT" --bind "127.0.0.1:$PORT" \
  --workers "$WORKERS" --preload --access-logfile - >"$LOAD/gunicorn.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 50); do
  curl -fs -o /dev/null -H 'X-Forwarded-Proto: https' "http://127.0.0.1:$PORT/accounts/login/" && break
  sleep 0.2
done

mkdir -p "$LOAD/results"
for users in "$@"; do
  "$ROOT/.venv/bin/python" scripts/load/sessions.py "$users" >"$LOAD/sessions.txt"
  echo "== $users users, $MEASURE_SECONDS s measured, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  SERVER_PID=$server LOAD_DATABASE=${DATABASE_URL##*/} LOAD_SESSIONS="$LOAD/sessions.txt" MEASURE_SECONDS=$MEASURE_SECONDS LOAD_SUMMARY="$LOAD/results/u$users.json" "$LOAD/locust/bin/locust" -f scripts/load/locustfile.py --headless --only-summary \
    --host "http://127.0.0.1:$PORT" --users "$users" --spawn-rate 10 --run-time 15m \
    --stop-timeout 5 --csv "$LOAD/results/u$users" >"$LOAD/results/u$users.log" 2>&1 || true
  echo "   load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  "$LOAD/locust/bin/python" scripts/load/summary.py "$LOAD/results/u$users"
done
