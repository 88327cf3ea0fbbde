#!/usr/bin/env bash
# `make prod-check`: the production stack of deploy/ on this machine's loopback, in about a
# minute on a quiet machine (docs/DEPLOY.md).
#
#  1. nginx from Debian (installed with apt-get when missing and we are root), Redis (REDIS_URL,
#     else the local one on 127.0.0.1:6379 under database 15, else a private one);
#  2. production settings in a throwaway folder: DEBUG off, a generated SECRET_KEY,
#     ALLOWED_HOSTS=127.0.0.1, SQLite, static files collected; `mutua check --deploy` must
#     report no issue at all;
#  3. gunicorn (deploy/gunicorn.conf.py, 2 sync workers) on a unix socket behind nginx
#     (deploy/nginx/mutua.conf rendered with loopback ports, a self-signed certificate and this
#     folder's paths), and a second gunicorn (2 workers) on 127.0.0.1 without nginx;
#  4. scripts/prod_check.py: redirect to HTTPS, headers, static files, body limit, client address;
#  5. scripts/slow_clients.py: 20 slow clients for 20 s through nginx while a page must keep
#     answering within 1 s (fails otherwise); at the same time the same test against gunicorn
#     alone, printed as evidence of why nginx is there (never fails the check).
# Everything it started is stopped on the way out (trap), and the folder removed.
#
# Environment: SLOW_CLIENTS (20), SLOW_SECONDS (20), KEEP=1 keeps the folder (logs).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=$ROOT/.venv/bin/python
MUTUA=$ROOT/.venv/bin/mutua
GUNICORN=$ROOT/.venv/bin/gunicorn
SLOW_CLIENTS=${SLOW_CLIENTS:-20}
SLOW_SECONDS=${SLOW_SECONDS:-20}
started_at=$(date +%s)

work=$(mktemp -d /tmp/mutua-prod-check.XXXXXX)
pids=()
added_policy=
prefix="prod-check-$$-$started_at"

stop() {  # stop SIGNAL PID: ask, wait up to 10 s, then kill
  kill -s "$1" "$2" 2>/dev/null || return 0
  for _ in $(seq 50); do
    kill -0 "$2" 2>/dev/null || { wait "$2" 2>/dev/null || true; return 0; }
    sleep 0.2
  done
  kill -KILL "$2" 2>/dev/null || true
  wait "$2" 2>/dev/null || true
}

