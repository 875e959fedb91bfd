# Shared by the scripts: where the project is, and a benchmarks.jar no older than the sources.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/target/benchmarks.jar"

# True when $JAR is missing or older than a source file or the pom.
jar_is_stale() {
  [[ ! -f "$JAR" ]] || [[ -n "$(find "$ROOT/src/main" "$ROOT/src/jmh" "$ROOT/src/java21" "$ROOT/pom.xml" -newer "$JAR" -type f 2>/dev/null | head -n 1)" ]]
}

ensure_jar() {
  if jar_is_stale; then
    echo "building $JAR (mvn -B -q package -DskipTests) ..." >&2
    (cd "$ROOT" && mvn -B -q package -DskipTests) >&2
  fi
}

# The Java feature release of the JDK at home $1 (17, 25), or nothing when $1/bin/java does not run.
java_feature() {
  local version
  version="$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')"
  echo "${version%%.*}"
}

# --jdk PATH[,PATH]: checks each JDK home and makes sure the jar holds what the newest one can run. The jar's
# classes are Java 17's, so one jar serves every JDK; but only a build on a JDK 21+ compiles the servers that need
# Java 21 (pom.xml's jdk21 profile), so when the list has one and the jar lacks them it is rebuilt on it.
# Sets JDK_HOMES (the list as an array).
ensure_jar_for_jdks() {
  local list="$1" script="$2" jdk feature newest="" newest_feature=0
  IFS=',' read -r -a JDK_HOMES <<<"$list"
  for jdk in "${JDK_HOMES[@]}"; do
    feature="$(java_feature "$jdk")"
    if [[ -z $feature ]]; then
      echo "$script: --jdk $jdk: $jdk/bin/java does not run; give a JDK's home folder, such as /usr/lib/jvm/temurin-25-jdk-amd64" >&2
      exit 2
    fi
    if (( feature < 17 )); then
      echo "$script: --jdk $jdk is Java $feature; the suite needs Java 17 or newer" >&2
      exit 2
    fi
    if (( feature > newest_feature )); then newest_feature=$feature newest=$jdk; fi
  done
  ensure_jar
  # Both the Java 21 servers and Helidon itself: a jar packaged on Java 17 over classes once compiled on 25 has the
  # first without the second.
  local entries
  entries="$("$newest/bin/jar" tf "$JAR")"
  if (( newest_feature >= 21 )) && ! { grep -q '^io/wsbench/servers/jdk21/Java21Servers.class$' <<<"$entries" \
                                        && grep -q '^io/helidon/webserver/WebServer.class$' <<<"$entries"; }; then
    echo "building $JAR on $newest (JAVA_HOME=$newest mvn -B -q package -DskipTests), so it holds the Java 21 servers ..." >&2
    (cd "$ROOT" && JAVA_HOME="$newest" mvn -B -q package -DskipTests) >&2
  fi
}

# Where a run's files go: the --out folder when one is given (results/... for a run to commit), otherwise a
# git-ignored folder under target/wsbench-results, named NAME-<UTC date and time>.
run_dir() {
  local name="$1" out="$2"
  if [[ -n $out ]]; then echo "$out"; else echo "$ROOT/target/wsbench-results/$name-$(date -u +%Y-%m-%d-%H%M%S)"; fi
}

# The one run record, written before the run: RESULT.run.txt beside RESULT.json with the command, date, git
# commit, JVM and machine (io.wsbench.results.RunRecord; scripts/report and the gate read it).
record_run() {
  local json="$1"; shift
  local git
  git="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo '+uncommitted')"
  # RECORD_JAVA: the JVM the run measures, when it is not the java on PATH (scripts/bench --jdk).
  "${RECORD_JAVA:-java}" -cp "$JAR" io.wsbench.results.RunRecord "$json" --git "$git" "${@//$ROOT\//}"
}

# One line per failed trial in a JMH text log: benchmark, parameters, fork, and the first line of the error.
# JMH without -foe reports a failure in the log only (its exit status stays 0), so the scripts look here.
failed_trials() {
  awk '
    /^# Benchmark: / { n = split($3, part, "."); benchmark = part[n - 1] "." part[n] }
    /^# Parameters: / { params = substr($0, 15) }
    /^# (Warmup )?Fork: / { fork = $0; sub(/^# /, "", fork) }
    /<forked VM failed/ { print "  " benchmark " " params ", " fork ": " $0; next }
    /<failure>/ { cause = 1; next }
    cause && NF { sub(/^[ \t]+/, ""); print "  " benchmark " " params ", " fork ": " $0; cause = 0 }
  ' "$1"
}

