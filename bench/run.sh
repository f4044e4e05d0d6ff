#!/usr/bin/env bash
# The benchmark in one command: builds WinterAI.Web and the bench in Release, then runs every configuration
# (real WinterAI processes, a redis-server of its own, fake WeChat and Dify at real timings) and prints a
# Markdown report, also written to bench/results/. Exit code 0 only when every configuration passes.
#   bench/run.sh                      500 followers over 20 s, configurations a,b,c
#   bench/run.sh --quick              50 followers over 5 s (smoke run)
#   bench/run.sh --followers 1000 --ramp 30 --configs a,b,c,d
set -euo pipefail
cd "$(dirname "$0")/.."

command -v redis-server >/dev/null 2>&1 || { echo "redis-server is not on PATH (sudo apt-get install redis-server)" >&2; exit 2; }

dotnet build WinterAI.Web/WinterAI.Web.csproj -c Release -nologo -v quiet
dotnet build bench/WinterAI.Bench/WinterAI.Bench.csproj -c Release -nologo -v quiet

mkdir -p bench/results
pids=bench/results/children.pid
# The bench kills its children itself; this catches what a bench killed with SIGKILL would leave behind.
cleanup() {
  if [ -s "$pids" ]; then
    while read -r pid; do
      [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
    done < "$pids"
    : > "$pids"
  fi
}
trap cleanup EXIT

status=0
dotnet bench/WinterAI.Bench/bin/Release/net10.0/WinterAI.Bench.dll \
  --web-dll WinterAI.Web/bin/Release/net10.0/WinterAI.Web.dll --results bench/results "$@" || status=$?
exit "$status"
