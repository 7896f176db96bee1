#!/usr/bin/env bash
# Relevance benchmark: a throwaway SQLite database with the demo content, a real Elasticsearch
# node (started if needed), ours vs stock search on both backends. Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/../.."
DB=.var/bench-relevance.sqlite3
mkdir -p .var && rm -f "$DB"
export DATABASE_URL="sqlite:///$DB" LOG_LEVEL=WARNING
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py import_content demo/demo.jsonl
export BENCH_ES_URL="${ELASTICSEARCH_URL:-http://127.0.0.1:${ES_PORT:-9200}}"
bash tools/elasticsearch/with-engine.sh .venv/bin/python bench/relevance/evaluate.py --json .var/bench-relevance.json "$@"
