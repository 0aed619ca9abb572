#!/usr/bin/env bash
# vmgrid benchmarks, printed as tables; figures are kept in docs/benchmarks.md.
#   ./bench.sh [RUNS]     (default 5; medians of RUNS)
# Environment: VMGRID_APPLIANCE_DIR = a directory holding vmgrid-test-appliance.qcow2 (built with
# './vmgrid appliance build --out DIR' when unset).
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "$0")")" && pwd)"
runs="${1:-5}"
work="$(mktemp -d /tmp/vmgrid-bench.XXXXXX)"
chmod 755 "$work"   # the pilot's part runs as an unprivileged user and reads the appliance from here
trap 'rm -rf "$work"' EXIT

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
now() { date +%s.%N; }
b64() { printf '%s' "$1" | base64 -w0; }

appliance_image() {
  local dir="${VMGRID_APPLIANCE_DIR:-$work/appliance}"
  if [ ! -f "$dir/vmgrid-test-appliance.qcow2" ]; then
    "$here/vmgrid" appliance build --out "$dir" >&2
  fi
  echo "$dir/vmgrid-test-appliance.qcow2"
}

# A guest contract v1 context ISO running: sh -c 'echo hello from the guest'
context_iso() {
  local tree="$work/context"
  mkdir -p "$tree"
  cat >"$tree/context.sh" <<CTX
VMGRID_CONTEXT_VERSION='1'
VMGRID_JOB_ID='bench'
VMGRID_ARGC='3'
VMGRID_ARG_0='$(b64 sh)'
VMGRID_ARG_1='$(b64 -c)'
VMGRID_ARG_2='$(b64 'echo hello from the guest')'
VMGRID_ENVC='0'
VMGRID_WORKDIR='$(b64 /job)'
VMGRID_WORKDIR_TAG='jobdir'
VMGRID_NETWORK='none'
CTX
  genisoimage -quiet -J -R -V CONTEXT -o "$work/context.iso" "$tree"
  echo "$work/context.iso"
}

# One plain-QEMU boot (TCG, 128 MiB, no network) of the appliance to its power-off; prints seconds.
appliance_floor_once() {
  local image="$1" iso="$2" run="$work/run.$3"
  mkdir -p "$run/job"
  qemu-img create -q -f qcow2 -b "$image" -F qcow2 "$run/overlay.qcow2"
  local t0 t1
  t0=$(now)
  timeout 300 qemu-system-x86_64 -machine accel=tcg -m 128 -nographic -nodefaults -no-reboot -net none \
    -serial "file:$run/console.log" \
    -drive "file=$run/overlay.qcow2,if=virtio,format=qcow2" \
    -drive "file=$iso,if=virtio,format=raw,readonly=on" \
    -virtfs "local,path=$run/job,mount_tag=jobdir,security_model=none" \
    -device virtio-serial \
    -chardev "file,id=o,path=$run/stdout" -device virtserialport,chardev=o,name=org.vmgrid.stdout \
    -chardev "file,id=e,path=$run/stderr" -device virtserialport,chardev=e,name=org.vmgrid.stderr \
    -chardev "file,id=s,path=$run/status" -device virtserialport,chardev=s,name=org.vmgrid.status \
    >"$run/qemu.log" 2>&1
  t1=$(now)
  if [ "$(cat "$run/status")" != $'booted\nexit 0' ] || [ "$(cat "$run/stdout")" != "hello from the guest" ]; then
    echo "bench.sh: boot $3 did not run the payload; status: $(cat "$run/status" 2>/dev/null); console: $run/console.log" >&2
    cat "$run/console.log" >&2
    exit 1
  fi
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }'
}

appliance_floor() {
  local image iso i times=()
  image="$(appliance_image)"
  iso="$(context_iso)"
  for i in $(seq 1 "$runs"); do
    times+=("$(appliance_floor_once "$image" "$iso" "$i")")
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

# The pilot's side: the same appliance through './vmgrid pilot run', interleaved with its own
# floor runs so the ratio comes from one run, and the overlay + context preparation time.
VMGRID_APPLIANCE_DIR="$(dirname "$(appliance_image)")" "$here/vm-pilot/pilot/bench-pilot.sh" "$runs"
