#!/usr/bin/env bash
# A local, secured Elasticsearch 8 cluster (TLS on HTTP and transport, users, an API key) from the
# same distribution as run.sh, to rehearse production and node loss.  See tools/elasticsearch/README.md
# and docs/search.md ("A secured cluster").
#
#   tools/elasticsearch/cluster.sh start          build if needed; certificates, superuser and API key
#                                                 on first start; start every node; wait for the cluster;
#                                                 write .var/es-cluster.env (the site's variables)
#   tools/elasticsearch/cluster.sh stop           stop every node
#   tools/elasticsearch/cluster.sh node-stop N    stop node N only (rehearse a node loss)
#   tools/elasticsearch/cluster.sh node-start N   start node N again and wait until it has rejoined
#   tools/elasticsearch/cluster.sh status         nodes, and the cluster health read with the API key
#                                                 (exit 0 green/yellow, 1 red or not answering, 3 not running)
#
# Layout (ES_CLUSTER_NODES, default 3): nodes 1..N-1 hold data and are master-eligible; with 3 or
# more nodes the last one is a dedicated master node (no data), so that the cluster keeps a voting
# majority (2 of 3) when either data node is lost. With 2 nodes both hold data, but Elasticsearch
# keeps only one of them in the voting configuration (an odd number): losing that one leaves no
# master (no writes, no health); which of the two it is, the cluster decides.
#
# Environment: ES_CLUSTER_NODES (3), ES_CLUSTER_NAME (kepu-cluster), ES_CLUSTER_HTTP_PORT (9401: node N
# on 9400+N), ES_CLUSTER_TRANSPORT_PORT (9501), ES_CLUSTER_HEAP (512m per node),
# ES_CLUSTER_INDEX_PATTERN (kepu_*: what the API key may touch), ES_START_TIMEOUT (240),
# ES_CLUSTER_FAST_JIT (1: C1 JIT only, see write_node_config; 0 for the JVM's default),
# ES_STOP_TIMEOUT (30), ES_JAVA_HOME.
set -euo pipefail

SAY_PREFIX=search-cluster
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CLUSTER_NAME="${ES_CLUSTER_NAME:-kepu-cluster}"
NODES="${ES_CLUSTER_NODES:-3}"
HTTP_BASE="${ES_CLUSTER_HTTP_PORT:-9401}"
TRANSPORT_BASE="${ES_CLUSTER_TRANSPORT_PORT:-9501}"
HEAP="${ES_CLUSTER_HEAP:-512m}"
FAST_JIT="${ES_CLUSTER_FAST_JIT:-1}"
INDEX_PATTERN="${ES_CLUSTER_INDEX_PATTERN:-kepu_*}"
START_TIMEOUT="${ES_START_TIMEOUT:-240}"
STOP_TIMEOUT="${ES_STOP_TIMEOUT:-30}"

DIR="$VAR/es-cluster"
CERTS="$DIR/certs"
CA="$CERTS/ca/ca.crt"
REALM="$DIR/realm"                   # file-realm users and users_roles, copied to every node
ADMIN_USER="kepu_admin"              # superuser of the file realm (password in ADMIN_PASSWORD_FILE)
ADMIN_PASSWORD_FILE="$DIR/admin.password"
API_KEY_FILE="$DIR/api-key"          # "<id> <encoded>" of the application's key
API_KEY_NAME="kepu-app"
BOOTSTRAPPED="$DIR/bootstrapped"     # the cluster has formed once: no cluster.initial_master_nodes
ENVFILE="$VAR/es-cluster.env"

case "$NODES" in '' | *[!0-9]*) die "ES_CLUSTER_NODES must be a number (got '$NODES')" ;; esac
[ "$NODES" -ge 2 ] || die "ES_CLUSTER_NODES must be at least 2"

# ---------------------------------------------------------------- layout

