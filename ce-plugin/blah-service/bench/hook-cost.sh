#!/bin/bash
# Per-submission cost of the vmgrid BLAH hook next to sbatch itself, measured interleaved in one run
# on a loopback SLURM the benchmark starts and stops (needs root, munge, slurm-wlm, socat).
# Usage: ce-plugin/blah-service/bench/hook-cost.sh [rounds]   (figures go to docs/benchmarks.md, "BLAH hook")
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
module=$root/ce-plugin/blah-service
cd "$root"
mvn -B -q -o test-compile dependency:build-classpath -pl ce-plugin/blah-service -am \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
java -cp "$module/target/test-classes:$module/target/classes:$(cat "$module/target/bench.classpath")" \
    -Dvmgrid.blah.hooks="$root/ce-plugin/blah" org.vmgrid.blahservice.HookCostBench "${1:-30}"
