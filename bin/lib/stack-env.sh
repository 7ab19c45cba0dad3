# Sourced by the bin/ scripts: where the local stack lives and listens. Each may be overridden
# from the environment.
STACK_DIR=${STACK_DIR:-$ROOT/.stack}
GATEWAY_PORT=${GATEWAY_PORT:-8000}
KEYCLOAK_PORT=${KEYCLOAK_PORT:-8080}
KEYCLOAK_MANAGEMENT_PORT=${KEYCLOAK_MANAGEMENT_PORT:-9000}
MLFLOW_PORT=${MLFLOW_PORT:-5001}
# bin/stack up --cluster: keycloak-1 listens where the development Keycloak does, keycloak-2 beside
# it; they find each other through the database and talk on the JGroups ports (loopback).
KEYCLOAK_2_PORT=${KEYCLOAK_2_PORT:-8081}
KEYCLOAK_2_MANAGEMENT_PORT=${KEYCLOAK_2_MANAGEMENT_PORT:-9001}
KEYCLOAK_CLUSTER_PORT=${KEYCLOAK_CLUSTER_PORT:-7800}
KEYCLOAK_2_CLUSTER_PORT=${KEYCLOAK_2_CLUSTER_PORT:-7801}
GATEWAY_TLS_PORT=${GATEWAY_TLS_PORT:-8443}
# 5432 is left to a system PostgreSQL (Debian's package starts one).
POSTGRES_PORT=${POSTGRES_PORT:-5433}
# bin/static-gateway: the same gateway config in front of a static upstream.
STATIC_GATEWAY_PORT=${STATIC_GATEWAY_PORT:-8001}
STATIC_UPSTREAM_PORT=${STATIC_UPSTREAM_PORT:-8002}
# bin/bench mix: a plain NGINX proxy to MLflow, the baseline a gateway is measured against.
PLAIN_PROXY_PORT=${PLAIN_PROXY_PORT:-$((STATIC_UPSTREAM_PORT + 1))}
REALM=mlflow
# The demo realm's password-grant client (bin/stack token, the tests): its users' tokens open MLflow.
STACK_TOKEN_CLIENT=stack-token
LOGS=$STACK_DIR/logs
RUN=$STACK_DIR/run

# secret FILE: a random secret, made once and kept in FILE, readable by its owner alone.
secret() {
  if [ ! -s "$1" ]; then
    mkdir -p "$(dirname "$1")"
    (umask 077 && od -An -N32 -tx1 /dev/urandom | tr -d ' \n' > "$1")
  fi
  cat "$1"
}

# gateway_secret: the secret NGINX and Keycloak of this stack share.
gateway_secret() {
  secret "$STACK_DIR/gateway-secret"
}