node_dir() { echo "$DIR/node-$1"; }
node_name() { echo "$CLUSTER_NAME-$1"; }
http_port() { echo $((HTTP_BASE + $1 - 1)); }
transport_port() { echo $((TRANSPORT_BASE + $1 - 1)); }
node_url() { echo "https://127.0.0.1:$(http_port "$1")"; }
holds_data() { [ "$NODES" -lt 3 ] || [ "$1" -lt "$NODES" ]; }
node_role() { if holds_data "$1"; then echo "data+master"; else echo "master only"; fi; }
all_nodes() { seq 1 "$NODES"; }

check_node() {
  case "${1:-}" in '' | *[!0-9]*) die "give a node number 1..$NODES (e.g. N=2)" ;; esac
  [ "$1" -ge 1 ] && [ "$1" -le "$NODES" ] || die "no node $1 (nodes 1..$NODES)"
}

data_urls() { # comma-separated HTTPS URLs of the data nodes: clients talk to those
  local n out=""
  for n in $(all_nodes); do holds_data "$n" && out="$out${out:+,}$(node_url "$n")"; done
  echo "$out"
}

# ---------------------------------------------------------------- processes

node_pid() { # N -> pid of node N if it is running
  local n="$1" pid="" f
  f="$(node_dir "$n")/es.pid"
  [ -f "$f" ] && pid="$(tr -dc '0-9' <"$f")"
  if [ -n "$pid" ] && is_our_es "$pid" && cmdline "$pid" | grep -qF -- "-Dkepu.es.cluster.node=$(node_name "$n") "; then
    echo "$pid"; return 0
  fi
  # pid file lost: the server's command line names the node (-Dkepu.es.cluster.node, set by launch).
  for pid in $(pgrep -f -- "-Dkepu.es.cluster.node=$(node_name "$n") " 2>/dev/null || true); do
    if is_our_es "$pid"; then echo "$pid"; return 0; fi
  done
  return 1
}

running_nodes() { local n; for n in $(all_nodes); do node_pid "$n" >/dev/null && echo "$n"; done; return 0; }

# ---------------------------------------------------------------- HTTP (secrets never on a command line)

# The superuser's password and the API key reach curl through a config on a file descriptor
# (printf is a builtin), so they never appear in `ps`, in logs or on the terminal.
admin_curl() { # node path [curl args...]
  local n="$1" path="$2"
  shift 2
  curl -sS -m 15 --cacert "$CA" -K <(printf 'user = "%s:%s"\n' "$ADMIN_USER" "$(<"$ADMIN_PASSWORD_FILE")") "$@" "$(node_url "$n")$path"
}

key_curl() { # node encoded-key path [curl args...]
  local n="$1" key="$2" path="$3"
  shift 3
  curl -sS -m 15 --cacert "$CA" -K <(printf 'header = "Authorization: ApiKey %s"\n' "$key") "$@" "$(node_url "$n")$path"
}

first_up() { # a running node answering HTTPS, data nodes first
  local n
  for n in $(running_nodes); do
    if holds_data "$n" && curl -s -m 3 -o /dev/null --cacert "$CA" "$(node_url "$n")/" 2>/dev/null; then echo "$n"; return 0; fi
  done
  for n in $(running_nodes); do
    if curl -s -m 3 -o /dev/null --cacert "$CA" "$(node_url "$n")/" 2>/dev/null; then echo "$n"; return 0; fi
  done
  return 1
}

json_field() { sed -n "s/.*\"$1\":\"\\{0,1\\}\\([^\",}]*\\).*/\\1/p" | head -n1; } # flat JSON -> value of $1

# ---------------------------------------------------------------- certificates, superuser, config

tool() { # run one of the distribution's CLI tools (bin/elasticsearch-*) with a scratch config dir
  local name="$1"
  shift
  ES_PATH_CONF="$DIR/tool-config" CLI_JAVA_OPTS="-XX:TieredStopAtLevel=1 ${CLI_JAVA_OPTS:-}" "$ES_HOME/bin/elasticsearch-$name" "$@"
}

