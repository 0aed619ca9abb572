#!/usr/bin/env bash
# Pilot overhead: the test appliance and the same payload booted by plain qemu-system-x86_64 (the
# floor) and by './vmgrid pilot run --service' (the worker-node set-up: the command's JVM start,
# the resident pilot service of 'vmgrid serve' taking the job, cache check, overlay, context ISOs,
# domain through libvirt, relay, result: everything a batch job waits for), interleaved run by run
# so all see the same load; medians of RUNS, the ratio from this one run. For comparison also
# './vmgrid pilot run' doing all of it in its own process (image list, libvirt connection,
# teardown), and the overlay + context preparation time on a cached image (the pilot's own
# accounting field prepareSeconds).
#   vm-pilot/pilot/bench-pilot.sh [RUNS]    (default 5; run as root: it starts a private libvirtd
#   as the unprivileged user libvirt-qemu, like the ITs, and stops it by PID)
# Environment: VMGRID_APPLIANCE_DIR = a directory holding vmgrid-test-appliance.qcow2 and
# imagelist.json (built with './vmgrid appliance build' when unset).
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)"
runs="${1:-5}"
work="$(mktemp -d /tmp/vmgrid-pilot-bench.XXXXXX)"
chmod 755 "$work"
. "$root/vm-pilot/pilot/worker-node.sh"
wn_init "$work"
trap 'wn_stop; rm -rf "$work"' EXIT
. "$root/vm-pilot/appliance/bench-floor.sh"

# the appliance and its list
adir="${VMGRID_APPLIANCE_DIR:-$work/appliance}"
[ -f "$adir/vmgrid-test-appliance.qcow2" ] || "$root/vmgrid" appliance build --out "$adir" >&2
image="$adir/vmgrid-test-appliance.qcow2"
uuid="$(sed -n 's/.*"dc:identifier": "\([0-9a-f-]*\)".*/\1/p' "$adir/imagelist.json" | tail -1)"

# a private system libvirtd (root, in its own mount namespace, everything under $work)
wn_start_libvirtd || { echo "bench-pilot.sh: no libvirtd" >&2; exit 1; }

# the pilot's site: unsigned list, TCG, its own cache and state
mkdir -p "$work/conf" "$work/job"
cat >"$work/conf/pilot.properties" <<CONF
hypervisor = auto
libvirt.uri = $wn_libvirt_uri
cache.dir = $work/imagecache
cache.max.bytes = 1073741824
slots = 4
boot.timeout = 300
state.dir = $work/state
accounting.file = $work/accounting.jsonl
service.socket = $wn_pilot_socket
CONF
printf 'catalogs = %s\ntrust.unsigned = true\n' "$adir/imagelist.json" >"$work/conf/images.properties"
printf 'memory.default = 128\n' >"$work/conf/limits.properties"

# the floor's context: the same payload, guest contract v1
floor_context_iso "$work" >/dev/null
chown -R $wn_user:$wn_group "$work"

floor_once() {
  floor_boot_once "$image" "$work/context.iso" "$work/floor.$1" || { echo "bench-pilot.sh: floor run $1 failed" >&2; exit 1; }
}

# the resident pilot service, as on a worker node: 'vmgrid serve' as the unprivileged user
wn_start_serve "$root/vmgrid" "$work/conf" || { echo "bench-pilot.sh: no pilot service" >&2; exit 1; }

# pilot_once RUN [--service SOCKET | --config-dir DIR]: one job, timed from command start to exit
pilot_once() {
  local run="$1" out="$work/pilot.$1.out" t0 t1
  shift
  t0=$(now)
  if ! wn_as_user "$root/vmgrid" pilot run "$@" --image "$uuid" --workdir "$work/job" --timeout 300 \
    -- sh -c 'echo hello from the guest' >"$out" 2>"$out.err"; then
    echo "bench-pilot.sh: pilot run $run failed: $(cat "$out.err")" >&2
    exit 1
  fi
  t1=$(now)
  [ "$(cat "$out")" = "hello from the guest" ] || { echo "bench-pilot.sh: pilot run $run failed: $(cat "$out.err")" >&2; exit 1; }
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }'
}

service=(--service "$wn_pilot_socket")
inprocess=(--config-dir "$work/conf")
pilot_once warmup "${service[@]}" >/dev/null   # fetches and verifies the image into the cache; libvirt probes QEMU once
floors=() pilots=() locals=()
for i in $(seq 1 "$runs"); do
  floors+=("$(floor_once "$i")")
  pilots+=("$(pilot_once "s$i" "${service[@]}")")
  locals+=("$(pilot_once "l$i" "${inprocess[@]}")")
done
fmed=$(printf '%s\n' "${floors[@]}" | median)
pmed=$(printf '%s\n' "${pilots[@]}" | median)
lmed=$(printf '%s\n' "${locals[@]}" | median)
# the records of the measured runs: all but the warm-up's, the first
preps() { tail -n +2 "$work/accounting.jsonl" | sed -n 's/.*"prepareSeconds":\([0-9.]*\).*/\1/p'; }
prep=$(preps | median)
echo "## Pilot overhead ($runs interleaved runs each, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg) at the end)"
echo
echo "| what | median s | all runs s |"
echo "|---|---|---|"
echo "| floor: plain qemu-system-x86_64, boot to power-off | $fmed | ${floors[*]} |"
echo "| ./vmgrid pilot run --service (resident pilot service), command start to exit | $pmed | ${pilots[*]} |"
awk -v p="$pmed" -v f="$fmed" 'BEGIN { printf "| **ratio pilot --service / floor** | **%.2fx** | |\n", p / f }'
echo "| ./vmgrid pilot run in its own process, command start to exit | $lmed | ${locals[*]} |"
awk -v p="$lmed" -v f="$fmed" 'BEGIN { printf "| ratio in-process pilot / floor | %.2fx | |\n", p / f }'
echo "| overlay + context ISOs on a cached image (prepareSeconds) | $prep | $(preps | tr '\n' ' ')|"
