#!/usr/bin/env bash
# vmgrid benchmarks, printed as tables; figures are kept in docs/benchmarks.md. Run as root. The
# warm-start figures also go to target/bench/results.json (one key per figure: median, min, max and
# runs), so that runs can be compared.
#   ./bench.sh [RUNS]     (default 5; medians of RUNS)
# Environment: VMGRID_APPLIANCE_DIR = a directory holding vmgrid-test-appliance.qcow2 (built with
# './vmgrid appliance build --out DIR' when unset); MAVEN_REPO_LOCAL = the local Maven repository
# the ARC part builds with and from (default ~/.m2/repository), as for vm-pilot/pilot/benchmark.sh.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "$0")")" && pwd)"
runs="${1:-5}"
work="$(mktemp -d /tmp/vmgrid-bench.XXXXXX)"
chmod 755 "$work"   # the pilot's part runs as an unprivileged user and reads the appliance from here
trap 'rm -rf "$work"' EXIT

. "$here/vm-pilot/appliance/bench-floor.sh"

appliance_image() {
  local dir="${VMGRID_APPLIANCE_DIR:-$work/appliance}"
  if [ ! -f "$dir/vmgrid-test-appliance.qcow2" ]; then
    "$here/vmgrid" appliance build --out "$dir" >&2
  fi
  echo "$dir/vmgrid-test-appliance.qcow2"
}

appliance_floor() {
  local image iso i times=()
  image="$(appliance_image)"
  iso="$(floor_context_iso "$work")"
  for i in $(seq 1 "$runs"); do
    times+=("$(floor_boot_once "$image" "$iso" "$work/run.$i")")
  done
  local med min max
  med=$(printf '%s\n' "${times[@]}" | median)
  min=$(printf '%s\n' "${times[@]}" | sort -n | head -1)
  max=$(printf '%s\n' "${times[@]}" | sort -n | tail -1)
  echo "## Appliance boot floor (plain qemu-system-x86_64, TCG, 128 MiB, no network; $runs runs, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"
  echo
  echo "| what | median s | min s | max s |"
  echo "|---|---|---|---|"
  printf '| boot to power-off, payload echo | %.2f | %.2f | %.2f |\n' "$med" "$min" "$max"
  echo
}

appliance_floor

# The pilot's side: the same appliance through './vmgrid pilot run --service' (and in its own
# process), interleaved with its own
# floor runs so the ratio comes from one run, and the overlay + context preparation time.
VMGRID_APPLIANCE_DIR="$(dirname "$(appliance_image)")" "$here/vm-pilot/pilot/bench-pilot.sh" "$runs"

# Warm starts (restored from a golden snapshot) against cold ones, and vmgrid's own share of a start.
VMGRID_APPLIANCE_DIR="$(dirname "$(appliance_image)")" "$here/vm-pilot/pilot/bench-warm.sh" "$runs" \
  "$here/target/bench/results.json"

# ARC CE: arcsub to FINISHED of a VM job next to the same payload as a plain job and the boot
# floor, in one run, through a real A-REX, the loopback SLURM and the pilot service
# (ce-plugin/arc-itests, ArcSubmitBench; needs the ARC packages of .ci/debian-packages.sh).
m2="-Dmaven.repo.local=${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}"
(cd "$here" && mvn -B -q -ntp "$m2" install -DskipTests -pl ce-plugin/arc-itests -am >&2 &&
  mvn -B -q -ntp "$m2" verify -pl ce-plugin/arc-itests -Dit.test=ArcSubmitBench -Dvmgrid.bench.runs="$runs" \
    -Dsurefire.failIfNoSpecifiedTests=false >&2) &&
  cat "$here/ce-plugin/arc-itests/target/arc-bench.md"