unzip_to() { # zip dir
  if command -v unzip >/dev/null 2>&1; then unzip -q -o "$1" -d "$2"; else python3 -m zipfile -e "$1" "$2"; fi
}

ensure_certs() {
  # A CA and one certificate per node (IP 127.0.0.1, DNS localhost), PEM, valid 10 years. Made once;
  # a node added later (ES_CLUSTER_NODES up) gets its certificate from the same CA.
  local n missing=() tmp="$DIR/certs.tmp"
  for n in $(all_nodes); do
    # a new CA invalidates every node certificate
    [ -f "$CA" ] && [ -f "$CERTS/node-$n/node-$n.crt" ] || missing+=("$n")
  done
  [ -f "$CA" ] && [ "${#missing[@]}" -eq 0 ] && return 0
  rm -rf "$tmp"
  mkdir -p "$tmp" "$CERTS"
  if [ ! -f "$CA" ]; then
    say "generating a certificate authority ($CA)"
    tool certutil ca --pem --silent --days 3650 --out "$tmp/ca.zip" >/dev/null
    unzip_to "$tmp/ca.zip" "$CERTS"
  fi
  {
    echo "instances:"
    for n in "${missing[@]}"; do printf '  - name: node-%s\n    ip: ["127.0.0.1"]\n    dns: ["localhost"]\n' "$n"; done
  } >"$tmp/instances.yml"
  say "generating node certificates for node(s) ${missing[*]}"
  tool certutil cert --pem --silent --days 3650 --ca-cert "$CA" --ca-key "$CERTS/ca/ca.key" \
    --in "$tmp/instances.yml" --out "$tmp/nodes.zip" >/dev/null
  unzip_to "$tmp/nodes.zip" "$CERTS"
  find "$CERTS" -name '*.key' -exec chmod 600 {} +
  rm -rf "$tmp"
}

ensure_superuser() {
  # A file-realm superuser (same users file on every node): it works before the .security index
  # exists and whatever happens to it. The password is random and only ever written to a 0600 file.
  [ -s "$ADMIN_PASSWORD_FILE" ] && [ -s "$REALM/users" ] && [ -s "$REALM/users_roles" ] && return 0
  say "creating the superuser $ADMIN_USER (password in $ADMIN_PASSWORD_FILE)"
  local pw
  pw="$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
  pw="${pw:0:24}"
  (umask 077 && printf '%s\n' "$pw" >"$ADMIN_PASSWORD_FILE")
  : >"$DIR/tool-config/users"
  : >"$DIR/tool-config/users_roles"
  # Without -p the tool reads the password from stdin (twice), so it is never on a command line;
  # its output is only its prompts (and an error, if any).
  local out
  out="$(printf '%s\n%s\n' "$pw" "$pw" | tool users useradd "$ADMIN_USER" -r superuser 2>&1)" ||
    die "elasticsearch-users useradd failed: $out"
  mkdir -p "$REALM"
  (umask 077 && cp "$DIR/tool-config/users" "$DIR/tool-config/users_roles" "$REALM/")
}

sync_realm() { # the file realm into every node's config; a running node reloads it within seconds
  local n conf
  for n in $(all_nodes); do
    conf="$(node_dir "$n")/config"
    [ -d "$conf" ] || continue
    (umask 077 && cp "$REALM/users" "$REALM/users_roles" "$conf/")
  done
}

