#!/usr/bin/env bash
# Screen feed benchmark (GET /api/v1/screens/<id>/feed): throwaway SQLite database with the demo
# content and 1,000 screens, Redis as the shared cache, gunicorn on loopback with production
# settings (bench/screens/settings.py). Measures, in one run:
#   wrk: (a) a plain Django "ceiling" view, (b) the feed's 304 path, (c) the feed's 200 path (warm)
#   client.py: 1,000 screens polling every 30 s, an EmergencyPage published mid-run (propagation),
#              then the cold rebuild cost (a 200 right after the playlist epoch moved)
# Results: one JSON line per phase in $BENCH_OUT (default .var/bench-screens.jsonl) and a summary.
#   bash bench/screens/run.sh
#   BENCH_WORKERS=3 BENCH_THREADS=1 bash bench/screens/run.sh    # another gunicorn layout
#   BENCH_ROUNDS=2 POLL_MEASURE=30 bash bench/screens/run.sh     # shorter run
# The machine is shared: the three wrk runs are interleaved in rounds so background load hits
# all three alike, and the load average is recorded with every phase.
set -euo pipefail
cd "$(dirname "$0")/../.."

PY=.venv/bin/python
PORT="${BENCH_PORT:-8767}"
REDIS_PORT="${BENCH_REDIS_PORT:-6391}"
WORKERS="${BENCH_WORKERS:-2}"
THREADS="${BENCH_THREADS:-4}"
SCREENS="${BENCH_SCREENS:-1000}"
ROUNDS="${BENCH_ROUNDS:-4}"             # wrk rounds: ceiling, 304, 200 in turn
DURATION="${BENCH_DURATION:-6}"         # seconds per wrk run (so 24 s per mode by default)
CONNECTIONS="${BENCH_CONNECTIONS:-8}"   # wrk connections (keep-alive): one per gunicorn thread
INTERVAL="${POLL_INTERVAL:-30}"         # seconds between a screen's polls
MEASURE="${POLL_MEASURE:-60}"           # seconds of steady polling before the emergency is published
DISTRICT="${POLL_DISTRICT:-echeng}"
OUT="${BENCH_OUT:-.var/bench-screens.jsonl}"
BASE="http://127.0.0.1:$PORT"

fail() {
  echo "bench-screens: $*" >&2
  exit 1
}
for tool in redis-server:redis-server redis-cli:redis-tools wrk:wrk curl:curl; do
  command -v "${tool%%:*}" >/dev/null || fail "${tool%%:*} not found; install it with: sudo apt-get install ${tool##*:}"
