#!/usr/bin/env bash
# Restart=always for honcho (deploy/rehearsal.sh): run the command, and run it again RESTART_SEC
# seconds after it exits, like the systemd units in docs/processes.md. The running child's pid is
# written to $REHEARSAL_RUN/<name>.pid so fault tests can kill exactly that process.
#   supervise.sh NAME COMMAND [ARGS...]
set -uo pipefail
name=$1
shift
pidfile="${REHEARSAL_RUN:?}/$name.pid"
child=""
# honcho stops a process with SIGTERM to its process group; pass it on and stop restarting.
trap '[ -n "$child" ] && kill -TERM "$child" 2>/dev/null; wait "$child" 2>/dev/null; rm -f "$pidfile"; exit 0' TERM INT
while true; do
  "$@" &
  child=$!
  echo "$child" >"$pidfile"
  wait "$child"
  status=$?
  echo "supervise: $name (pid $child) exited with status $status; restarting in ${RESTART_SEC:-2} s" >&2
  sleep "${RESTART_SEC:-2}"
done
