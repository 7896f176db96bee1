#!/usr/bin/env bash
# The production stack on one machine, for a rehearsal (docs/processes.md, "Rehearsal on one machine").
#
#   deploy/rehearsal.sh start    PostgreSQL, Redis, Elasticsearch, then the Procfile under honcho
#                                (gunicorn, run_worker, run_scheduler, search_sync --watch) and nginx
#                                in front; migrates, imports the demo content, prints the URL
#   deploy/rehearsal.sh stop     stop everything it started (data is kept for the next start)
#   deploy/rehearsal.sh status   one line per component
#   deploy/rehearsal.sh clean    stop, then delete the work folder
#
# Everything lives under $REHEARSAL_DIR (default .var/rehearsal/, git-ignored) and listens on
# 127.0.0.1 only. Settings are cms.settings.production, read from $REHEARSAL_DIR/env (also the
# honcho environment file; `set -a; . .var/rehearsal/env; set +a` to run manage.py against it).
# Ports: REHEARSAL_PORT (nginx, 8040), REHEARSAL_WEB_PORT (gunicorn, 8041), REHEARSAL_PG_PORT
# (54341), REHEARSAL_REDIS_PORT (6397), REHEARSAL_ES_PORT (9251, transport +100).
# WECHAT_API_BASE, WECHAT_APP_ID, WECHAT_APP_SECRET, WECHAT_PUBLISH_POLL_DELAYS, WECHAT_RETRY_DELAYS,
# SEARCH_ENGINE_RETRY_SECONDS, TASKS_WORKER_HEARTBEAT_SECONDS, TASKS_WORKER_LOST_AFTER_SECONDS and
# TASKS_MAX_ORPHAN_RECOVERIES are passed through when set (the fault tests use them).
# Root is needed for the PostgreSQL cluster (run as the postgres user) and nginx's workers (www-data).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