write_node_config() { # N
  local n="$1" d conf seeds="" masters="" m roles
  d="$(node_dir "$n")"
  conf="$d/config"
  mkdir -p "$conf/certs" "$d/data" "$d/logs"
  # The distribution's own files, refreshed on every start (an upgrade brings new ones); the
  # node's keystore stays.
  cp "$ES_HOME/config/jvm.options" "$ES_HOME/config/roles.yml" "$ES_HOME/config/role_mapping.yml" "$conf/"
  write_jvm_and_log_config "$conf" "$HEAP" "$HEAP"
  # Three JVMs warming up on two shared cores spend most of their start in the C2 compiler; with
  # C1 only the cluster starts ~2.5x faster (measured: 34 s instead of 91 s) and queries run
  # somewhat slower, which does not matter for a rehearsal. ES_CLUSTER_FAST_JIT=0 turns it off.
  [ "$FAST_JIT" = 0 ] || echo "-XX:TieredStopAtLevel=1" >>"$conf/jvm.options.d/kepu.options"
  cp "$CA" "$conf/certs/ca.crt"
  cp "$CERTS/node-$n/node-$n.crt" "$conf/certs/node.crt"
  (umask 077 && cp "$CERTS/node-$n/node-$n.key" "$conf/certs/node.key" && cp "$REALM/users" "$REALM/users_roles" "$conf/")
  for m in $(all_nodes); do
    seeds="$seeds${seeds:+, }\"127.0.0.1:$(transport_port "$m")\""
    masters="$masters${masters:+, }\"$(node_name "$m")\""
  done
  if holds_data "$n"; then roles="[ master, data, ingest ]"; else roles="[ master ]"; fi
  {
    cat <<YML
# Written by tools/elasticsearch/cluster.sh on every start: edit cluster.sh, not this file.
cluster.name: $CLUSTER_NAME
node.name: $(node_name "$n")
node.roles: $roles
network.host: 127.0.0.1
http.port: $(http_port "$n")
transport.port: $(transport_port "$n")
path.data: $d/data
path.logs: $d/logs
discovery.seed_hosts: [ $seeds ]
YML
    # Only for the very first formation; Elasticsearch warns when it stays after that.
    [ -f "$BOOTSTRAPPED" ] || echo "cluster.initial_master_nodes: [ $masters ]"
    cat <<'YML'

xpack.security.enabled: true
xpack.security.authc.api_key.enabled: true
xpack.security.http.ssl.enabled: true
xpack.security.http.ssl.key: certs/node.key
xpack.security.http.ssl.certificate: certs/node.crt
xpack.security.http.ssl.certificate_authorities: [ certs/ca.crt ]
xpack.security.transport.ssl.enabled: true
xpack.security.transport.ssl.verification_mode: full
xpack.security.transport.ssl.key: certs/node.key
xpack.security.transport.ssl.certificate: certs/node.crt
xpack.security.transport.ssl.certificate_authorities: [ certs/ca.crt ]

# a rehearsal on a developer's disk: never turn indices read-only because the disk is filling up
cluster.routing.allocation.disk.threshold_enabled: false
# as the dev node: tests may clean up with wildcards
action.destructive_requires_name: false
YML
  } >"$conf/elasticsearch.yml"
}

prepare() { # everything a node needs before it starts; idempotent
  pick_java
  if needs_build; then build; fi
  set_as_user
  mkdir -p "$DIR/tool-config"
  chmod 700 "$DIR"
  cp -a "$ES_HOME/config/." "$DIR/tool-config/"
  # Each tool is a JVM start (~7 s): the superuser is made while the certificates are.
  local su=0
  ensure_superuser &
  su=$!
  ensure_certs
  wait "$su" || die "could not create the superuser"
  sync_realm
}

# ---------------------------------------------------------------- start / wait

launch() { # N: start node N in the background (detached); the launcher's pid in LAUNCHER
  local n="$1" d name port
  d="$(node_dir "$n")"
  name="$(node_name "$n")"
  port="$(http_port "$n")"
  if curl -s -m 3 -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null || curl -sk -m 3 -o /dev/null "https://127.0.0.1:$port/" 2>/dev/null; then
    die "something else already answers on port $port; stop it or set ES_CLUSTER_HTTP_PORT"
  fi
  write_node_config "$n"
  printf '\n==== %s cluster.sh start %s ====\n' "$(date '+%F %T')" "$name" >>"$d/logs/es.log"
  # As run.sh: -d returns once the server is up; setsid + redirects detach it from make/CI.
  ES_PATH_CONF="$d/config" ES_JAVA_OPTS="-Dkepu.es.cluster.node=$name ${ES_JAVA_OPTS:-}" \
    setsid "${AS_USER[@]}" "$ES_HOME/bin/elasticsearch" -d -p "$d/es.pid" </dev/null >>"$d/logs/es.log" 2>&1 &
  LAUNCHER=$!
}

