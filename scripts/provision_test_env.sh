#!/usr/bin/env bash
# Makes sure the test suite's services exist: PostgreSQL, Redis, Chromium, gettext.
# Idempotent: does nothing when all are already there. Fails loudly otherwise.
set -uo pipefail

database_url=$1
redis_url=$2

fail() { echo "ERROR: $*" >&2; exit 1; }
say() { echo "provision: $*"; }

apt_updated=0
apt_install() {
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    fail "$1 is missing and cannot be installed here (needs root and apt-get). Install it and rerun."
  fi
  if [ $apt_updated = 0 ]; then
    say "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq || fail "apt-get update failed"
    apt_updated=1
  fi
  say "installing $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null \
    || fail "apt-get install $* failed"
}

# --- PostgreSQL ----------------------------------------------------------------
read -r pg_host pg_port pg_user pg_db < <(python3 - "$database_url" <<'PY'
import sys
from urllib.parse import urlsplit
u = urlsplit(sys.argv[1])
print(u.hostname or "127.0.0.1", u.port or 5432, u.username or "postgres", u.path.lstrip("/") or "peernet")
PY
)
pg_ready() { pg_isready -q -h "$pg_host" -p "$pg_port" 2>/dev/null; }
command -v pg_isready >/dev/null || apt_install postgresql-client
if ! pg_ready; then
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    apt_install postgresql
  fi
  for version in $(ls /etc/postgresql 2>/dev/null); do
    say "starting PostgreSQL $version"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || true
  done
  for _ in $(seq 1 30); do pg_ready && break; sleep 1; done
  pg_ready || fail "PostgreSQL is not reachable at $pg_host:$pg_port. Start it, or set TEST_DATABASE_URL."
fi
psql_cmd=(psql -h "$pg_host" -p "$pg_port" -U "$pg_user" -d postgres -tAq)
if ! "${psql_cmd[@]}" -c "select 1" >/dev/null 2>&1; then
  fail "PostgreSQL at $pg_host:$pg_port refuses user '$pg_user'. The suite expects trust auth or a TEST_DATABASE_URL with credentials."
fi
if [ "$("${psql_cmd[@]}" -c "select 1 from pg_database where datname = '$pg_db'")" != 1 ]; then
  say "creating database $pg_db"
  "${psql_cmd[@]}" -c "create database \"$pg_db\"" || fail "could not create database $pg_db"
fi

# --- Redis ---------------------------------------------------------------------
read -r redis_host redis_port < <(python3 - "$redis_url" <<'PY'
import sys
from urllib.parse import urlsplit
u = urlsplit(sys.argv[1])
print(u.hostname or "127.0.0.1", u.port or 6379)
PY
)
redis_ready() { [ "$(redis-cli -h "$redis_host" -p "$redis_port" ping 2>/dev/null)" = PONG ]; }
command -v redis-cli >/dev/null || apt_install redis-server
if ! redis_ready; then
  command -v redis-server >/dev/null || apt_install redis-server
  say "starting Redis on $redis_host:$redis_port"
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null
  redis-server --daemonize yes --bind "$redis_host" --port "$redis_port" --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/peernet-test.log >/dev/null 2>&1 || true
  for _ in $(seq 1 20); do redis_ready && break; sleep 0.5; done
  redis_ready || fail "Redis is not reachable at $redis_host:$redis_port. Start it, or set TEST_REDIS_URL."
fi

# --- Chromium (Playwright drives the system browser; its own download cannot work) -------
if ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null; then
  apt_install chromium
fi
chromium_bin=$(command -v chromium || command -v chromium-browser)
"$chromium_bin" --version >/dev/null 2>&1 || fail "Chromium at $chromium_bin does not start."

# --- gettext (the translation catalogue check runs makemessages) -------------------
command -v msgfmt >/dev/null || apt_install gettext

# --- nginx and its brotli module (tests/test_deploy.py runs deploy/nginx/nginx.conf) -------
if [ ! -x /usr/sbin/nginx ] || [ ! -e /usr/lib/nginx/modules/ngx_http_brotli_filter_module.so ]; then
  apt_install nginx libnginx-mod-http-brotli-filter
  # the test starts its own nginx on free ports; the package's service is not wanted here
  systemctl disable --now nginx >/dev/null 2>&1 || true
fi

# --- wrk (make bench's load generator; only when the Makefile asks: PROVISION_WRK=1) ---------
if [ "${PROVISION_WRK:-0}" = 1 ]; then
  command -v wrk >/dev/null || apt_install wrk
  wrk_version=$(wrk --version 2>&1)  # exits 1 after printing its version and usage
  [[ $wrk_version == wrk\ * ]] || fail "wrk does not run. Install Debian's wrk package and rerun make bench."
  say "${wrk_version%% \[*}: ready"
fi

say "PostgreSQL $pg_host:$pg_port/$pg_db, Redis $redis_host:$redis_port, $("$chromium_bin" --version 2>/dev/null): ready"
