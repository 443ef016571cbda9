#!/usr/bin/env bash
# A throwaway PostgreSQL for the store tests (tests/test_store_postgres.py).
#
# Installs Debian's postgresql when no server binaries are found (apt, needs root), starts a
# private cluster in $CROSSCLAIM_PG_DIR (default /tmp/crossclaim-pg) listening on 127.0.0.1 only
# (port $CROSSCLAIM_PG_PORT, default 55432), creates the role and database, installs psycopg into
# the active virtual environment, checks a password login over TCP, and then prints one line:
#
#   export CROSSCLAIM_TEST_POSTGRES_URL=postgresql+psycopg://crossclaim:crossclaim@127.0.0.1:55432/crossclaim_test
#
# for the caller to `eval`. Everything else goes to stderr. Running it again reuses the cluster
# (starting it if it is stopped). It never fails: when any step is impossible (no apt, no root,
# no network, port taken) it prints nothing and exits 0, and the PostgreSQL tests are skipped.
#
# Usage (CI, after the venv is active):  eval "$(.ci/postgres.sh)"
set -u

PG_DIR="${CROSSCLAIM_PG_DIR:-/tmp/crossclaim-pg}"
PG_PORT="${CROSSCLAIM_PG_PORT:-55432}"
PG_DB="crossclaim_test"
PG_USER="crossclaim"
PG_PASSWORD="crossclaim"

log() { echo "postgres.sh: $*" >&2; }

pg_bindir() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
    echo "$dir"
  elif command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
  fi
}

install_server() {
  if ! command -v apt-get >/dev/null 2>&1; then
    log "no apt-get; cannot install PostgreSQL"
    return 1
  fi
  if [ "$(id -u)" -ne 0 ]; then
    log "not root; cannot apt-get install PostgreSQL"
    return 1
  fi
  log "installing postgresql with apt-get"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) \
    || { log "apt-get install postgresql failed"; return 1; }
}

# run a command as the cluster's owner: `postgres` when we are root (initdb refuses root)
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    if command -v runuser >/dev/null 2>&1; then
      runuser -u postgres -- "$@"
    else
      su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
    fi
  else
    "$@"
  fi
}

psql_admin() {
  # superuser over the cluster's private unix socket (trust; only the owner can reach the dir)
  as_owner "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_DIR" -p "$PG_PORT" -U postgres \
    -d postgres "$@"
}

main() {
  BIN="$(pg_bindir)"
  if [ -z "$BIN" ]; then
    install_server || return 1
    BIN="$(pg_bindir)"
    [ -n "$BIN" ] || { log "PostgreSQL binaries not found after install"; return 1; }
  fi
  if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
    log "no postgres user to run the server as"
    return 1
  fi

  if [ ! -f "$PG_DIR/PG_VERSION" ]; then
    log "initdb $PG_DIR"
    mkdir -p "$PG_DIR" || return 1
    [ "$(id -u)" -eq 0 ] && chown postgres: "$PG_DIR"
    chmod 700 "$PG_DIR"
    as_owner "$BIN/initdb" -D "$PG_DIR" -U postgres --encoding=UTF8 --locale=C \
      --auth-local=trust --auth-host=scram-sha-256 >/dev/null \
      || { log "initdb failed"; return 1; }
  fi

  if ! as_owner "$BIN/pg_ctl" -D "$PG_DIR" status >/dev/null 2>&1; then
    log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
    # the server must not inherit the caller's pipes, or `$(postgres.sh)` never returns
    as_owner "$BIN/pg_ctl" -D "$PG_DIR" -l "$PG_DIR/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -c unix_socket_directories=$PG_DIR" start \
      </dev/null >/dev/null 2>&1 || { log "server did not start; see $PG_DIR/server.log"; tail -n 5 "$PG_DIR/server.log"; return 1; }
  fi

  if [ "$(psql_admin -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$PG_USER'")" != "1" ]; then
    psql_admin -c "CREATE ROLE $PG_USER LOGIN PASSWORD '$PG_PASSWORD'" \
      || { log "cannot create role"; return 1; }
  fi
  if [ "$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'")" != "1" ]; then
    psql_admin -c "CREATE DATABASE $PG_DB OWNER $PG_USER" \
      || { log "cannot create database"; return 1; }
  fi

  local python="python"
  [ -n "${VIRTUAL_ENV:-}" ] && python="$VIRTUAL_ENV/bin/python"
  if ! "$python" -c "import psycopg" >/dev/null 2>&1; then
    log "installing psycopg into $("$python" -c 'import sys; print(sys.prefix)' 2>/dev/null)"
    "$python" -m pip install --quiet "psycopg[binary]>=3.1" \
      || { log "cannot install psycopg"; return 1; }
  fi

  # the exact login the tests will use: password over TCP
  PGPASSWORD="$PG_PASSWORD" "$BIN/psql" -X -q -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" \
    -d "$PG_DB" -tAc "SELECT 1" >/dev/null \
    || { log "cannot log in as $PG_USER over 127.0.0.1:$PG_PORT"; return 1; }

  URL="postgresql+psycopg://$PG_USER:$PG_PASSWORD@127.0.0.1:$PG_PORT/$PG_DB"
}

URL=""
# main's output goes to stderr: the caller's stdout gets the export line only
if main >&2 && [ -n "$URL" ]; then
  log "ready: $URL"
  echo "export CROSSCLAIM_TEST_POSTGRES_URL=$URL"
else
  log "PostgreSQL unavailable; the PostgreSQL store tests will be skipped"
fi
exit 0
