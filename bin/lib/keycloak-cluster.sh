# Sourced by bin/stack: the Keycloak nodes of `bin/stack up --cluster`, keycloak-1 and keycloak-2,
# in production mode. Built once as docker/Dockerfile builds the image (the provider jar into
# providers/, themes/ into themes/, keycloak/keycloak.conf into conf/, then `kc.sh build`), and
# run from that build by both nodes with `start --optimized`, on the one PostgreSQL database,
# clustered by Keycloak's own cache stack (Infinispan, jdbc-ping: the nodes find each other
# through the database and talk on loopback).
# Needs ROOT, STACK_DIR, LOGS, RUN, the ports (bin/lib/stack-env.sh), bin/lib/common.sh,
# bin/lib/postgres.sh, and from bin/stack: KEYCLOAK_VERSION, the admin user, unpack_keycloak,
# merge_realm_import.

KEYCLOAK_NODES=(keycloak-1 keycloak-2)
# The build both nodes run, as the image holds it.
KEYCLOAK_BUILD=$STACK_DIR/cluster/keycloak-$KEYCLOAK_VERSION
# One public URL for both nodes: it is the issuer of every token, so that a token one node issued
# is valid on the other. keycloak-1's address stands for the load balancer a deployment has.
KEYCLOAK_CLUSTER_URL=http://localhost:$KEYCLOAK_PORT

node_home() { echo "$STACK_DIR/cluster/$1"; }

node_port() {
  case $1 in keycloak-1) echo "$KEYCLOAK_PORT" ;; keycloak-2) echo "$KEYCLOAK_2_PORT" ;; esac
}

node_management_port() {
  case $1 in keycloak-1) echo "$KEYCLOAK_MANAGEMENT_PORT" ;; keycloak-2) echo "$KEYCLOAK_2_MANAGEMENT_PORT" ;; esac
}

node_cluster_port() {
  case $1 in keycloak-1) echo "$KEYCLOAK_CLUSTER_PORT" ;; keycloak-2) echo "$KEYCLOAK_2_CLUSTER_PORT" ;; esac
}

any_node_running() {
  local node
  for node in "${KEYCLOAK_NODES[@]}"; do is_running "$node" && return 0; done
  return 1
}

# What the build is made from; the same inputs make the same build.
keycloak_build_inputs() {
  (cd "$ROOT" && find pom.xml provider/pom.xml provider/src/main themes keycloak -type f -print0 | sort -z | xargs -0 sha256sum)
}

# Builds Keycloak for the cluster when its inputs changed, and only while no node runs: a node
# that joins a running one runs the same build.
build_keycloak_cluster() {
  local inputs
  inputs=$(keycloak_build_inputs)
  [ "$(cat "$KEYCLOAK_BUILD/.inputs" 2>/dev/null)" = "$inputs" ] && return
  if any_node_running; then
    say "the provider changed; the nodes keep the build that runs (bin/stack down keycloak-1 keycloak-2 to rebuild)"
    return
  fi
  say "building Keycloak for the cluster (kc.sh build, as docker/Dockerfile)"
  mvn -B -q -f "$ROOT/pom.xml" package -DskipTests >&2
  rm -rf "$KEYCLOAK_BUILD"
  unpack_keycloak "$KEYCLOAK_BUILD"
  cp "$ROOT/provider/target/mlflow-keycloak-provider.jar" "$KEYCLOAK_BUILD/providers/"
  cp -r "$ROOT/themes/." "$KEYCLOAK_BUILD/themes/"
  cp "$ROOT/keycloak/keycloak.conf" "$KEYCLOAK_BUILD/conf/keycloak.conf"
  "$KEYCLOAK_BUILD/bin/kc.sh" build >&2
  for node in "${KEYCLOAK_NODES[@]}"; do rm -rf "$(node_home "$node")"; done
  printf '%s' "$inputs" > "$KEYCLOAK_BUILD/.inputs"
}

