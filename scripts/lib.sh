# Shared by the scripts: where the project is, and a benchmarks.jar no older than the sources.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/target/benchmarks.jar"

ensure_jar() {
  if [[ ! -f "$JAR" ]] || [[ -n "$(find "$ROOT/src/main" "$ROOT/src/jmh" "$ROOT/pom.xml" -newer "$JAR" -type f 2>/dev/null | head -n 1)" ]]; then
    echo "building $JAR (mvn -B -q package -DskipTests) ..." >&2
    (cd "$ROOT" && mvn -B -q package -DskipTests) >&2
  fi
}

# A description of what produced a result: command, JVM, machine. Written beside every JSON file.
describe_run() {
  local cmd="$1"
  echo "- command: \`$cmd\`"
  echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "- git: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "- JVM: $(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.vm.name|java.runtime.version/ {printf "%s ", $2}')"
  echo "- machine: $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
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
