#!/usr/bin/env bash
# Run a command against the local secured cluster (cluster.sh): start it if no node of it is
# running (and stop it again afterwards), load .var/es-cluster.env (ELASTICSEARCH_URLS, _API_KEY,
# _CA_CERTS, ...), and pass the command's exit status through. For CI and the cluster tests.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ENVFILE="$HERE/../../.var/es-cluster.env"

started=0
# status: 0 green/yellow, 1 running but unhealthy, 3 not running. A running cluster is used as is
# (start is idempotent and refreshes the env file and the API key).
bash "$HERE/cluster.sh" status >/dev/null 2>&1
case $? in 3) started=1 ;; esac
bash "$HERE/cluster.sh" start || exit 1
# shellcheck source=/dev/null
. "$ENVFILE"
"$@"
status=$?
if [ "$started" = 1 ]; then
  bash "$HERE/cluster.sh" stop || true
fi
exit $status