node_log_tail() { # N: the log of node N's latest start, at most 40 lines
  awk '/^==== .* cluster.sh start/ { n = 0; delete l } { l[++n] = $0 } END { s = n > 40 ? n - 39 : 1; for (i = s; i <= n; i++) print l[i] }' \
    "$(node_dir "$1")/logs/es.log" >&2 || true
}

wait_for_cluster() { # nodes-expected launcher-pids... : 0 when that many nodes form a yellow/green cluster
  local want="$1" t0=$SECONDS next=$((SECONDS + 15)) n up code
  shift
  local -a launchers=("$@")
  while [ "$SECONDS" -lt $((t0 + START_TIMEOUT)) ]; do
    if up="$(first_up)"; then
      code="$(admin_curl "$up" "/_cluster/health?wait_for_nodes=>=$want&wait_for_status=yellow&timeout=5s" -o /dev/null -w '%{http_code}' 2>/dev/null || true)"
      [ "$code" = 200 ] && return 0
    fi
    for n in "${!launchers[@]}"; do
      local pid="${launchers[$n]}" rc=0
      [ -n "$pid" ] || continue
      if ! kill -0 "$pid" 2>/dev/null; then
        wait "$pid" || rc=$?
        launchers[n]=""
        if [ "$rc" -ne 0 ]; then LAUNCH_FAILED="${LAUNCH_NODES[$n]}"; return 2; fi
      fi
    done
    if [ "$SECONDS" -ge "$next" ]; then
      say "waiting for $want node(s) ... $((SECONDS - t0))s (running: $(running_nodes | tr '\n' ' '))"
      next=$((SECONDS + 15))
    fi
    sleep 1
  done
  return 1
}

ensure_api_key() { # node: reuse the stored key if it still authenticates, else create one
  local n="$1" id="" key="" body resp code
  if [ -s "$API_KEY_FILE" ]; then
    read -r id key <"$API_KEY_FILE" || true
    code="$(key_curl "$n" "$key" /_security/_authenticate -o /dev/null -w '%{http_code}' 2>/dev/null || true)"
    if [ "$code" = 200 ]; then say "API key $API_KEY_NAME ($id) still valid; reused"; return 0; fi
    say "the stored API key no longer authenticates (HTTP $code); creating a new one"
  fi
  # Only one valid key of this name: invalidate what a lost key file left behind.
  admin_curl "$n" /_security/api_key -X DELETE -H 'Content-Type: application/json' \
    --data-binary "{\"name\": \"$API_KEY_NAME\"}" -o /dev/null 2>/dev/null || true
  body="$(
    cat <<JSON
{"name": "$API_KEY_NAME",
 "role_descriptors": {"kepu_app": {"cluster": ["monitor"],
                                   "indices": [{"names": ["$INDEX_PATTERN"], "privileges": ["all"]}]}},
 "metadata": {"application": "kepu", "managed_by": "tools/elasticsearch/cluster.sh"}}
JSON
  )"
  resp="$(admin_curl "$n" /_security/api_key -X POST -H 'Content-Type: application/json' --data-binary "$body" -w '\n%{http_code}')" ||
    die "could not reach $(node_url "$n") to create the API key"
  code="${resp##*$'\n'}"
  resp="${resp%$'\n'*}"
  # The error bodies carry no secret; a 200 body does and is never printed.
  [ "$code" = 200 ] || die "creating the API key failed (HTTP $code): $resp"
  id="$(json_field id <<<"$resp")"
  key="$(json_field encoded <<<"$resp")"
  [ -n "$id" ] && [ -n "$key" ] || die "unexpected answer to POST /_security/api_key (no id/encoded)"
  (umask 077 && printf '%s %s\n' "$id" "$key" >"$API_KEY_FILE")
  say "API key $API_KEY_NAME created ($id): cluster monitor, all on $INDEX_PATTERN"
}

