#!/usr/bin/env bash
# The test suite's wall time: serial against parallel, back to back on one checkout (issue 17).
#
#   bash bench/tests/suite_speed.sh [FLAGS ...]
#
# Each FLAGS argument is one run's pytest flags ("-n0" is the serial baseline; default: serial,
# then -n 2 and -n 3 with the flags `make test` uses). Needs `make install-test` and the
# Elasticsearch node (tools/elasticsearch/run.sh start); runs with CI=true, so nothing skips.
# Prints one Markdown row per run: wall time, CPU seconds, CPU use, load average, pytest's summary.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

if [ "$#" -eq 0 ]; then
  set -- "-n0" "-n 2 --dist loadgroup --no-loadscope-reorder" "-n 3 --dist loadgroup --no-loadscope-reorder"
fi

echo "| flags | wall | CPU (user+sys) | CPU use | load avg at start | result |"
echo "| --- | --- | --- | --- | --- | --- |"
for flags in "$@"; do
  load="$(cut -d' ' -f1 /proc/loadavg)"
  out="$(mktemp)"
  # shellcheck disable=SC2086  # the flags are words
  CI=true /usr/bin/time -f 'TIME %e %U %S %P' .venv/bin/python -m pytest -q -p no:cacheprovider $flags \
    >"$out" 2>&1 || true
  read -r _ wall user sys pct < <(grep '^TIME ' "$out" | tail -n1)
  summary="$(grep -E '(passed|failed|error)' "$out" | tail -n1 | tr -d '=' | sed 's/^ *//; s/ *$//')"
  cpu="$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')"
  printf '| `%s` | %d:%02d | %.0f s | %s | %s | %s |\n' \
    "$flags" "$((${wall%.*} / 60))" "$((${wall%.*} % 60))" "$cpu" "$pct" "$load" "$summary"
  rm -f "$out"
done
