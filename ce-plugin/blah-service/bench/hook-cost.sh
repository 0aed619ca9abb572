#!/bin/bash
# What vmgrid's BLAH hook adds to one submission, next to BLAH's own slurm_submit.sh (sbatch stubbed out) and a
# real sbatch on a loopback SLURM the benchmark starts and stops, all measured interleaved in one run.
# Needs root (SLURM, munge, and a private mount namespace in which /bin/sh is bash, as on the hosts prelz BLAH
# runs its hooks on: its submit-attributes script is #!/bin/sh and sources the hook with `source`).
# Usage: BLAH_SRC=<dir with BLAH's slurm_submit.sh> ce-plugin/blah-service/bench/hook-cost.sh [rounds]
#   BLAH_SRC: prelz/BLAH's src/scripts (or HTCondor's src/blahp/src/scripts); vmgrid ships no BLAH code
#   VMGRID_MAVEN_OPTS: more options for the build (e.g. -Dmaven.repo.local=...)
# (figures go to docs/benchmarks.md, "BLAH hook")
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
module=$root/ce-plugin/blah-service
[ -f "${BLAH_SRC:-}/slurm_submit.sh" ] || { echo "hook-cost: set BLAH_SRC to a directory holding BLAH's slurm_submit.sh" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "hook-cost: run as root (loopback SLURM, private mount namespace)" >&2; exit 2; }
cd "$root"
# shellcheck disable=SC2086 # VMGRID_MAVEN_OPTS: Maven options, split into words on purpose
mvn -B -q -o ${VMGRID_MAVEN_OPTS:-} test-compile dependency:build-classpath -pl ce-plugin/blah-service -am \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
cp="$module/target/test-classes:$module/target/classes:$(cat "$module/target/bench.classpath")"
BLAH_SRC=$(cd "$BLAH_SRC" && pwd) exec unshare -m /bin/bash -c 'mount --bind /bin/bash /bin/sh && exec "$@"' bench \
    java --add-exports java.base/sun.nio.ch=ALL-UNNAMED -cp "$cp" -Dvmgrid.blah.hooks="$root/ce-plugin/blah" -Dvmgrid.blah.client="$module/target/vmgrid-hook-client" \
    org.vmgrid.blahservice.HookCostBench "${1:-30}"