write_env() {
  local key tmp="$ENVFILE.tmp"
  read -r _ key <"$API_KEY_FILE"
  (
    umask 077
    cat >"$tmp" <<ENV
# Written by tools/elasticsearch/cluster.sh: the local secured cluster ($CLUSTER_NAME).
# Use: . .var/es-cluster.env && make run
# The single-node and user/password variables would compete with these: unset.
unset ELASTICSEARCH_URL ELASTICSEARCH_USERNAME ELASTICSEARCH_PASSWORD
export ELASTICSEARCH_URLS=$(data_urls)
export ELASTICSEARCH_API_KEY=$key
export ELASTICSEARCH_CA_CERTS=$CA
export ELASTICSEARCH_REPLICAS=1
export ELASTICSEARCH_SHARDS=1
export SEARCH_BACKEND=elasticsearch
ENV
  )
  mv -f "$tmp" "$ENVFILE"
  chmod 600 "$ENVFILE"
}

wait_green() { # node seconds -> "green", or the status it is still in after that many seconds
  local health status
  health="$(admin_curl "$1" "/_cluster/health?wait_for_status=green&timeout=${2}s" 2>/dev/null || true)"
  status="$(json_field status <<<"$health")"
  if [ -z "$status" ]; then echo "not answering (no elected master?)"
  elif [ "$status" = green ]; then echo green
  else echo "$status (not green within ${2}s)"; fi
}

start() {
  local n pid t0=$SECONDS
  local -a launchers=() to_start=()
  LAUNCH_NODES=()
  mkdir -p "$DIR"
  prepare
  [ $((SECONDS - t0)) -lt 2 ] || say "prepared (build, certificates, superuser) in $((SECONDS - t0))s"
  for n in $(all_nodes); do
    if pid="$(node_pid "$n")"; then
      say "node $n ($(node_name "$n"), $(node_role "$n")) already running (pid $pid) on $(node_url "$n")"
    else
      to_start+=("$n")
    fi
  done
  if [ "${#to_start[@]}" -gt 0 ]; then
    for n in "${to_start[@]}"; do
      say "starting node $n ($(node_name "$n"), $(node_role "$n")) on $(node_url "$n"), transport $(transport_port "$n")"
      launch "$n"
      launchers+=("$LAUNCHER")
      LAUNCH_NODES+=("$n")
    done
  fi
  local rc=0
  wait_for_cluster "$NODES" "${launchers[@]}" || rc=$?
  if [ "$rc" -ne 0 ]; then
    if [ "$rc" -eq 2 ]; then
      say "node $LAUNCH_FAILED failed to start; its log:" >&2
      node_log_tail "$LAUNCH_FAILED"
    else
      say "the cluster did not form within ${START_TIMEOUT}s; logs of the nodes started now:" >&2
      for n in "${to_start[@]}"; do node_log_tail "$n"; done
    fi
    die "not started (logs: $DIR/node-*/logs/es.log; stop with: $0 stop)"
  fi
  touch "$BOOTSTRAPPED"
  n="$(first_up)"
  ensure_api_key "$n"
  write_env
  say "cluster $CLUSTER_NAME is $(wait_green "$n" 60) with $NODES nodes after $((SECONDS - t0))s; clients: $(data_urls)"
  say "environment for the site: . $ENVFILE"
}

