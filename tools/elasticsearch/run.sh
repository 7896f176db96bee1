#!/usr/bin/env bash
# Local Elasticsearch 8 node for development and CI.  See tools/elasticsearch/README.md.
#
#   tools/elasticsearch/run.sh start     build if needed, start in the background, wait until healthy
#   tools/elasticsearch/run.sh stop      stop it (SIGTERM, then SIGKILL after ES_STOP_TIMEOUT s)
#   tools/elasticsearch/run.sh status    say whether it is up (exit 0 up, 1 not healthy, 3 not running)
#   tools/elasticsearch/run.sh restart
#   tools/elasticsearch/run.sh build     only (re)build target/
#
# Environment: ES_PORT (9200), ES_DATA_DIR (<repo>/.var/es), ES_HEAP_MIN (512m), ES_HEAP_MAX (1g),
# ES_START_TIMEOUT (180), ES_STOP_TIMEOUT (20), ES_JAVA_HOME (a JDK 17-24; found automatically).
# Each port has its own pid and log file (.var/es.pid and .var/es.log on 9200, .var/es-<port>.pid
# and .var/es-<port>.log otherwise), so nodes on two ports never manage each other.
set -euo pipefail

SAY_PREFIX=search-engine
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ES_PORT="${ES_PORT:-9200}"
NODE="es"
[ "$ES_PORT" = 9200 ] || NODE="es-$ES_PORT"
PIDFILE="$VAR/$NODE.pid"
LOGFILE="$VAR/$NODE.log"
ES_DATA_DIR="${ES_DATA_DIR:-$VAR/es}"
case "$ES_DATA_DIR" in /*) ;; *) ES_DATA_DIR="$PWD/$ES_DATA_DIR" ;; esac
ES_HEAP_MIN="${ES_HEAP_MIN:-512m}"
ES_HEAP_MAX="${ES_HEAP_MAX:-1g}"
START_TIMEOUT="${ES_START_TIMEOUT:-180}"
STOP_TIMEOUT="${ES_STOP_TIMEOUT:-20}"
URL="http://127.0.0.1:$ES_PORT"

# ---------------------------------------------------------------- process helpers

current_pid() { # pid of this port's node, from the pid file or (if that was lost) from /proc
  local pid=""
  if [ -f "$PIDFILE" ]; then
    pid="$(tr -dc '0-9' <"$PIDFILE")"
    if is_our_es "$pid"; then echo "$pid"; return 0; fi
  fi
  # The server's command line names its port (-Dkepu.es.port, set by start).
  for pid in $(pgrep -f -- "-Dkepu.es.port=$ES_PORT " 2>/dev/null || true); do
    if is_our_es "$pid" && cmdline "$pid" | grep -qF -- "-Des.path.home=$ES_HOME "; then
      echo "$pid"; return 0
    fi
  done
  return 1
}

healthy() { curl -fsS -m 5 "$URL/_cluster/health?wait_for_status=yellow&timeout=2s" >/dev/null 2>&1; }

write_config() {
  # Regenerated on every start; the per-run values (port, data, logs) are passed with -E.
  cat >"$ES_HOME/config/elasticsearch.yml" <<'YML'
# Written by tools/elasticsearch/run.sh on every start: edit run.sh, not this file.
cluster.name: kepu-search
node.name: kepu-search-1
network.host: 127.0.0.1
discovery.type: single-node
# plain http, no users/passwords
xpack.security.enabled: false
# a dev/CI node: never turn indices read-only because the disk is filling up
cluster.routing.allocation.disk.threshold_enabled: false
# let tests clean up with wildcards (DELETE /test-*)
action.destructive_requires_name: false
YML
  write_jvm_and_log_config "$ES_HOME/config" "$ES_HEAP_MIN" "$ES_HEAP_MAX"
}

# ---------------------------------------------------------------- commands

wait_healthy() { # seconds [launcher pid] -> 0 healthy, 1 timed out, 2 launcher failed; prints progress
  local t0=$SECONDS deadline=$((SECONDS + $1)) next=$((SECONDS + 10)) cli_pid="${2:-}" rc
  while [ "$SECONDS" -lt "$deadline" ]; do
    if healthy; then return 0; fi
    if [ -n "$cli_pid" ] && ! kill -0 "$cli_pid" 2>/dev/null; then
      # The launcher exits 0 once the server is up (-d), non-zero if it failed to start.
      rc=0; wait "$cli_pid" || rc=$?
      if [ "$rc" -ne 0 ]; then LAUNCH_RC=$rc; return 2; fi
      cli_pid=""
    fi
    if [ "$SECONDS" -ge "$next" ]; then
      say "waiting for $URL ... $((SECONDS - t0))s"
      next=$((SECONDS + 10))
    fi
    sleep 1
  done
  return 1
}

log_tail() { # the log of the latest start attempt, at most 60 lines
  awk '/^==== .* run.sh start/ { n = 0; delete l } { l[++n] = $0 } END { s = n > 60 ? n - 59 : 1; for (i = s; i <= n; i++) print l[i] }' "$LOGFILE" >&2 || true
}

start() {
  mkdir -p "$VAR"
  local pid
  if pid="$(current_pid)"; then
    echo "$pid" >"$PIDFILE"
    if healthy; then say "already running (pid $pid) on $URL"; return 0; fi
    say "already starting (pid $pid); waiting up to ${START_TIMEOUT}s"
    if wait_healthy "$START_TIMEOUT"; then say "up on $URL (pid $pid)"; return 0; fi
    log_tail
    die "pid $pid is running but $URL is not healthy after ${START_TIMEOUT}s (log: $LOGFILE)"
  fi
  rm -f "$PIDFILE"
  if curl -s -m 3 -o /dev/null "$URL/" 2>/dev/null; then
    die "something else already answers on $URL (another checkout's node?); stop it or set ES_PORT"
  fi

  pick_java
  if needs_build; then build; fi
  write_config
  mkdir -p "$ES_DATA_DIR"

  set_as_user

  say "starting Elasticsearch $ES_VERSION on $URL (data: $ES_DATA_DIR, log: $LOGFILE, java: $ES_JAVA_HOME)"
  printf '\n==== %s run.sh start (port %s, data %s) ====\n' "$(date '+%F %T')" "$ES_PORT" "$ES_DATA_DIR" >>"$LOGFILE"
  local t0=$SECONDS
  # -d: the launcher forks the server, waits until it is started, then exits. setsid + redirects
  # detach the server from the caller's session and terminal so make/CI never wait on it.
  ES_JAVA_OPTS="-Dkepu.es.port=$ES_PORT -Dkepu.es.log=$NODE.log ${ES_JAVA_OPTS:-}" setsid "${AS_USER[@]}" "$ES_HOME/bin/elasticsearch" -d -p "$PIDFILE" \
    -Ehttp.port="$ES_PORT" -Epath.data="$ES_DATA_DIR" -Epath.logs="$VAR" \
    </dev/null >>"$LOGFILE" 2>&1 &
  local cli=$!

  local rc=0
  wait_healthy "$START_TIMEOUT" "$cli" || rc=$?
  if [ "$rc" -eq 0 ]; then
    pid="$(current_pid || true)"
    say "up on $URL (pid ${pid:-?}) after $((SECONDS - t0))s"
    return 0
  fi
  if [ "$rc" -eq 2 ]; then
    say "Elasticsearch failed to start (launcher exit code ${LAUNCH_RC:-?}); log of this attempt:" >&2
  else
    say "Elasticsearch did not come up within ${START_TIMEOUT}s; log of this attempt:" >&2
  fi
  log_tail
  kill "$cli" 2>/dev/null || true
  if pid="$(current_pid)"; then kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$PIDFILE"
  die "not started (full log: $LOGFILE)"
}

stop() {
  local pid
  if ! pid="$(current_pid)"; then
    rm -f "$PIDFILE"
    say "not running"
    return 0
  fi
  say "stopping pid $pid"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + STOP_TIMEOUT))
  while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then
    say "still running after ${STOP_TIMEOUT}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  fi
  rm -f "$PIDFILE"
  say "stopped"
}

status() {
  local pid
  if ! pid="$(current_pid)"; then
    say "not running"
    return 3
  fi
  if healthy; then
    local rss
    rss="$(awk '/^VmRSS/ {printf "%d MiB", $2/1024}' "/proc/$pid/status" 2>/dev/null || true)"
    say "up on $URL (pid $pid, Elasticsearch $ES_VERSION, RSS ${rss:-?})"
    curl -fsS -m 5 "$URL/_cluster/health" || true
    echo
    return 0
  fi
  say "process $pid is running but $URL is not healthy (starting, or see $LOGFILE)"
  return 1
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status) status ;;
  build) pick_java; build ;;
  *)
    echo "usage: $0 {start|stop|status|restart|build}" >&2
    exit 2
    ;;
esac