cleanup() {
  status=$?
  trap - EXIT INT TERM
  for (( i = ${#pids[@]} - 1; i >= 0; i-- )); do  # the last started first
    stop "${pids[i]%%:*}" "${pids[i]#*:}"
  done
  if [ -n "${REDIS_URL:-}" ]; then
    "$PY" - "$REDIS_URL" "$prefix" <<'EOF' || true
import sys, redis
client = redis.Redis.from_url(sys.argv[1], socket_connect_timeout=2)
keys = list(client.scan_iter(match=f"{sys.argv[2]}:*", count=1000))
if keys:
    client.delete(*keys)
EOF
  fi
  if [ -n "$added_policy" ]; then rm -f /usr/sbin/policy-rc.d; fi
  if [ "${KEEP:-0}" = 1 ]; then echo "kept: $work"; else rm -rf "$work"; fi
  echo "== prod-check $([ "$status" = 0 ] && echo passed || echo FAILED) in $(( $(date +%s) - started_at )) s; nothing left running"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

need() {  # need COMMAND PACKAGE: the Debian package when the command is missing
  if command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ]; then return 0; fi
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "prod-check needs $1: sudo apt-get install $2" >&2
    exit 1
  fi
  echo "== installing $2 (apt-get)"
  # Installing a Debian service starts it; policy-rc.d tells the package not to: this check
  # starts its own, on its own ports, and stops it afterwards.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    added_policy=1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$2" >/dev/null
}

need nginx nginx
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
read -r direct_port https_port http_port redis_port < <("$PY" - <<'EOF'
import socket
socks = [socket.socket() for _ in range(4)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))
EOF
)

# Redis: the one given, the local one (its database 15, under this run's key prefix), or our own.
redis_ok() { "$PY" -c "import redis, sys; redis.Redis.from_url(sys.argv[1], socket_connect_timeout=1).ping()" "$1" 2>/dev/null; }
if [ -z "${REDIS_URL:-}" ]; then
  if redis_ok redis://127.0.0.1:6379/15; then
    REDIS_URL=redis://127.0.0.1:6379/15
  else
    need redis-server redis-server
    redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no \
      --dir "$work" --logfile "$work/redis.log" &
    pids+=("TERM:$!")
    REDIS_URL="redis://127.0.0.1:$redis_port/0"
    for _ in $(seq 50); do redis_ok "$REDIS_URL" && break; sleep 0.1; done
  fi
fi
redis_ok "$REDIS_URL" || { echo "Redis does not answer at $REDIS_URL" >&2; exit 1; }

echo "== production settings in $work"
mkdir -p "$work/var" "$work/run" "$work/nginx" "$work/tls" "$work/acme"
# nginx's workers (nobody, when started as root) reach the socket and their temporary files.
chmod 0711 "$work" "$work/run" "$work/nginx"
unset SECURE_SSL_REDIRECT CONN_MAX_AGE MUTUA_TASKS
export DEBUG=0 ALLOWED_HOSTS=127.0.0.1 DJANGO_SETTINGS_MODULE=mutua.settings
SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')
export SECRET_KEY REDIS_URL CACHE_KEY_PREFIX=$prefix MUTUA_CLIENT_IP_HEADER=X-Real-IP
export MUTUA_VAR_DIR="$work/var" STATIC_ROOT="$work/var/static"
export DATABASE_URL="sqlite:///$work/var/mutua.sqlite3"

# The slow steps run side by side: migrations (the longest), static files, the deploy check.
"$MUTUA" migrate --noinput >"$work/migrate.log" 2>&1 &
migrate=$!
"$MUTUA" collectstatic --noinput --verbosity 0 >"$work/collectstatic.log" 2>&1 &
collect=$!
pids+=("TERM:$migrate" "TERM:$collect")
# The deploy check judges the configuration; whether this year's official payroll tables are
# loaded (mutua.W001) is data, shown by `mutua check` on the real server, and this throwaway
# database may or may not be migrated yet when the check reads it.
MUTUA_SILENCED_CHECKS=mutua.W001 "$MUTUA" check --deploy --fail-level WARNING >"$work/check.log" 2>&1 || {
  cat "$work/check.log"; echo "FAILED: mutua check --deploy" >&2; exit 1; }
cat "$work/check.log"
grep -q "no issues" "$work/check.log" || { echo "FAILED: check --deploy is not clean" >&2; exit 1; }

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
  -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
  -keyout "$work/tls/privkey.pem" -out "$work/tls/fullchain.pem" 2>/dev/null

# The production site file itself, with its paths and ports moved to this folder and loopback.
sed -e '/^[[:space:]]*#/d' \
    -e "s#unix:/run/mutua/gunicorn.sock#unix:$work/run/gunicorn.sock#" \
    -e "s#listen 443 ssl http2;#listen 127.0.0.1:$https_port ssl http2;#" \
    -e "s#listen 80;#listen 127.0.0.1:$http_port;#" \
    -e '/listen \[::\]:/d' \
    -e "s#/etc/letsencrypt/live/mutua.example.org/#$work/tls/#" \
    -e "s#/etc/nginx/snippets/mutua-proxy.conf#$ROOT/deploy/nginx/mutua-proxy.conf#" \
    -e "s#/var/www/letsencrypt#$work/acme#" \
    -e "s#server_name mutua.example.org;#server_name 127.0.0.1;#" \
    deploy/nginx/mutua.conf >"$work/mutua.conf"
if grep -nE '/run/mutua|/etc/letsencrypt|/etc/nginx|/var/www|example\.org|listen (80|443)|\[::\]' "$work/mutua.conf"; then
  echo "FAILED: deploy/nginx/mutua.conf changed: teach scripts/prod-check.sh its new lines" >&2
  exit 1
fi
cat >"$work/nginx.conf" <<EOF
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 1024; }
http {
    default_type application/octet-stream;
    access_log $work/nginx/access.log;
    client_body_temp_path $work/nginx/client_body;
    proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fastcgi;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;
    include $work/mutua.conf;
}
EOF
"$NGINX" -t -q -p "$work/nginx/" -e "$work/nginx/error.log" -c "$work/nginx.conf"

# whitenoise lists the static files when a worker starts: collected first.
wait "$collect" || { cat "$work/collectstatic.log"; exit 1; }
echo "== gunicorn (deploy/gunicorn.conf.py, 2 sync workers) behind nginx; another alone on 127.0.0.1"
"$GUNICORN" -c deploy/gunicorn.conf.py mutua.wsgi --workers 2 \
  --bind "unix:$work/run/gunicorn.sock" --umask 0 \
  --access-logfile "$work/gunicorn-nginx.access.log" >"$work/gunicorn-nginx.log" 2>&1 &
pids+=("INT:$!")
"$GUNICORN" -c deploy/gunicorn.conf.py mutua.wsgi --workers 2 \
  --bind "127.0.0.1:$direct_port" \
  --access-logfile "$work/gunicorn-alone.access.log" >"$work/gunicorn-alone.log" 2>&1 &
pids+=("INT:$!")
"$NGINX" -p "$work/nginx/" -e "$work/nginx/error.log" -c "$work/nginx.conf" -g 'daemon off;' &
pids+=("TERM:$!")
wait "$migrate" || { cat "$work/migrate.log"; exit 1; }

behind="https://127.0.0.1:$https_port"
alone="http://127.0.0.1:$direct_port"
"$PY" scripts/prod_check.py wait "$behind/accounts/login/"
"$PY" scripts/prod_check.py wait "$alone/accounts/login/" --header "X-Forwarded-Proto: https"
"$PY" scripts/prod_check.py stack --https "$behind" --http "http://127.0.0.1:$http_port" \
  --database "$work/var/mutua.sqlite3"

# Both at once (two separate servers; the stalled one costs no CPU): the run stays near 60 s.
echo "== $SLOW_CLIENTS slow clients for $SLOW_SECONDS s through nginx, as many at gunicorn alone"
"$PY" scripts/slow_clients.py "$alone" --clients "$SLOW_CLIENTS" --seconds "$SLOW_SECONDS" \
  --header "X-Forwarded-Proto: https" --expect stalled --label "gunicorn alone" \
  >"$work/slow-alone.txt" 2>&1 &
alone_run=$!
pids+=("TERM:$alone_run")
behind_status=0
"$PY" scripts/slow_clients.py "$behind" --clients "$SLOW_CLIENTS" --seconds "$SLOW_SECONDS" \
  --label "nginx + gunicorn" || behind_status=$?
wait "$alone_run" || true
echo "-- the same at gunicorn alone (evidence of why nginx is in front; never fails the check)"
cat "$work/slow-alone.txt"
if [ "$behind_status" != 0 ]; then
  echo "FAILED: behind nginx, the page did not keep answering within 1 s" >&2
  exit 1
fi
