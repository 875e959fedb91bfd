# Shared by the scripts: where the project is, and a benchmarks.jar no older than the sources.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/target/benchmarks.jar"

ensure_jar() {
  if [[ ! -f "$JAR" ]] || [[ -n "$(find "$ROOT/src/main" "$ROOT/src/jmh" "$ROOT/src/java21" "$ROOT/pom.xml" -newer "$JAR" -type f 2>/dev/null | head -n 1)" ]]; then
    echo "building $JAR (mvn -B -q package -DskipTests) ..." >&2
    (cd "$ROOT" && mvn -B -q package -DskipTests) >&2
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
  java -cp "$JAR" io.wsbench.results.RunRecord "$json" --git "$git" "${@//$ROOT\//}"
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
