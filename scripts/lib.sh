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
