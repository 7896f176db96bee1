#!/usr/bin/env bash
# Fault tests on the production stack on one machine (deploy/rehearsal.sh, docs/benchmarks.md "Faults").
# Restarts the rehearsal stack with a local fake WeChat API, drives a bounded load over loopback
# through nginx while injecting one fault at a time (bench/faults/client.py), and prints a table.
#   bash bench/faults/run.sh                      # all faults (≈6 min after the stack is up)
#   FAULTS=redis-kill,pg-restart bash bench/faults/run.sh
# Results: one JSON line per fault in $BENCH_OUT (default .var/bench-faults.jsonl). The stack is
# left running (make prod-rehearsal-stop) so its logs in .var/rehearsal/log/ can be read.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT="${BENCH_OUT:-.var/bench-faults.jsonl}"
mkdir -p "$(dirname "$OUT")"
echo "== bench-faults: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ) =="
.venv/bin/python bench/faults/client.py run "$OUT"
echo
echo "== Faults (requests through nginx; failed = 5xx or no answer) =="
.venv/bin/python bench/faults/client.py report "$OUT"
echo "(raw results: $OUT)"
