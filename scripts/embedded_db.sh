#!/usr/bin/env bash
# The embedded default database: a PostgreSQL 15 + PostGIS cluster that the project owns under var/.
# Used only when DATABASE_URL is not set. It listens on a Unix socket inside its own folder (no TCP port),
# so it never clashes with a PostgreSQL server that may already run on the machine.
#
#   scripts/embedded_db.sh start   create the cluster if needed, start it, create the database; prints the URL
#   scripts/embedded_db.sh stop    stop it
#   scripts/embedded_db.sh url     print the DATABASE_URL of the embedded database
set -euo pipefail

PROJECT_DIR="$(cd "$(dirname "$0")/.." && pwd)"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
DB_NAME=musoya
DB_USER=musoya

# PostgreSQL refuses to run as root: as root, the cluster belongs to the 'postgres' system user
# (created by Debian's postgresql package).
if [ "$(id -u)" -eq 0 ]; then OWNER=postgres; else OWNER="$(id -un)"; fi

as_owner() {
  if [ "$(id -un)" = "$OWNER" ]; then "$@"; else runuser -u "$OWNER" -- "$@"; fi
}

# The cluster lives in var/ when its owner can reach that folder; otherwise (a root-only checkout
# folder) in a per-checkout folder under /var/lib/musoya.
cluster_home() {
  local home="$PROJECT_DIR/var/postgres"
  mkdir -p "$home"
  if [ "$OWNER" != "$(id -un)" ]; then
    chown "$OWNER" "$home"
    if ! runuser -u "$OWNER" -- test -w "$home"; then
      home="/var/lib/musoya/$(printf '%s' "$PROJECT_DIR" | cksum | cut -d' ' -f1)"
      mkdir -p "$home" && chown "$OWNER" "$home"
    fi
  fi
  echo "$home"
}

HOME_DIR="$(cluster_home)"
DATA_DIR="$HOME_DIR/data"
SOCKET_DIR="$HOME_DIR/run"
LOG_FILE="$HOME_DIR/postgres.log"

database_url() {
  # The socket folder goes in the host part, percent-encoded (libpq treats a host starting with / as a socket).
  local encoded
  encoded="$(printf '%s' "$SOCKET_DIR" | sed 's|/|%2F|g')"
  echo "postgis://$DB_USER@$encoded/$DB_NAME"
}

start() {
  if [ ! -x "$PG_BIN/initdb" ]; then
    echo "ERROR: PostgreSQL 15 is not installed ($PG_BIN/initdb missing)." >&2
    echo "       Run: sudo apt-get install -y postgresql postgresql-15-postgis-3   (or: make system)" >&2
    exit 1
  fi
  if [ ! -f "$DATA_DIR/PG_VERSION" ]; then
    echo "==> Creating the embedded PostGIS cluster in $DATA_DIR" >&2
    as_owner mkdir -p "$DATA_DIR" "$SOCKET_DIR"
    as_owner "$PG_BIN/initdb" -D "$DATA_DIR" -U "$DB_USER" --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    cat <<CONF | as_owner tee -a "$DATA_DIR/postgresql.conf" >/dev/null
# Musoya embedded cluster: socket only, no TCP port.
listen_addresses = ''
unix_socket_directories = '$SOCKET_DIR'
jit = off  # PostGIS's cost estimates trigger JIT compiles that cost more than the queries
CONF
  fi
  as_owner mkdir -p "$SOCKET_DIR"
  if ! as_owner "$PG_BIN/pg_ctl" -D "$DATA_DIR" status >/dev/null 2>&1; then
    echo "==> Starting the embedded PostGIS cluster (log: $LOG_FILE)" >&2
    if ! as_owner "$PG_BIN/pg_ctl" -D "$DATA_DIR" -l "$LOG_FILE" -w -t 60 start >/dev/null; then
      echo "ERROR: the embedded PostgreSQL did not start; see $LOG_FILE" >&2
      tail -n 20 "$LOG_FILE" >&2 || true
      exit 1
    fi
  fi
  local psql=("$PG_BIN/psql" -h "$SOCKET_DIR" -U "$DB_USER" -d postgres -v ON_ERROR_STOP=1 -qtA)
  if [ -z "$(as_owner "${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" ]; then
    echo "==> Creating database $DB_NAME" >&2
    as_owner "${psql[@]}" -c "CREATE DATABASE $DB_NAME"
  fi
  as_owner "$PG_BIN/psql" -h "$SOCKET_DIR" -U "$DB_USER" -d "$DB_NAME" -qtA -v ON_ERROR_STOP=1 \
    -c "SET client_min_messages TO warning" -c "CREATE EXTENSION IF NOT EXISTS postgis" >/dev/null
  database_url
}

stop() {
  if [ -f "$DATA_DIR/PG_VERSION" ]; then
    as_owner "$PG_BIN/pg_ctl" -D "$DATA_DIR" -m fast stop || true
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) database_url ;;
  *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
