# Sourced by bin/stack: the cluster's PostgreSQL (Debian's package), a process of our own on
# loopback, its data under $STACK_DIR/cluster/postgres. PostgreSQL refuses to run as root: run by
# root, it runs as the package's system user `postgres`, otherwise as whoever runs bin/stack.
# bin/stack administers it over a unix socket of its own (peer authentication); Keycloak and
# MLflow connect over TCP, each as its own role with its own password, to its own database.
# Needs STACK_DIR, LOGS, RUN, POSTGRES_PORT (bin/lib/stack-env.sh) and bin/lib/common.sh.

PG_LINK=$STACK_DIR/cluster/postgres
# Where the data is: .stack/cluster/postgres, or where it links to (see init_postgres).
PG_DIR=$(readlink -m "$PG_LINK")
PG_DATA=$PG_DIR/data
PG_SOCKETS=$PG_DIR/sockets

# The prefix that runs a command as PostgreSQL's user; setpriv starts no new process, so that the
# pid bin/stack keeps is PostgreSQL's own.
if [ "$(id -u)" = 0 ]; then
  AS_POSTGRES=(setpriv --reuid=postgres --regid=postgres --init-groups env HOME="$PG_DIR")
else
  AS_POSTGRES=()
fi

pg_bin() {
  find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1
}

install_postgres() {
  [ -n "$(pg_bin)" ] || apt_install postgresql
}

# as_postgres COMMAND…: runs it as PostgreSQL's user, in a directory that user may enter.
as_postgres() {
  (cd "$PG_DIR" && "${AS_POSTGRES[@]}" "$@")
}

init_postgres() {
  [ -f "$PG_DATA/PG_VERSION" ] && return
  mkdir -p "$PG_DIR"
  if [ "$(id -u)" = 0 ]; then
    chown postgres:postgres "$PG_DIR"
    if ! as_postgres test -w "$PG_DIR" 2>/dev/null; then
      # The checkout is where user postgres may not enter (a home such as /root): the data goes
      # to a directory of its own in /var/tmp, linked from $PG_LINK.
      rmdir "$PG_DIR"
      PG_DIR=$(mktemp -d /var/tmp/mlflow-keycloak-postgres.XXXXXX) PG_DATA=$PG_DIR/data PG_SOCKETS=$PG_DIR/sockets
      chown postgres:postgres "$PG_DIR"
      ln -s "$PG_DIR" "$PG_LINK"
    fi
  fi
  say "creating the cluster's PostgreSQL data directory $PG_DATA"
  as_postgres "$(pg_bin)/initdb" -D "$PG_DATA" -E UTF8 --locale=C --auth-local=peer --auth-host=scram-sha-256 >/dev/null
}

start_postgres() {
  is_running postgres && return
  port_free "$POSTGRES_PORT" || die "port $POSTGRES_PORT is taken (set POSTGRES_PORT)"
  init_postgres
  as_postgres mkdir -p "$PG_SOCKETS"
  say "starting PostgreSQL on 127.0.0.1:$POSTGRES_PORT"
  # Connections: each Keycloak node's pool holds up to 100 (Keycloak's default), MLflow's workers some.
  (cd "$PG_DIR" && spawn postgres "${AS_POSTGRES[@]}" "$(pg_bin)/postgres" -D "$PG_DATA" \
    -c listen_addresses=127.0.0.1 -c port="$POSTGRES_PORT" -c unix_socket_directories="$PG_SOCKETS" \
    -c max_connections=300)
}

# PostgreSQL's fast shutdown (SIGINT): SIGTERM would wait for every client to disconnect.
stop_postgres() {
  stop postgres INT
}

wait_for_postgres() {
  for _ in $(seq 1 60); do
    if as_postgres "$(pg_bin)/pg_isready" -q -h "$PG_SOCKETS" -p "$POSTGRES_PORT"; then return 0; fi
    is_running postgres || die "postgres exited while starting; see $LOGS/postgres.log"
    sleep 1
  done
  die "postgres did not answer within 60s; see $LOGS/postgres.log"
}

psql_admin() {
  as_postgres "$(pg_bin)/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCKETS" -p "$POSTGRES_PORT" -d postgres "$@"
}

# db_password NAME: the password of role NAME (made once, $STACK_DIR/cluster/NAME-db-password, mode 600).
db_password() {
  secret "$STACK_DIR/cluster/$1-db-password"
}

# ensure_database NAME: role NAME, logging in with its password, and database NAME, which it owns
# and no other role may connect to. The password goes over stdin, never on a command line.
ensure_database() {
  local name=$1
  psql_admin >&2 <<SQL
SELECT 'CREATE ROLE $name' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$name') \gexec
ALTER ROLE $name LOGIN PASSWORD '$(db_password "$name")';
SELECT 'CREATE DATABASE $name OWNER $name' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$name') \gexec
REVOKE ALL ON DATABASE $name FROM PUBLIC;
SQL
}

# drop_database NAME: the database and everything in it (its role stays).
drop_database() {
  psql_admin -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" >&2
}