done
[ -x .venv/bin/gunicorn ] || fail ".venv/bin/gunicorn not found; run: make install"
if curl -s -o /dev/null "$BASE/"; then fail "port $PORT is in use; set BENCH_PORT"; fi
if redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then fail "port $REDIS_PORT is in use; set BENCH_REDIS_PORT"; fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/bench-screens.XXXXXX")"
GUNICORN_PID=""
REDIS_PID=""
cleanup() {
  local status=$?
  if [ -n "$GUNICORN_PID" ] && kill -0 "$GUNICORN_PID" 2>/dev/null; then
    kill "$GUNICORN_PID" 2>/dev/null || true
    wait "$GUNICORN_PID" 2>/dev/null || true
  fi
  if [ -n "$REDIS_PID" ] && kill -0 "$REDIS_PID" 2>/dev/null; then
    kill "$REDIS_PID" 2>/dev/null || true
    wait "$REDIS_PID" 2>/dev/null || true
  fi
  if [ "$status" -ne 0 ]; then
    echo "bench-screens: failed (exit $status); logs kept in $WORK" >&2
  elif [ -z "${BENCH_KEEP:-}" ]; then
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export DJANGO_SETTINGS_MODULE=bench.screens.settings
export DATABASE_URL="sqlite:///$WORK/db.sqlite3" MEDIA_ROOT="$WORK/media" STATIC_ROOT="$WORK/static"
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
export SECRET_KEY="bench-screens-only" ALLOWED_HOSTS=127.0.0.1 LOG_LEVEL=WARNING SEARCH_BACKEND=database
export TASKS_BACKEND=django_tasks_db.DatabaseBackend  # production refuses the immediate backend
mkdir -p "$(dirname "$OUT")" "$WORK/static" && : >"$OUT"

echo "{\"phase\":\"machine\",\"cores\":$(nproc),\"python\":\"$($PY -V 2>&1)\",\"loadavg_before\":[$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' ',')],\"gunicorn\":\"$WORKERS workers x $THREADS threads (gthread)\",\"started\":\"$(date -u +%FT%TZ)\"}" >>"$OUT"
echo "== Redis on 127.0.0.1:$REDIS_PORT (shared cache: playlist epoch, feeds, auth) =="
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" \
  --logfile "$WORK/redis.log" &
REDIS_PID=$!
for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 || fail "Redis did not start; see $WORK/redis.log"

echo "== Throwaway database $WORK/db.sqlite3: migrate, demo content, $SCREENS screens =="
$PY manage.py migrate --noinput -v0
$PY manage.py import_content demo/demo.jsonl
$PY bench/screens/setup_screens.py "$WORK/screens.tsv" "$SCREENS"

echo "== gunicorn: $WORKERS workers × $THREADS threads (gthread) on $BASE =="
.venv/bin/gunicorn cms.wsgi:application --bind "127.0.0.1:$PORT" --workers "$WORKERS" --threads "$THREADS" \
  --worker-class gthread --log-level warning --error-logfile "$WORK/gunicorn.log" &
GUNICORN_PID=$!
for _ in $(seq 1 150); do curl -sf -o /dev/null "$BASE/bench/ceiling" && break; sleep 0.2; done
curl -sf -o /dev/null "$BASE/bench/ceiling" || fail "gunicorn did not answer; see $WORK/gunicorn.log"

echo "== Warm-up: first build of all $SCREENS feeds (renditions made once), ETags saved =="
$PY bench/screens/client.py warm "$BASE" "$WORK/screens.tsv" "$WORK/screens-etags.tsv" | tee -a "$OUT"

loadavg() { cut -d' ' -f1-3 /proc/loadavg | tr ' ' ','; }
run_wrk() {  # mode round: mode is ceiling | 304 | 200
  local mode=$1 round=$2 line
  wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s -s bench/screens/feed.lua "$BASE" \
    -- "$mode" "$WORK/screens-etags.tsv" >"$WORK/wrk-$mode-$round.txt"
  line="$(grep '^{' "$WORK/wrk-$mode-$round.txt" | tail -n 1)" ||
    fail "wrk $mode printed no result; see $WORK/wrk-$mode-$round.txt"
  echo "{\"phase\":\"wrk-$mode\",\"round\":$round,\"connections\":$CONNECTIONS,\"loadavg\":[$(loadavg)],${line#\{}" |
    tee -a "$OUT"
}
echo "== wrk: $ROUNDS rounds × (ceiling, 304, 200) × ${DURATION}s, $CONNECTIONS connections =="
for mode in ceiling 304 200; do  # warm-up, discarded
  wrk -t1 -c"$CONNECTIONS" -d2s -s bench/screens/feed.lua "$BASE" -- "$mode" "$WORK/screens-etags.tsv" >/dev/null
done
for round in $(seq 1 "$ROUNDS"); do
  for mode in ceiling 304 200; do run_wrk "$mode" "$round"; done
done

echo "== $SCREENS screens polling every ${INTERVAL}s; emergency for $DISTRICT published after ${MEASURE}s =="
$PY bench/screens/client.py poll "$BASE" "$WORK/screens-etags.tsv" --interval "$INTERVAL" --measure "$MEASURE" \
  --publish "$DISTRICT" | tee -a "$OUT"

echo "== Cold rebuild: a 200 right after the playlist epoch moved (sequential) =="
$PY bench/screens/client.py cold "$BASE" "$WORK/screens.tsv" --n "${COLD_SAMPLE:-100}" | tee -a "$OUT"

if grep -qiE "error|exception" "$WORK/gunicorn.log"; then
  echo "bench-screens: gunicorn logged errors:" >&2
  grep -iE -m 5 "error|exception" "$WORK/gunicorn.log" >&2
fi

echo
echo "== Summary ($(nproc) cores, $($PY -V), gunicorn $WORKERS×$THREADS gthread, Redis cache, SQLite) =="
$PY bench/screens/client.py report "$OUT"
echo "(raw results: $OUT)"
