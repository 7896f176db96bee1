#!/usr/bin/env bash
# Portal under a surge (issue 13): a throwaway SQLite database with the demo content plus N synthetic
# items (default 50,000), Redis as the shared cache, gunicorn with production settings
# (bench/screens/settings.py: production + a plain "ceiling" view), wrk from Debian.
#   wrk, interleaved rounds: the ceiling view, home, /articles/, /audiences/elderly/, an article,
#        /feeds/rss.xml — warm (the page cache filled by the warm-up)
#   surge.py: many clients on home and an article while another process publishes a red warning
#   cold.py:  in-process cold renders (no page cache) with query counts
# Results: one JSON line per phase in $BENCH_OUT (default .var/bench-portal.jsonl).
#   bash bench/portal/run.sh
#   BENCH_ITEMS=5000 BENCH_ROUNDS=2 bash bench/portal/run.sh     # smaller and shorter
set -euo pipefail
cd "$(dirname "$0")/../.."

PY=.venv/bin/python
PORT="${BENCH_PORT:-8768}"
REDIS_PORT="${BENCH_REDIS_PORT:-6392}"
WORKERS="${BENCH_WORKERS:-2}"
ITEMS="${BENCH_ITEMS:-50000}"
ROUNDS="${BENCH_ROUNDS:-3}"
DURATION="${BENCH_DURATION:-6}"
CONNECTIONS="${BENCH_CONNECTIONS:-8}"
SURGE_CLIENTS="${SURGE_CLIENTS:-32}"
OUT="${BENCH_OUT:-.var/bench-portal.jsonl}"
BASE="http://127.0.0.1:$PORT"

fail() {
  echo "bench-portal: $*" >&2
  exit 1
}
for tool in redis-server:redis-server redis-cli:redis-tools wrk:wrk curl:curl; do
  command -v "${tool%%:*}" >/dev/null || fail "${tool%%:*} not found; install it with: sudo apt-get install ${tool##*:}"
done
[ -x .venv/bin/gunicorn ] || fail ".venv/bin/gunicorn not found; run: make install"
if curl -s -o /dev/null "$BASE/"; then fail "port $PORT is in use; set BENCH_PORT"; fi
if redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then fail "port $REDIS_PORT is in use; set BENCH_REDIS_PORT"; fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/bench-portal.XXXXXX")"
GUNICORN_PID=""
REDIS_PID=""
cleanup() {
  local status=$?
  for pid in "$GUNICORN_PID" "$REDIS_PID"; do
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  if [ "$status" -ne 0 ]; then
    echo "bench-portal: failed (exit $status); logs kept in $WORK" >&2
  elif [ -z "${BENCH_KEEP:-}" ]; then
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export DJANGO_SETTINGS_MODULE=bench.screens.settings
export DATABASE_URL="sqlite:///$WORK/db.sqlite3" MEDIA_ROOT="$WORK/media" STATIC_ROOT="$WORK/static"
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
export SECRET_KEY="bench-portal-only" ALLOWED_HOSTS=127.0.0.1 LOG_LEVEL=WARNING SEARCH_BACKEND=database
export TASKS_BACKEND=django_tasks_db.DatabaseBackend
mkdir -p "$(dirname "$OUT")" "$WORK/static" && : >"$OUT"
loadavg() { cut -d' ' -f1-3 /proc/loadavg | tr ' ' ','; }

echo "{\"phase\":\"machine\",\"cores\":$(nproc),\"python\":\"$($PY -V 2>&1)\",\"loadavg_before\":[$(loadavg)],\"gunicorn\":\"$WORKERS sync workers\",\"items\":$ITEMS,\"started\":\"$(date -u +%FT%TZ)\"}" | tee -a "$OUT"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" \
  --logfile "$WORK/redis.log" &
REDIS_PID=$!
for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 || fail "Redis did not start; see $WORK/redis.log"

echo "== Throwaway database: migrate, demo content, $ITEMS synthetic items =="
$PY manage.py migrate --noinput -v0
$PY manage.py import_content demo/demo.jsonl >/dev/null
$PY bench/speed/generate.py "$ITEMS" --tail-topics 300 --covers 0.5 | tail -n 1
ARTICLE="$($PY manage.py shell -c "from content.models import ArticlePage; print(ArticlePage.objects.live().filter(slug__startswith='synthetic-').order_by('-pk').first().url)" | tail -n 1)"
[ -n "$ARTICLE" ] || fail "no synthetic article found"

echo "== gunicorn: $WORKERS sync workers on $BASE =="
.venv/bin/gunicorn cms.wsgi:application --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
  --log-level warning --error-logfile "$WORK/gunicorn.log" &
GUNICORN_PID=$!
for _ in $(seq 1 150); do curl -sf -o /dev/null "$BASE/bench/ceiling" && break; sleep 0.2; done
curl -sf -o /dev/null "$BASE/bench/ceiling" || fail "gunicorn did not answer; see $WORK/gunicorn.log"

PAGES=(/bench/ceiling / /articles/ /audiences/elderly/ "$ARTICLE" /feeds/rss.xml)
for path in "${PAGES[@]}"; do  # warm-up: fills the page cache and renditions; discarded
  wrk -t1 -c"$CONNECTIONS" -d2s -s bench/portal/pages.lua "$BASE" -- "$path" >/dev/null
done
echo "== wrk: $ROUNDS rounds × ${#PAGES[@]} pages × ${DURATION}s, $CONNECTIONS connections =="
for round in $(seq 1 "$ROUNDS"); do
  for path in "${PAGES[@]}"; do
    line="$(wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s -s bench/portal/pages.lua "$BASE" -- "$path" | grep '^{' | tail -n 1)" ||
      fail "wrk $path printed no result"
    echo "{\"phase\":\"wrk\",\"path\":\"$path\",\"round\":$round,\"loadavg\":[$(loadavg)],${line#\{}" | tee -a "$OUT"
  done
done

echo "== Surge: $SURGE_CLIENTS clients on / and $ARTICLE; a red warning imported by another process =="
$PY bench/portal/surge.py "$BASE" "$ARTICLE" --clients "$SURGE_CLIENTS" | tee -a "$OUT"

if [ -f bench/portal/cold.py ]; then
  echo "== Cold renders in-process (no page cache) =="
  $PY bench/portal/cold.py | tee "$WORK/cold.txt" || echo "bench-portal: cold.py failed" >&2
fi

if grep -qiE "error|exception" "$WORK/gunicorn.log"; then
  echo "bench-portal: gunicorn logged errors:" >&2
  grep -iE -m 5 "error|exception" "$WORK/gunicorn.log" >&2
fi
echo
echo "== Summary =="
$PY bench/portal/report.py "$OUT"
echo "(raw results: $OUT)"
