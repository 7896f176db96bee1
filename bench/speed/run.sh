#!/usr/bin/env bash
# Speed benchmark at 1k and 50k synthetic items: reindex throughput and API latency on both
# backends (real Elasticsearch node, gunicorn on loopback). Slow: generating 50k pages takes
# ~20 minutes the first time (kept in .var/bench-50k.sqlite3 for later runs).
#   bash bench/speed/run.sh            # both sizes
#   SIZES=1000 bash bench/speed/run.sh # one size
#   LATENCY_ONLY=1 SIZES=50000 bash bench/speed/run.sh   # reuse generated data and indexes
set -euo pipefail
cd "$(dirname "$0")/../.."
SIZES="${SIZES:-1000 50000}"
PORT="${BENCH_PORT:-8766}"
export LOG_LEVEL=WARNING DJANGO_SETTINGS_MODULE=cms.settings.dev DEBUG=0 ALLOWED_HOSTS=127.0.0.1
PY=.venv/bin/python

run_size() {
  local n=$1 db=".var/bench-$1.sqlite3" prefix="kepu_speed_$1_"
  export DATABASE_URL="sqlite:///$db" ELASTICSEARCH_INDEX_PREFIX="$prefix"
  if [ ! -f "$db" ]; then
    $PY manage.py migrate --noinput -v0
  fi
  if [ -z "${LATENCY_ONLY:-}" ]; then
    $PY bench/speed/generate.py "$n" | tail -n 1
    echo "== $n items: reindex (documents + database index + Elasticsearch index) =="
    SEARCH_BACKEND=elasticsearch $PY manage.py search_reindex
    echo "== $n items: indexes only (update_index path, documents already analysed) =="
    SEARCH_BACKEND=elasticsearch $PY manage.py search_reindex --skip-documents
  fi
  for backend in elasticsearch database; do
    SEARCH_BACKEND=$backend .venv/bin/gunicorn cms.wsgi:application --bind "127.0.0.1:$PORT" --workers 2 \
      --log-level warning --pid .var/bench-gunicorn.pid --daemon
    for _ in $(seq 1 150); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/api/v1/search/suggest/?q=" && break; sleep 0.2; done
    echo "== $n items: API latency, SEARCH_BACKEND=$backend =="
    $PY bench/speed/latency.py "http://127.0.0.1:$PORT" --requests 300 || true
    local pid
    pid="$(cat .var/bench-gunicorn.pid)"
    kill "$pid"
    # Wait for the master itself to exit (it closes the port before its workers finish), or the
    # next gunicorn finds its pid file and refuses to start.
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  done
}

bash tools/elasticsearch/run.sh start
for n in $SIZES; do run_size "$n"; done
