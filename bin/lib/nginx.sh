# Sourced by bin/stack and bin/static-gateway: NGINX as a process of our own (no system service).

NJS_MODULE=/usr/lib/nginx/modules/ngx_http_js_module.so

# write_nginx_conf DIR LOGS NAME INCLUDE…: a main nginx.conf in DIR that runs in the foreground,
# keeps its pid, temp files and logs (LOGS/NAME-*.log) to itself, loads njs with the gate's
# scripts (nginx/njs), and includes the given files.
write_nginx_conf() {
  local dir=$1 logs=$2 name=$3 include
  shift 3
  mkdir -p "$dir/temp" "$logs"
  {
    echo "daemon off;"
    echo "worker_processes auto;"
    echo "pid $dir/nginx.pid;"
    echo "error_log $logs/$name-error.log warn;"
    echo "load_module $NJS_MODULE;"
    echo "events { worker_connections 4096; }"
    echo "http {"
    echo "    include /etc/nginx/mime.types;"
    echo "    js_path $ROOT/nginx/njs;"
    # NGINX's combined format, with the request id that /check's audit trail and MLflow also get.
    echo "    log_format mlflow_gateway '\$remote_addr - \$remote_user [\$time_local] \"\$request\" \$status \$body_bytes_sent \"\$http_referer\" \"\$http_user_agent\" request_id=\$request_id request_time=\$request_time';"
    echo "    access_log $logs/$name-access.log mlflow_gateway;"
    for temp in client_body proxy fastcgi uwsgi scgi; do
      echo "    ${temp}_temp_path $dir/temp/$temp;"
    done
    for include in "$@"; do
      echo "    include $include;"
    done
    echo "}"
  } > "$dir/nginx.conf"
  nginx -t -q -c "$dir/nginx.conf" -e "$logs/$name-error.log" >&2
}

# render_gateway_conf DIR LISTEN_PORT MLFLOW_UPSTREAM [KEYCLOAK_NODE…]: the gateway's config in
# DIR/conf.d, rendered from nginx/templates as the nginx image renders it in compose, for this
# machine's stack (realm mlflow, no static prefix): public at http://localhost:LISTEN_PORT, in front
# of MLFLOW_UPSTREAM, over the given Keycloak nodes (host:port; default: the stack's Keycloak).
render_gateway_conf() {
  local dir=$1 port=$2 mlflow=$3 node
  shift 3
  [ $# -gt 0 ] || set -- "127.0.0.1:$KEYCLOAK_PORT"
  rm -rf "$dir/conf.d" && mkdir -p "$dir/conf.d"
  GATEWAY_LISTEN="127.0.0.1:$port" GATEWAY_PUBLIC_URL="http://localhost:$port" GATEWAY_TRUSTED_PROXY="unix:" \
  KEYCLOAK_UPSTREAM="$1" KEYCLOAK_REALM="$REALM" MLFLOW_STATIC_PREFIX="" MLFLOW_UPSTREAM="$mlflow" \
  MLFLOW_GATEWAY_SECRET="$(gateway_secret)" \
    "$ROOT/bin/render-nginx" "$ROOT/nginx/templates" "$dir/conf.d"
  if [ $# -gt 1 ]; then
    for node in "$@"; do echo "server $node max_fails=1 fail_timeout=5s;"; done > "$dir/conf.d/mlflow-gateway/keycloak-nodes.conf"
  fi
}

# render_gateway_tls DIR TLS_PORT CERTIFICATE KEY: adds the gateway over TLS (nginx/tls) to the
# config render_gateway_conf made in DIR, public at https://localhost:TLS_PORT.
render_gateway_tls() {
  GATEWAY_TLS_LISTEN="127.0.0.1:$2" GATEWAY_TLS_PUBLIC_URL="https://localhost:$2" \
  GATEWAY_TLS_CERTIFICATE="$3" GATEWAY_TLS_CERTIFICATE_KEY="$4" MLFLOW_STATIC_PREFIX="" \
    "$ROOT/bin/render-nginx" "$ROOT/nginx/tls" "$1/conf.d"
}
