#!/usr/bin/env bash
# Run a command with the local Elasticsearch node up: start it if it is not running (and stop
# it again afterwards), export ELASTICSEARCH_URL, and pass the command's exit status through.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ES_PORT="${ES_PORT:-9200}"
export ELASTICSEARCH_URL="${ELASTICSEARCH_URL:-http://127.0.0.1:$ES_PORT}"

started=0
# A healthy node already answering on the port (this checkout's or another's) is used as is.
if ! curl -fsS -m 5 "$ELASTICSEARCH_URL/_cluster/health?wait_for_status=yellow&timeout=2s" >/dev/null 2>&1; then
  bash "$HERE/run.sh" start || exit 1
  started=1
fi
"$@"
status=$?
if [ "$started" = 1 ]; then
  bash "$HERE/run.sh" stop || true
fi
exit $status
