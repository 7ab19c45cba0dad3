# Sourced by the bin/ scripts: where the local stack lives and listens. Each may be overridden
# from the environment.
STACK_DIR=${STACK_DIR:-$ROOT/.stack}
GATEWAY_PORT=${GATEWAY_PORT:-8000}
KEYCLOAK_PORT=${KEYCLOAK_PORT:-8080}
KEYCLOAK_MANAGEMENT_PORT=${KEYCLOAK_MANAGEMENT_PORT:-9000}
MLFLOW_PORT=${MLFLOW_PORT:-5001}
# bin/static-gateway: the same gateway config in front of a static upstream.
STATIC_GATEWAY_PORT=${STATIC_GATEWAY_PORT:-8001}
STATIC_UPSTREAM_PORT=${STATIC_UPSTREAM_PORT:-8002}
REALM=mlflow
LOGS=$STACK_DIR/logs
RUN=$STACK_DIR/run

# gateway_secret: the secret NGINX and Keycloak of this stack share (made once, kept in the stack
# directory, readable by its owner alone).
gateway_secret() {
  local file=$STACK_DIR/gateway-secret
  if [ ! -s "$file" ]; then
    mkdir -p "$STACK_DIR"
    (umask 077 && od -An -N32 -tx1 /dev/urandom | tr -d ' \n' > "$file")
  fi
  cat "$file"
}