# What keeps a scripts/profile run folder $1 (its jmh.log and one folder per trial) from being a complete profile, one
# line each: the failed trials and, with $2 the profile's file name pattern (flame-*.html, profile.jfr), each trial
# folder without such a file, or no trial folder at all. Nothing when every trial ran and wrote its profile.
profile_problems() {
  local dir="$1" pattern="$2" trial folders=0
  failed_trials "$dir/jmh.log"
  [[ -n $pattern ]] || return 0
  for trial in "$dir"/*/; do
    [[ -d $trial ]] || continue
    folders=$((folders + 1))
    compgen -G "$trial$pattern" > /dev/null || echo "  ${trial%/}: no $pattern written (the trial's output in $dir/jmh.log says why)"
  done
  [[ $folders -gt 0 ]] || echo "  $dir: no trial folder, so no $pattern at all ($dir/jmh.log says why)"
}

# A defect of a server's own library, documented in docs/faults.md with a reproduction that uses none of the suite's
# code: a failed trial matching one is that server's known failure, reported with the results but not failing the run.
KNOWN_DEFECTS=('server = javawebsocket,.*no echo of message #')
KNOWN_DEFECTS_DOC="docs/faults.md#a-server-that-loses-an-echo-java-websocket-160"

# Splits failed_trials lines ($1) into KNOWN_FAILURES (documented library defects) and UNKNOWN_FAILURES (the rest).
split_failures() {
  local line pattern known
  KNOWN_FAILURES="" UNKNOWN_FAILURES=""
  while IFS= read -r line; do
    [[ -n $line ]] || continue
    known=0
    for pattern in "${KNOWN_DEFECTS[@]}"; do
      [[ $line =~ $pattern ]] && known=1
    done
    if [[ $known == 1 ]]; then
      KNOWN_FAILURES="${KNOWN_FAILURES:+$KNOWN_FAILURES$'\n'}$line"
    else
      UNKNOWN_FAILURES="${UNKNOWN_FAILURES:+$UNKNOWN_FAILURES$'\n'}$line"
    fi
  done <<<"$1"
}

# The servers JVM $1 can run: those of the list $2 (each left out named on stderr), or by default every server
# inside the JVM, floors included.
# With $3 = --websocket, the default is the JVM's WebSocket servers only (the scenarios the floors cannot serve).
servers_for() {
  if [[ -n $2 ]]; then
    "$1" -cp "$JAR" io.wsbench.servers.EchoServers --runnable "$2"
  else
    "$1" -cp "$JAR" io.wsbench.servers.EchoServers "${3:---in-process}"
  fi
}

# run_on_jdks NAME FUNCTION [ARGS...]: FUNCTION JAVA SUFFIX ARGS... once on the java on PATH (suffix empty), or, with
# --jdk (JDK_HOMES), once per JDK with suffix -jdkN; then OUT/NAME.run.txt gathers their run records and
# OUT/NAME.json merges their results with the JDK as parameter jdk (io.wsbench.results.JdkMerge). Needs $out.
run_on_jdks() {
  local name="$1" run="$2" jdk feature
  shift 2
  if [[ ${#JDK_HOMES[@]} -eq 0 ]]; then
    "$run" java "" "$@"
    return
  fi
  local merged=()
  : > "$out/$name.run.txt"
  for jdk in "${JDK_HOMES[@]}"; do
    feature="$(java_feature "$jdk")"
    "$run" "$jdk/bin/java" "-jdk$feature" "$@"
    [[ -s $out/$name-jdk$feature.json ]] && merged+=("$out/$name-jdk$feature.json")
    { echo "# $name-jdk$feature.json"; cat "$out/$name-jdk$feature.run.txt"; echo; } >> "$out/$name.run.txt"
  done
  [[ ${#merged[@]} -eq 0 ]] || java -cp "$JAR" io.wsbench.results.JdkMerge "$out/$name.json" "${merged[@]}"
}