stop_nodes() { # N...: SIGTERM to all at once, SIGKILL after STOP_TIMEOUT
  local n pid
  local -a pids=()
  for n in "$@"; do
    if pid="$(node_pid "$n")"; then
      say "stopping node $n (pid $pid)"
      kill -TERM "$pid" 2>/dev/null || true
      pids+=("$pid")
    else
      say "node $n not running"
    fi
    rm -f "$(node_dir "$n")/es.pid"
  done
  local deadline=$((SECONDS + STOP_TIMEOUT))
  for pid in "${pids[@]}"; do
    while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then
      say "pid $pid still running after ${STOP_TIMEOUT}s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
    fi
  done
  return 0
}

stop() {
  # shellcheck disable=SC2046
  stop_nodes $(all_nodes)
  say "stopped"
}

node_stop() {
  check_node "$1"
  stop_nodes "$1"
  local up status
  if up="$(first_up)"; then
    # The remaining nodes notice at once on a clean stop; allow a moment for re-election.
    status="$(admin_curl "$up" "/_cluster/health?wait_for_nodes=$((NODES - 1))&wait_for_status=yellow&timeout=30s" 2>/dev/null | json_field status || true)"
    say "cluster is ${status:-without an elected master (too few master-eligible nodes left)} without node $1 (start it again: $0 node-start $1)"
  else
    say "no node answers any more"
  fi
}

node_start() {
  check_node "$1"
  local n="$1" pid
  if pid="$(node_pid "$n")"; then say "node $n already running (pid $pid)"; return 0; fi
  prepare
  local t0=$SECONDS want
  say "starting node $n ($(node_name "$n"), $(node_role "$n")) on $(node_url "$n")"
  LAUNCH_NODES=("$n")
  local rc=0
  want=$(($(running_nodes | wc -l) + 1))
  launch "$n"
  wait_for_cluster "$want" "$LAUNCHER" || rc=$?
  if [ "$rc" -ne 0 ]; then
    node_log_tail "$n"
    die "node $n did not join within ${START_TIMEOUT}s (log: $(node_dir "$n")/logs/es.log)"
  fi
  say "node $n joined after $((SECONDS - t0))s; waiting for green (replicas recovering) ..."
  say "cluster is $(wait_green "$(first_up)" 120) after $((SECONDS - t0))s"
}

status() {
  local n pid rss any=0 up key="" health
  for n in $(all_nodes); do
    if pid="$(node_pid "$n")"; then
      any=1
      rss="$(awk '/^VmRSS/ {printf "%d MiB", $2/1024}' "/proc/$pid/status" 2>/dev/null || true)"
      say "node $n $(node_name "$n") ($(node_role "$n")) $(node_url "$n"): running, pid $pid, RSS ${rss:-?}"
    else
      say "node $n $(node_name "$n") ($(node_role "$n")) $(node_url "$n"): not running"
    fi
  done
  [ "$any" = 1 ] || return 3
  if ! up="$(first_up)"; then say "no node answers on HTTPS yet"; return 1; fi
  if [ -s "$API_KEY_FILE" ]; then
    read -r _ key <"$API_KEY_FILE"
    health="$(key_curl "$up" "$key" /_cluster/health 2>/dev/null || true)"
  else
    say "no API key yet (start has not finished); asking as $ADMIN_USER"
    health="$(admin_curl "$up" /_cluster/health 2>/dev/null || true)"
  fi
  if [ -z "$(json_field status <<<"$health")" ]; then
    # Health needs an elected master: with too few master-eligible nodes up there is none.
    say "no cluster health from $(node_url "$up"): ${health:-no answer} (master-eligible nodes up: $(running_nodes | wc -l) of $NODES)"
    return 1
  fi
  echo "$health"
  case "$(json_field status <<<"$health")" in green | yellow) return 0 ;; *) return 1 ;; esac
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  node-stop) node_stop "${2:-}" ;;
  node-start) node_start "${2:-}" ;;
  status) status ;;
  *)
    echo "usage: $0 {start|stop|status|node-stop N|node-start N}" >&2
    exit 2
    ;;
esac