# The realm export plus the demo overlay, imported by keycloak-1 (a realm that exists is kept).
# When the realm files change, the (demo-only) Keycloak database starts afresh, as in development.
prepare_cluster_realm() {
  local import_dir digest
  import_dir=$(node_home keycloak-1)/data/import
  mkdir -p "$import_dir"
  merge_realm_import "$import_dir/mlflow-realm.json" "http://localhost:$GATEWAY_PORT" "https://localhost:$GATEWAY_TLS_PORT"
  digest=$(sha256sum "$import_dir/mlflow-realm.json" | cut -d' ' -f1)
  if [ "$(cat "$STACK_DIR/cluster/realm.sha256" 2>/dev/null)" != "$digest" ] && ! any_node_running; then
    say "realm files changed: the cluster's Keycloak database starts afresh"
    drop_database keycloak
    ensure_database keycloak
    echo "$digest" > "$STACK_DIR/cluster/realm.sha256"
  fi
}

start_keycloak_node() {
  local node=$1 home port management cluster taken import=()
  is_running "$node" && return
  is_running postgres || die "PostgreSQL does not run: bin/stack up --cluster (or bin/stack up postgres)"
  [ -f "$KEYCLOAK_BUILD/.inputs" ] || die "Keycloak is not built for the cluster: bin/stack up --cluster"
  home=$(node_home "$node") port=$(node_port "$node") management=$(node_management_port "$node") cluster=$(node_cluster_port "$node")
  for taken in "$port" "$management" "$cluster"; do
    port_free "$taken" || die "port $taken is taken (see bin/lib/stack-env.sh for the variables that move $node)"
  done
  # Each node a copy of the build (hard links) with a data directory of its own.
  [ -d "$home" ] || { cp -al "$KEYCLOAK_BUILD" "$home" && rm -rf "$home/data"; }
  if [ "$node" = keycloak-1 ]; then prepare_cluster_realm; import=(--import-realm); fi
  say "starting $node on 127.0.0.1:$port (management $management, cluster $cluster)"
  # Secrets go to Keycloak in its environment, never on a command line.
  (
    export KC_DB_URL="jdbc:postgresql://127.0.0.1:$POSTGRES_PORT/keycloak" KC_DB_USERNAME=keycloak
    KC_DB_PASSWORD=$(db_password keycloak) && export KC_DB_PASSWORD
    KC_SPI_REALM_RESTAPI_EXTENSION__MLFLOW__GATEWAY_SECRET=$(gateway_secret) && export KC_SPI_REALM_RESTAPI_EXTENSION__MLFLOW__GATEWAY_SECRET
    export KC_SPI_REALM_RESTAPI_EXTENSION__MLFLOW__MLFLOW_URL="http://127.0.0.1:$MLFLOW_PORT"
    export KC_SPI_REALM_RESTAPI_EXTENSION__MLFLOW__TOKEN_CLIENTS="$STACK_TOKEN_CLIENT"
    export KC_BOOTSTRAP_ADMIN_USERNAME="$KEYCLOAK_ADMIN_USER" KC_BOOTSTRAP_ADMIN_PASSWORD="$KEYCLOAK_ADMIN_PASSWORD"
    export JAVA_OPTS_KC_HEAP="-Xms256m -Xmx1g"
    spawn "$node" "$home/bin/kc.sh" start --optimized "${import[@]}" \
      --http-enabled=true --http-host=127.0.0.1 --http-port="$port" --http-management-port="$management" \
      --hostname="$KEYCLOAK_CLUSTER_URL" \
      --cache=ispn --cache-stack=jdbc-ping --spi-cache-embedded--default--node-name="$node" \
      --cache-embedded-network-bind-address=127.0.0.1 --cache-embedded-network-bind-port="$cluster" \
      --http-access-log-enabled=true
  )
}

wait_for_keycloak_node() {
  local node=$1
  wait_for "$node" "http://127.0.0.1:$(node_management_port "$node")/health/ready" 240
  wait_for "$node" "http://127.0.0.1:$(node_port "$node")/realms/$REALM/.well-known/openid-configuration" 60
}
