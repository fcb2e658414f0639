# Sourced by scripts/test: a throw-away PostgreSQL cluster on 127.0.0.1 in a temporary
# directory, owned by the `postgres` system user when run as root (initdb refuses root).
postgres_start() {
  local bindir port
  bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  port=${POSTGRES_PORT:-54329}
  PGTEST_DIR=$(mktemp -d /tmp/hotline_perf_pg.XXXXXX)
  local run=()
  if [[ $(id -u) -eq 0 ]]; then
    chown postgres: "$PGTEST_DIR"
    run=(runuser -u postgres --)
  fi
  "${run[@]}" "$bindir/initdb" -D "$PGTEST_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  "${run[@]}" "$bindir/pg_ctl" -D "$PGTEST_DIR/data" -l "$PGTEST_DIR/log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $PGTEST_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
  PGTEST_BINDIR=$bindir
  # Exported for the worker tests, which restart this server for a few seconds
  # (tests/integration/documents/test_worker_processes.py).
  export PGTEST_DIR PGTEST_BINDIR
  POSTGRES_URL="postgres://postgres@127.0.0.1:$port/hotline_perf"
  "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres hotline_perf
  echo "    PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
}

postgres_stop() {
  local run=()
  [[ $(id -u) -eq 0 ]] && run=(runuser -u postgres --)
  "${run[@]}" "$PGTEST_BINDIR/pg_ctl" -D "$PGTEST_DIR/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$PGTEST_DIR"
}
