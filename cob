#!/usr/bin/env bash
# The cob command. Builds the distribution on first use (and again when sources changed), then
# runs it with a JDK >= 21: $JAVA_HOME if it is one, else the newest under /usr/lib/jvm.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }

pick_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ] && [ "$(java_major "$JAVA_HOME")" -ge 21 ] 2>/dev/null; then
    echo "$JAVA_HOME"; return
  fi
  local best="" best_v=0 d v
  for d in /usr/lib/jvm/* /opt/java/* "$HOME"/.sdkman/candidates/java/*; do
    [ -x "$d/bin/javac" ] || continue
    v="$(java_major "$d")"; v="${v%%.*}"
    if [ -n "$v" ] && [ "$v" -ge 21 ] && [ "$v" -gt "$best_v" ]; then best="$d"; best_v="$v"; fi
  done
  if [ -z "$best" ] && command -v javac >/dev/null; then
    d="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
    v="$(java_major "$d")"; v="${v%%.*}"
    [ -n "$v" ] && [ "$v" -ge 21 ] && best="$d"
  fi
  [ -n "$best" ] || { echo "cob: needs a JDK 21 or newer (set JAVA_HOME)" >&2; exit 2; }
  echo "$best"
}

export JAVA_HOME="$(pick_jdk)"
# stale JAR [EXCLUDED_DIR]: the jar is missing or a source it is built from is newer (the demo packs
# examples/*.bpmn, so those count too).
stale() {
  [ ! -f "$1" ] && return 0
  [ -n "$(find "$here" \( -path "$here/.git" -o -path "$here/cob-console/node_modules" -o -path "${2:-$here/.git}" \) -prune -o \( -name '*.java' -path '*/src/main/*' -o -name 'pom.xml' -o -path '*/src/main/resources/*' -o -path "$here/examples/*.bpmn" -o -path "$here/cob-console/src/*" -o -path "$here/cob-console/package*.json" -o -path "$here/cob-console/build.mjs" \) -newer "$1" -print -quit)" ]
}
# build WHAT MAVEN_ARGS...: a quiet reactor build; the log is shown only when it fails.
build() {
  local what="$1"; shift
  echo "cob: building $what (first run takes a minute)..." >&2
  mopts="${MAVEN_OPTS:-}"
  # Maven 3.8 on JDK 24+ warns about sun.misc.Unsafe on every build; the warning is Maven's, not ours.
  [ "$(java_major "$JAVA_HOME" | cut -d. -f1)" -ge 24 ] && mopts="$mopts --sun-misc-unsafe-memory-access=allow"
  log="$(mktemp)"
  if ! (cd "$here" && MAVEN_OPTS="$mopts" mvn -q -B -DskipTests package "$@" >"$log" 2>&1); then
    cat "$log" >&2; rm -f "$log"; echo "cob: the build failed" >&2; exit 1
  fi
  rm -f "$log"
}

# cob bench ...: the benchmarks (module cob-bench, built only with -Pbench), see BENCHMARKS.md.
if [ "${1:-}" = bench ]; then
  shift
  bench_jar="$here/cob-bench/harness/target/cob-bench-harness.jar"
  # Every module's jar, not only the harness's: a module added since the last build has none yet.
  if stale "$bench_jar" || [ ! -f "$here/cob-bench/failover/target/cob-bench-failover.jar" ]; then
    build "the benchmarks" -Pbench -pl cob-bench/cob,cob-bench/camunda,cob-bench/flowable,cob-bench/failover -am
  fi
  exec "$JAVA_HOME/bin/java" -Dcob.bench.home="$here/cob-bench" -Dcob.bench.command="./cob bench" \
    -jar "$bench_jar" "$@"
fi

jar="$here/cob-cli/target/cob-cli.jar"
# The benchmarks are not part of the distribution: their sources do not make it stale.
if stale "$jar" "$here/cob-bench"; then
  build "the distribution" -pl cob-cli -am
fi

opts=()
case "${1:-}" in
  server|bench) ;;
  *) opts=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto) ;;
esac
exec "$JAVA_HOME/bin/java" "${opts[@]}" -jar "$jar" "$@"
