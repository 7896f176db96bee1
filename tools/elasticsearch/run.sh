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

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
VAR="$ROOT/.var"
BUILDLOG="$VAR/es-build.log"

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

ES_VERSION="$(sed -n 's:.*<elasticsearch.version>\(.*\)</elasticsearch.version>.*:\1:p' "$HERE/pom.xml" | head -n1)"
ES_HOME="$HERE/target/elasticsearch-$ES_VERSION"
PLUGIN_JAR="$ES_HOME/plugins/kepu-engine/kepu-engine.jar"

say() { printf 'search-engine: %s\n' "$*"; }
die() { printf 'search-engine: ERROR: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- java / build

java_major() { # JAVA_HOME -> major version, or nothing
  [ -x "$1/bin/java" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1
}

pick_java() {
  if [ -n "${ES_JAVA_HOME:-}" ]; then
    [ -x "$ES_JAVA_HOME/bin/java" ] || die "ES_JAVA_HOME=$ES_JAVA_HOME has no bin/java"
    return
  fi
  local c m onpath=""
  if command -v java >/dev/null 2>&1; then
    onpath="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
  fi
  # Elasticsearch 8.19 runs on Java 17-24; prefer an LTS.
  for c in "${JAVA_HOME:-}" "$onpath" /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/java-21-openjdk-amd64 /usr/lib/jvm/*; do
    [ -n "$c" ] || continue
    m="$(java_major "$c")"
    if [ -n "$m" ] && [ "$m" -ge 17 ] && [ "$m" -le 24 ]; then
      ES_JAVA_HOME="$c"
      export ES_JAVA_HOME
      return
    fi
  done
  die "no Java 17-24 found (set ES_JAVA_HOME)"
}

needs_build() {
  [ -x "$ES_HOME/bin/elasticsearch" ] || return 0
  [ -f "$PLUGIN_JAR" ] || return 0
  [ -f "$ES_HOME/plugins/kepu-engine/plugin-descriptor.properties" ] || return 0
  [ -z "$(find "$HERE/pom.xml" "$HERE/src" -newer "$PLUGIN_JAR" -print -quit 2>/dev/null)" ] || return 0
  return 1
}

build() {
  command -v mvn >/dev/null 2>&1 || die "Maven (mvn) is needed to build the engine (apt-get install maven)"
  mkdir -p "$VAR"
  local jh="$ES_JAVA_HOME" t0=$SECONDS
  [ -x "$jh/bin/javac" ] || jh="${JAVA_HOME:-}"
  say "building $ES_HOME (Elasticsearch $ES_VERSION + kepu-engine plugin; the first build downloads ~200 MB from Maven Central)"
  : >"$BUILDLOG"
  # Offline first: after one successful build everything is in ~/.m2 and no network is needed.
  if ! (cd "$HERE" && JAVA_HOME="$jh" mvn -B -ntp -Dstyle.color=never -o package >>"$BUILDLOG" 2>&1); then
    echo "--- offline build failed; retrying online ---" >>"$BUILDLOG"
    if ! (cd "$HERE" && JAVA_HOME="$jh" mvn -B -ntp -Dstyle.color=never package >>"$BUILDLOG" 2>&1); then
      tail -n 40 "$BUILDLOG" >&2
      die "build failed (full log: $BUILDLOG)"
    fi
  fi
  needs_build && die "build finished but $PLUGIN_JAR is missing (log: $BUILDLOG)"
  say "built in $((SECONDS - t0))s"
}

# ---------------------------------------------------------------- process helpers

cmdline() { tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null; }

is_our_es() { # pid -> true if it is an Elasticsearch server started from this checkout
  local pid="$1"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  # Any home under the checkout: a node started before the engine moved (search/engine/target)
  # stays manageable through its pid file.
  cmdline "$pid" | grep -qF -- "-Des.path.home=$ROOT/" &&
    cmdline "$pid" | grep -qF -- "org.elasticsearch.bootstrap.Elasticsearch"
}

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
  # No GC log files and no multi-GB heap dumps in .var (the server's working directory).
  sed -i -e '/^\(-\|[0-9-]*:-\)Xlog:gc/d' "$ES_HOME/config/jvm.options"
  mkdir -p "$ES_HOME/config/jvm.options.d"
  cat >"$ES_HOME/config/jvm.options.d/kepu.options" <<OPTS
-Xms$ES_HEAP_MIN
-Xmx$ES_HEAP_MAX
-XX:-AlwaysPreTouch
-XX:-HeapDumpOnOutOfMemoryError
OPTS
  # One plain-text log per port, <repo>/.var/es.log or es-<port>.log (path.logs is <repo>/.var;
  # the name comes from -Dkepu.es.log, es.log for a node started without it).
  cat >"$ES_HOME/config/log4j2.properties" <<'LOG'
status = error
appender.rolling.type = RollingFile
appender.rolling.name = rolling
appender.rolling.fileName = ${sys:es.logs.base_path}${sys:file.separator}${sys:kepu.es.log:-es.log}
appender.rolling.filePattern = ${sys:es.logs.base_path}${sys:file.separator}${sys:kepu.es.log:-es.log}.%i
appender.rolling.layout.type = PatternLayout
appender.rolling.layout.pattern = [%d{ISO8601}][%-5p][%-25c{1.}] [%node_name]%marker %m%n
appender.rolling.policies.type = Policies
appender.rolling.policies.size.type = SizeBasedTriggeringPolicy
appender.rolling.policies.size.size = 32MB
appender.rolling.strategy.type = DefaultRolloverStrategy
appender.rolling.strategy.max = 2
rootLogger.level = info
rootLogger.appenderRef.rolling.ref = rolling

appender.header_warning.type = HeaderWarningAppender
appender.header_warning.name = header_warning
logger.deprecation.name = org.elasticsearch.deprecation
logger.deprecation.level = WARN
logger.deprecation.appenderRef.header_warning.ref = header_warning
logger.deprecation.additivity = false
LOG
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

  # Elasticsearch refuses to run as root. As root, run it in a user namespace where it is an
  # ordinary user (uid 1000 inside = root outside, so files stay root's and the paths need no chown).
  local -a as_user=()
  if [ "$(id -u)" = 0 ]; then
    if unshare --user --map-user=1000 --map-group=1000 true 2>/dev/null; then
      as_user=(unshare --user --map-user=1000 --map-group=1000)
    else
      die "running as root and user namespaces are unavailable (unshare --user); run as a non-root user"
    fi
  fi

  say "starting Elasticsearch $ES_VERSION on $URL (data: $ES_DATA_DIR, log: $LOGFILE, java: $ES_JAVA_HOME)"
  printf '\n==== %s run.sh start (port %s, data %s) ====\n' "$(date '+%F %T')" "$ES_PORT" "$ES_DATA_DIR" >>"$LOGFILE"
  local t0=$SECONDS
  # -d: the launcher forks the server, waits until it is started, then exits. setsid + redirects
  # detach the server from the caller's session and terminal so make/CI never wait on it.
  ES_JAVA_OPTS="-Dkepu.es.port=$ES_PORT -Dkepu.es.log=$NODE.log ${ES_JAVA_OPTS:-}" setsid "${as_user[@]}" "$ES_HOME/bin/elasticsearch" -d -p "$PIDFILE" \
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
