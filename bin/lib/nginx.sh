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
    echo "    access_log $logs/$name-access.log;"
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

# render_gateway_conf LISTEN_PORT MLFLOW_UPSTREAM OUT: the gateway template for this machine's
# stack (Keycloak of the stack, realm mlflow, no static prefix), in front of MLFLOW_UPSTREAM.
render_gateway_conf() {
  GATEWAY_LISTEN="127.0.0.1:$1" KEYCLOAK_UPSTREAM="127.0.0.1:$KEYCLOAK_PORT" KEYCLOAK_REALM="$REALM" \
  MLFLOW_STATIC_PREFIX="" MLFLOW_UPSTREAM="$2" MLFLOW_GATEWAY_SECRET="$(gateway_secret)" \
    "$ROOT/bin/render-nginx" "$ROOT/nginx/templates/mlflow-gateway.conf.template" > "$3"
}
