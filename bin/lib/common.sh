# Sourced by the bin/ scripts: messages, installs and processes of our own, by pid file.
# Needs ROOT, STACK_DIR, LOGS and RUN (bin/lib/stack-env.sh).

say() { printf '%s\n' "$*" >&2; }
die() { say "$(basename "$0"): $*"; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    die "need root to run: $* (install it, or run bin/stack as root)"; fi
}

apt_install() {
  say "installing $* (apt)"
  if [ ! -f "$STACK_DIR/.apt-updated" ]; then
    as_root apt-get update -q >&2
    mkdir -p "$STACK_DIR" && touch "$STACK_DIR/.apt-updated"
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >&2
}

pid_of() { cat "$RUN/$1.pid" 2>/dev/null || true; }

is_running() {
  local pid
  pid=$(pid_of "$1")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# Starts a command in its own process group, so that `down` stops it with all its children.
spawn() {
  local name=$1; shift
  mkdir -p "$RUN" "$LOGS"
  setsid "$@" >>"$LOGS/$name.log" 2>&1 < /dev/null &
  echo $! > "$RUN/$name.pid"
}

# stop NAME [SIGNAL]: asks the process group to stop (SIGTERM unless told), kills it after 20 s.
stop() {
  local name=$1 signal=${2:-TERM} pid
  pid=$(pid_of "$name")
  if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then rm -f "$RUN/$name.pid"; return; fi
  say "stopping $name (pid $pid)"
  kill "-$signal" -- "-$pid" 2>/dev/null || kill "-$signal" "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$RUN/$name.pid"
}

wait_for() {
  local name=$1 url=$2 seconds=$3
  for _ in $(seq 1 "$seconds"); do
    if curl -fsS -o /dev/null "$url" 2>/dev/null; then return 0; fi
    is_running "$name" || die "$name exited while starting; see $LOGS/$name.log"
    sleep 1
  done
  die "$name did not answer at $url within ${seconds}s; see $LOGS/$name.log"
}

port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
