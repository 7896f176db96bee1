#!/usr/bin/env bash
# Run a command with the local Elasticsearch node up: start it if it is not running (and stop
# it again afterwards), export ELASTICSEARCH_URL, and pass the command's exit status through.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ES_PORT="${ES_PORT:-9200}"
export ELASTICSEARCH_URL="${ELASTICSEARCH_URL:-http://127.0.0.1:$ES_PORT}"

started=0
if ! bash "$HERE/run.sh" status >/dev/null 2>&1; then
  bash "$HERE/run.sh" start || exit 1
  started=1
fi
"$@"
status=$?
if [ "$started" = 1 ]; then
  bash "$HERE/run.sh" stop || true
fi
exit $status
