# Shared by run.sh (single dev node) and cluster.sh (secured local cluster): paths, the JDK, the
# build of target/, and how a node process is started and recognised.  Sourced, not run.
# The caller sets SAY_PREFIX (e.g. "search-engine") before sourcing.

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
VAR="$ROOT/.var"
BUILDLOG="$VAR/es-build.log"

ES_VERSION="$(sed -n 's:.*<elasticsearch.version>\(.*\)</elasticsearch.version>.*:\1:p' "$HERE/pom.xml" | head -n1)"
ES_HOME="$HERE/target/elasticsearch-$ES_VERSION"
PLUGIN_JAR="$ES_HOME/plugins/kepu-engine/kepu-engine.jar"

say() { printf '%s: %s\n' "${SAY_PREFIX:-elasticsearch}" "$*"; }
die() { printf '%s: ERROR: %s\n' "${SAY_PREFIX:-elasticsearch}" "$*" >&2; exit 1; }

# ---------------------------------------------------------------- java / build

java_major() { # JAVA_HOME -> major version, or nothing
  [ -x "$1/bin/java" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1
}

pick_java() {
  if [ -n "${ES_JAVA_HOME:-}" ]; then
    [ -x "$ES_JAVA_HOME/bin/java" ] || die "ES_JAVA_HOME=$ES_JAVA_HOME has no bin/java"
    export ES_JAVA_HOME
    return
  fi
  local c m onpath=""
  if command -v java >/dev/null 2>&1; then
    onpath="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
  fi
  # Elasticsearch 8.19 runs on Java 17-24; prefer an LTS.
  for c in "${JAVA_HOME:-}" "$onpath" /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/java-21-openjdk-amd64 /usr/lib/jvm/*; do
    [ -n "$c" ] || continue
    m="$(java_major "$c")"
    if [ -n "$m" ] && [ "$m" -ge 17 ] && [ "$m" -le 24 ]; then
      ES_JAVA_HOME="$c"
      export ES_JAVA_HOME
      return
    fi
  done
  die "no Java 17-24 found (set ES_JAVA_HOME)"
}

needs_build() {
  [ -x "$ES_HOME/bin/elasticsearch" ] || return 0
  [ -f "$PLUGIN_JAR" ] || return 0
  [ -f "$ES_HOME/plugins/kepu-engine/plugin-descriptor.properties" ] || return 0
  [ -z "$(find "$HERE/pom.xml" "$HERE/src" -newer "$PLUGIN_JAR" -print -quit 2>/dev/null)" ] || return 0
  return 1
}

build() {
  command -v mvn >/dev/null 2>&1 || die "Maven (mvn) is needed to build the engine (apt-get install maven)"
  mkdir -p "$VAR"
  local jh="$ES_JAVA_HOME" t0=$SECONDS
  [ -x "$jh/bin/javac" ] || jh="${JAVA_HOME:-}"
  say "building $ES_HOME (Elasticsearch $ES_VERSION + kepu-engine plugin; the first build downloads ~200 MB from Maven Central)"
  : >"$BUILDLOG"
  # Offline first: after one successful build everything is in ~/.m2 and no network is needed.
  if ! (cd "$HERE" && JAVA_HOME="$jh" mvn -B -ntp -Dstyle.color=never -o package >>"$BUILDLOG" 2>&1); then
    echo "--- offline build failed; retrying online ---" >>"$BUILDLOG"
    if ! (cd "$HERE" && JAVA_HOME="$jh" mvn -B -ntp -Dstyle.color=never package >>"$BUILDLOG" 2>&1); then
      tail -n 40 "$BUILDLOG" >&2
      die "build failed (full log: $BUILDLOG)"
    fi
  fi
  needs_build && die "build finished but $PLUGIN_JAR is missing (log: $BUILDLOG)"
  say "built in $((SECONDS - t0))s"
}

# ---------------------------------------------------------------- processes

cmdline() { tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null; }

is_our_es() { # pid -> true if it is an Elasticsearch server started from this checkout
  local pid="$1"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  # Any home under the checkout: a node started before the engine moved (search/engine/target)
  # stays manageable through its pid file.
  cmdline "$pid" | grep -qF -- "-Des.path.home=$ROOT/" &&
    cmdline "$pid" | grep -qF -- "org.elasticsearch.bootstrap.Elasticsearch"
}

# Elasticsearch refuses to run as root. As root, AS_USER runs it in a user namespace where it is
# an ordinary user (uid 1000 inside = root outside, so files stay root's and need no chown).
AS_USER=()
set_as_user() {
  AS_USER=()
  [ "$(id -u)" = 0 ] || return 0
  unshare --user --map-user=1000 --map-group=1000 true 2>/dev/null ||
    die "running as root and user namespaces are unavailable (unshare --user); run as a non-root user"
  AS_USER=(unshare --user --map-user=1000 --map-group=1000)
}

# Node configuration that does not depend on the node: JVM options and a one-file log4j setup.
write_jvm_and_log_config() { # config dir, heap min, heap max
  local conf="$1"
  # No GC log files and no multi-GB heap dumps in the server's working directory.
  sed -i -e '/^\(-\|[0-9-]*:-\)Xlog:gc/d' "$conf/jvm.options"
  mkdir -p "$conf/jvm.options.d"
  cat >"$conf/jvm.options.d/kepu.options" <<OPTS
-Xms$2
-Xmx$3
-XX:-AlwaysPreTouch
-XX:-HeapDumpOnOutOfMemoryError
OPTS
  # One plain-text log per node in path.logs, named by -Dkepu.es.log (es.log without it).
  cat >"$conf/log4j2.properties" <<'LOG'
status = error
appender.rolling.type = RollingFile
appender.rolling.name = rolling
appender.rolling.fileName = ${sys:es.logs.base_path}${sys:file.separator}${sys:kepu.es.log:-es.log}
appender.rolling.filePattern = ${sys:es.logs.base_path}${sys:file.separator}${sys:kepu.es.log:-es.log}.%i
appender.rolling.layout.type = PatternLayout
appender.rolling.layout.pattern = [%d{ISO8601}][%-5p][%-25c{1.}] [%node_name]%marker %m%n
appender.rolling.policies.type = Policies
appender.rolling.policies.size.type = SizeBasedTriggeringPolicy
appender.rolling.policies.size.size = 32MB
appender.rolling.strategy.type = DefaultRolloverStrategy
appender.rolling.strategy.max = 2
rootLogger.level = info
rootLogger.appenderRef.rolling.ref = rolling

appender.header_warning.type = HeaderWarningAppender
appender.header_warning.name = header_warning
logger.deprecation.name = org.elasticsearch.deprecation
logger.deprecation.level = WARN
logger.deprecation.appenderRef.header_warning.ref = header_warning
logger.deprecation.additivity = false
LOG
}
