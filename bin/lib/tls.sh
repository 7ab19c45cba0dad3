# Sourced by bin/stack: the gateway's TLS certificate for `bin/stack up --cluster`, issued to
# localhost and 127.0.0.1 by a CA of the stack's own, under $STACK_DIR/tls. Clients trust
# $STACK_DIR/tls/ca.pem. Needs STACK_DIR (bin/lib/stack-env.sh) and bin/lib/common.sh.

TLS_DIR=$STACK_DIR/tls
TLS_CA=$TLS_DIR/ca.pem
TLS_CERTIFICATE=$TLS_DIR/server.pem
TLS_KEY=$TLS_DIR/server-key.pem

# Makes the CA (ten years) once, and the server certificate (one year) again when it has less
# than a week left.
make_tls_certificate() {
  [ -s "$TLS_CERTIFICATE" ] && openssl x509 -checkend 604800 -noout -in "$TLS_CERTIFICATE" >/dev/null && return
  say "making the gateway's TLS certificate (CA: $TLS_CA)"
  mkdir -p "$TLS_DIR"
  (
    umask 077
    if ! [ -s "$TLS_CA" ] || ! openssl x509 -checkend 604800 -noout -in "$TLS_CA" >/dev/null; then
      openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 \
        -subj "/CN=mlflow-keycloak local stack CA" -keyout "$TLS_DIR/ca-key.pem" -out "$TLS_CA" \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
    fi
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost" \
      -keyout "$TLS_KEY" -out "$TLS_DIR/server.csr" 2>/dev/null
    printf '%s\n' "subjectAltName=DNS:localhost,IP:127.0.0.1" "basicConstraints=critical,CA:FALSE" \
      "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth" > "$TLS_DIR/server.ext"
    openssl x509 -req -in "$TLS_DIR/server.csr" -CA "$TLS_CA" -CAkey "$TLS_DIR/ca-key.pem" -CAcreateserial \
      -days 365 -sha256 -extfile "$TLS_DIR/server.ext" -out "$TLS_CERTIFICATE" 2>/dev/null
    rm -f "$TLS_DIR/server.csr" "$TLS_DIR/server.ext"
    chmod 644 "$TLS_CA" "$TLS_CERTIFICATE"
  )
}
