# Sourced by ./bench.sh and vm-pilot/pilot/bench-pilot.sh: the floor the pilot is measured against,
# one plain qemu-system-x86_64 boot of the test appliance (TCG, 128 MiB, no network, fresh qcow2
# overlay, guest contract v1 context, 9p job directory, the three virtio-serial ports) running
# sh -c 'echo hello from the guest', and the small helpers both scripts use.

now() { date +%s.%N; }
b64() { printf '%s' "$1" | base64 -w0; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# floor_context_iso DIR: writes DIR/context/context.sh and DIR/context.iso; prints the ISO's path.
floor_context_iso() {
  local dir="$1"
  mkdir -p "$dir/context"
  cat >"$dir/context/context.sh" <<CTX
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
  genisoimage -quiet -J -R -V CONTEXT -o "$dir/context.iso" "$dir/context"
  echo "$dir/context.iso"
}

# floor_boot_once IMAGE ISO RUN_DIR: one boot to the guest's power-off; prints its seconds, checks
# that the payload ran (status and output), removes RUN_DIR; on failure says why and returns 1.
floor_boot_once() {
  local image="$1" iso="$2" run="$3" t0 t1
  mkdir -p "$run/job"
  qemu-img create -q -f qcow2 -b "$image" -F qcow2 "$run/overlay.qcow2"
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
    echo "plain QEMU boot in $run did not run the payload; status: $(cat "$run/status" 2>/dev/null); console:" >&2
    cat "$run/console.log" >&2
    return 1
  fi
  rm -rf "$run"
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }'
}