WORK="${REHEARSAL_DIR:-$ROOT/.var/rehearsal}"
case "$WORK" in /*) ;; *) WORK="$ROOT/$WORK" ;; esac
PORT="${REHEARSAL_PORT:-8040}"
WEB_PORT="${REHEARSAL_WEB_PORT:-8041}"
PG_PORT="${REHEARSAL_PG_PORT:-54341}"
REDIS_PORT="${REHEARSAL_REDIS_PORT:-6397}"
ES_PORT="${REHEARSAL_ES_PORT:-9251}"
ES_TRANSPORT_PORT="$((ES_PORT + 100))"
PY="$ROOT/.venv/bin/python"
URL="http://127.0.0.1:$PORT"
RUN="$WORK/run"
LOG="$WORK/log"

say() { printf 'rehearsal: %s\n' "$*"; }
die() {
  printf 'rehearsal: ERROR: %s\n' "$*" >&2
  exit 1
}
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
answers() { curl -s -m 2 -o /dev/null "$1"; }
wait_for() { # seconds description command...
  local deadline=$((SECONDS + $1)) what=$2
  shift 2
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.5
  done
  say "$what up"
}

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
as_postgres() { runuser -u postgres -- "$@"; }

# ------------------------------------------------------------------------------------ pieces

check_tools() {
  [ "$(id -u)" = 0 ] || die "run as root (PostgreSQL runs as the postgres user, nginx workers as www-data)"
  local missing=()
  [ -n "$(pg_bin)" ] || missing+=(postgresql)
  command -v nginx >/dev/null || missing+=(nginx-light)
  command -v redis-server >/dev/null || missing+=(redis-server)
  if [ "${#missing[@]}" -gt 0 ]; then
    die "missing Debian packages; install them with: apt-get install -y ${missing[*]}"
  fi
  [ -x "$ROOT/.venv/bin/honcho" ] || die "honcho not installed; run: make prod-rehearsal (installs requirements-ops.txt)"
  [ -x "$ROOT/.venv/bin/gunicorn" ] || die ".venv/bin/gunicorn not found; run: make install"
}

write_env() {
  [ -f "$WORK/secret_key" ] || "$PY" -c 'import secrets; print(secrets.token_urlsafe(50))' >"$WORK/secret_key"
  {
    echo "# Written by deploy/rehearsal.sh on every start."
    echo "DJANGO_SETTINGS_MODULE=cms.settings.production"
    echo "SECRET_KEY=$(cat "$WORK/secret_key")"
    echo "ALLOWED_HOSTS=127.0.0.1,localhost"
    echo "CSRF_TRUSTED_ORIGINS=$URL,http://localhost:$PORT"
    echo "WAGTAILADMIN_BASE_URL=$URL"
    echo "SECURE_SSL_REDIRECT=false"  # plain http on loopback; production terminates TLS in nginx
    echo "DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/kepu"
    echo "DATABASE_CONN_MAX_AGE=${DATABASE_CONN_MAX_AGE:-60}"
    echo "REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0"
    echo "SEARCH_BACKEND=elasticsearch"
    echo "ELASTICSEARCH_URL=http://127.0.0.1:$ES_PORT"
    echo "ELASTICSEARCH_INDEX_PREFIX=kepu_rehearsal_"
    echo "TASKS_BACKEND=django_tasks_db.DatabaseBackend"
    echo "STATIC_ROOT=$WORK/static"
    echo "MEDIA_ROOT=$WORK/media"
    echo "WEB_CONCURRENCY=${WEB_CONCURRENCY:-3}"
    echo "LOG_LEVEL=${LOG_LEVEL:-INFO}"
    echo "PYTHONUNBUFFERED=1"
    echo "REHEARSAL_RUN=$RUN"
    echo "RESTART_SEC=${RESTART_SEC:-2}"
    local name
    for name in WECHAT_API_BASE WECHAT_APP_ID WECHAT_APP_SECRET WECHAT_PUBLISH_POLL_DELAYS \
      WECHAT_RETRY_DELAYS SEARCH_ENGINE_RETRY_SECONDS TASKS_WORKER_HEARTBEAT_SECONDS \
      TASKS_WORKER_LOST_AFTER_SECONDS TASKS_MAX_ORPHAN_RECOVERIES; do
      if [ -n "${!name:-}" ]; then echo "$name=${!name}"; fi
    done
  } >"$WORK/env"
}

load_env() {
  set -a
  # shellcheck disable=SC1091
  . "$WORK/env"
  set +a
  export PATH="$ROOT/.venv/bin:$PATH"
}

pg_start() {
  local bin
  bin="$(pg_bin)"
  if [ ! -f "$WORK/pg/data/PG_VERSION" ]; then
    mkdir -p "$WORK/pg"
    chown postgres:postgres "$WORK/pg"
    as_postgres "$bin/initdb" -D "$WORK/pg/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$LOG/initdb.log"
  fi
  if ! as_postgres "$bin/pg_ctl" -D "$WORK/pg/data" status >/dev/null 2>&1; then
    as_postgres "$bin/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/postgres.log" -w -t 60 \
      -o "-p $PG_PORT -k $WORK/pg -c listen_addresses=127.0.0.1" start >/dev/null
  fi
  if ! as_postgres "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = 'kepu'" | grep -q 1; then
    as_postgres "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE kepu" >/dev/null
  fi
  say "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') up on 127.0.0.1:$PG_PORT (data: $WORK/pg/data)"
}

redis_start() {
  alive "$RUN/redis.pid" && return 0
  # A cache, not a store: no snapshot, so a restart starts empty and every feed is rebuilt
  # (a reloaded snapshot could bring back epochs that changes made during an outage could not move).
  mkdir -p "$WORK/redis"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK/redis" \
    --daemonize yes --pidfile "$RUN/redis.pid" --logfile "$LOG/redis.log"
  wait_for 20 "Redis on 127.0.0.1:$REDIS_PORT" redis-cli -p "$REDIS_PORT" ping >/dev/null ||
    die "Redis did not start; see $LOG/redis.log"
}

es_home() {
  local version
  version="$(sed -n 's:.*<elasticsearch.version>\(.*\)</elasticsearch.version>.*:\1:p' tools/elasticsearch/pom.xml | head -n1)"
  echo "$ROOT/tools/elasticsearch/target/elasticsearch-$version"
}

es_java() { # a JDK 17-24 for Elasticsearch 8 (tools/elasticsearch/run.sh picks the same way)
  local c m onpath=""
  if [ -n "${ES_JAVA_HOME:-}" ]; then echo "$ES_JAVA_HOME" && return 0; fi
  if command -v java >/dev/null 2>&1; then onpath="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"; fi
  for c in "${JAVA_HOME:-}" "$onpath" /usr/lib/jvm/*; do
    [ -n "$c" ] && [ -x "$c/bin/java" ] || continue
    m="$("$c/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1)"
    if [ -n "$m" ] && [ "$m" -ge 17 ] && [ "$m" -le 24 ]; then echo "$c" && return 0; fi
  done
  die "no Java 17-24 found for Elasticsearch (set ES_JAVA_HOME)"
}

es_start() {
  local home conf
  alive "$RUN/es.pid" && answers "http://127.0.0.1:$ES_PORT/" && return 0
  home="$(es_home)"
  if [ ! -x "$home/bin/elasticsearch" ] || [ ! -f "$home/plugins/kepu-engine/kepu-engine.jar" ]; then
    bash tools/elasticsearch/run.sh build
  fi
  # Our own node (own config folder, data, ports), so a development node from tools/elasticsearch/run.sh
  # on 9200 is never the one the fault tests kill.
  conf="$WORK/es/config"
  rm -rf "$conf"
  mkdir -p "$WORK/es/data"
  cp -r "$home/config" "$conf"
  cat >"$conf/elasticsearch.yml" <<YML
# Written by deploy/rehearsal.sh on every start.
cluster.name: kepu-rehearsal
node.name: kepu-rehearsal-1
network.host: 127.0.0.1
http.port: $ES_PORT
transport.port: $ES_TRANSPORT_PORT
discovery.type: single-node
path.data: $WORK/es/data
path.logs: $LOG
xpack.security.enabled: false
cluster.routing.allocation.disk.threshold_enabled: false
YML
  mkdir -p "$conf/jvm.options.d"
  printf '%s\n' "-Xms${ES_HEAP:-512m}" "-Xmx${ES_HEAP:-512m}" -XX:-AlwaysPreTouch -XX:-HeapDumpOnOutOfMemoryError \
    >"$conf/jvm.options.d/kepu.options"
  # Elasticsearch refuses to run as root: run it as uid 1000 in a user namespace (root outside).
  ES_PATH_CONF="$conf" ES_JAVA_HOME="$(es_java)" setsid unshare --user --map-user=1000 --map-group=1000 \
    "$home/bin/elasticsearch" -d -p "$RUN/es.pid" </dev/null >>"$LOG/es-launcher.log" 2>&1 ||
    die "Elasticsearch did not start; see $LOG/es-launcher.log and $LOG/es.log"
  wait_for 180 "Elasticsearch on 127.0.0.1:$ES_PORT" \
    curl -fsS -m 5 -o /dev/null "http://127.0.0.1:$ES_PORT/_cluster/health?wait_for_status=yellow&timeout=2s" ||
    die "Elasticsearch is not healthy; see $LOG/es.log"
}

app_prepare() {
  say "migrate, collectstatic, demo content, search index"
  exec 3>&2 2>>"$LOG/prepare.log"
  "$PY" manage.py migrate --noinput -v0
  "$PY" manage.py collectstatic --noinput -v0
  "$PY" demo/dated.py demo/demo.jsonl "$WORK/demo" >/dev/null
  "$PY" manage.py import_content "$WORK/demo/demo.jsonl" | tail -n 1
  "$PY" manage.py search_reindex | tail -n 1
  "$PY" manage.py ensure_admin >"$WORK/admin.txt"
  exec 2>&3 3>&-
}

procfile_write() {
  # The repository's Procfile, each command under deploy/supervise.sh (Restart=always, as the
  # systemd units) and gunicorn bound to loopback: nginx is the only way in.
  sed -E -e '/^[a-z]+:/!d' \
    -e 's/--bind 0\.0\.0\.0:/--bind 127.0.0.1:/' \
    -e 's#^([a-z]+): (.*)$#\1: exec bash deploy/supervise.sh \1 \2#' \
    Procfile >"$WORK/Procfile"
}

honcho_start() {
  alive "$RUN/honcho.pid" && return 0
  procfile_write
  setsid "$ROOT/.venv/bin/honcho" start -f "$WORK/Procfile" -e "$WORK/env" -d "$ROOT" -p "$WEB_PORT" \
    </dev/null >>"$LOG/honcho.log" 2>&1 &
  echo $! >"$RUN/honcho.pid"
  wait_for 60 "gunicorn on 127.0.0.1:$WEB_PORT" answers "http://127.0.0.1:$WEB_PORT/" ||
    die "gunicorn did not answer; see $LOG/honcho.log"
}

nginx_start() {
  mkdir -p "$WORK/nginx"/{client_body,proxy,fastcgi,uwsgi,scgi}
  chown -R www-data "$WORK/nginx"
  sed -e "s#@WORK@#$WORK#g" -e "s#@WEB_PORT@#$WEB_PORT#g" -e "s#@LISTEN_PORT@#$PORT#g" \
    -e "s#@STATIC_ROOT@#$WORK/static#g" -e "s#@MEDIA_ROOT@#$WORK/media#g" \
    deploy/nginx.conf.template >"$WORK/nginx.conf"
  nginx -q -t -e "$LOG/nginx-error.log" -c "$WORK/nginx.conf" || die "nginx refused $WORK/nginx.conf"
  if alive "$RUN/nginx.pid"; then
    nginx -e "$LOG/nginx-error.log" -c "$WORK/nginx.conf" -s reload
  else
    nginx -e "$LOG/nginx-error.log" -c "$WORK/nginx.conf"
  fi
  wait_for 20 "nginx on $URL" answers "$URL/static/" || die "nginx did not answer; see $LOG/nginx-error.log"
}

# ---------------------------------------------------------------------------------- commands

start() {
  check_tools
  mkdir -p "$WORK" "$RUN" "$LOG"
  write_env
  load_env
  pg_start
  redis_start
  es_start
  app_prepare
  honcho_start
  nginx_start
  local code
  code="$(curl -s -m 30 -o /dev/null -w '%{http_code}' "$URL/")"
  [ "$code" = 200 ] || die "$URL/ answered $code; see $LOG/honcho.log"
  say "科普鄂州 (production settings) is up on $URL/  (admin: $URL/admin/, credentials in $WORK/admin.txt)"
  say "logs in $LOG/; stop with: make prod-rehearsal-stop"
}

stop_pidfile() { # pidfile name seconds
  local pid
  pid="$(cat "$1" 2>/dev/null)" && kill -0 "$pid" 2>/dev/null || {
    rm -f "$1"
    return 0
  }
  kill -CONT "$pid" 2>/dev/null || true # a fault test may have left it stopped
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 $(($3 * 2))); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$1"
  say "$2 stopped"
}

stop() {
  [ -d "$WORK" ] || {
    say "nothing to stop ($WORK does not exist)"
    return 0
  }
  stop_pidfile "$RUN/nginx.pid" nginx 10
  stop_pidfile "$RUN/honcho.pid" "honcho (web, worker, scheduler, search)" 20
  stop_pidfile "$RUN/es.pid" Elasticsearch 30
  if alive "$RUN/redis.pid"; then
    kill -CONT "$(cat "$RUN/redis.pid")" 2>/dev/null || true
    redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
    stop_pidfile "$RUN/redis.pid" Redis 10
  fi
  if [ -f "$WORK/pg/data/PG_VERSION" ] && as_postgres "$(pg_bin)/pg_ctl" -D "$WORK/pg/data" status >/dev/null 2>&1; then
    as_postgres "$(pg_bin)/pg_ctl" -D "$WORK/pg/data" -m fast -w stop >/dev/null && say "PostgreSQL stopped"
  fi
}

status() {
  line() { printf '  %-28s %s\n' "$1" "$2"; }
  state() { if "$@" >/dev/null 2>&1; then echo up; else echo down; fi; }
  line "PostgreSQL :$PG_PORT" "$(state as_postgres "$(pg_bin)/pg_ctl" -D "$WORK/pg/data" status)"
  line "Redis :$REDIS_PORT" "$(state redis-cli -p "$REDIS_PORT" ping)"
  line "Elasticsearch :$ES_PORT" "$(state curl -fsS -m 3 "http://127.0.0.1:$ES_PORT/")"
  line "honcho (Procfile)" "$(state alive "$RUN/honcho.pid")"
  line "gunicorn :$WEB_PORT" "$(state curl -fsS -m 5 -o /dev/null "http://127.0.0.1:$WEB_PORT/")"
  line "nginx :$PORT" "$(state curl -fsS -m 5 -o /dev/null "$URL/")"
  curl -fsS -m 5 -o /dev/null "$URL/"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  es-start | redis-start) # one service again after a fault test stopped it (bench/faults)
    load_env
    "${1%-start}_start"
    ;;
  clean)
    stop
    rm -rf "$WORK"
    say "removed $WORK"
    ;;
  *)
    sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
