#!/usr/bin/env bash
# Warm against cold starts, side by side in one run: the test appliance (guest contract 2) through
# two pilot services of 'vmgrid serve' on one private system libvirtd, one that starts VMs warm
# (restored from a golden snapshot) and one that boots them (warm.start = false), one VM slot each.
# Jobs of the pool account, the payload sh -c 'echo hello from the guest', sent as the SPANK plugin
# sends them (its C client, vmgrid_wire.h, built here as batch-hooks' test harness) and, for
# comparison, by the JVM client './vmgrid pilot run --service'. Runs interleave (cold, warm, warm
# with the JVM client) so all see the same load; one warm-up of each service (image fetch, golden
# snapshot) is not counted; every run's output and accounting record are checked.
#   vm-pilot/pilot/bench-warm.sh [RUNS] [JSON]   (default 5 and target/bench/results.json; as root)
# Per run, from the bench's clock (job start: the client started; result: the client exited) and
# the service's accounting record (vmRunning: libvirt's start or restore returned; payloadStart: the
# guest said 'booted'; guestEnd: the guest powered off):
#   start      job start to payload start
#   cpu        host CPU of the job: QEMU (reaped by libvirtd's reaper), libvirtd, the service, the client
#   share      vmgrid's own share: job start to the VM running, plus guest power-off to the result
# and from libvirtd's debug log the time libvirt spends reading the guest CPU's features at each start.
# Environment: VMGRID_APPLIANCE_DIR as for ./bench.sh.
# shellcheck disable=SC2046 # $(col ...) prints one number a line, split into arguments on purpose
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)"
runs="${1:-5}"
json="${2:-$root/target/bench/results.json}"
work="$(mktemp -d /tmp/vmgrid-warm-bench.XXXXXX)"
chmod 755 "$work"
. "$root/vm-pilot/pilot/worker-node.sh"
wn_init "$work"
trap 'wn_stop; rm -rf "$work"' EXIT
. "$root/vm-pilot/appliance/bench-floor.sh"

adir="${VMGRID_APPLIANCE_DIR:-$work/appliance}"
[ -f "$adir/vmgrid-test-appliance.qcow2" ] || "$root/vmgrid" appliance build --out "$adir" >&2
grep -q '"vmgrid:guestcontract": 2' "$adir/imagelist.json" || {
  echo "bench-warm.sh: $adir/imagelist.json does not say guest contract 2; rebuild the appliance" >&2; exit 1; }
uuid="$(sed -n 's/.*"dc:identifier": "\([0-9a-f-]*\)".*/\1/p' "$adir/imagelist.json" | tail -1)"

WN_LIBVIRT_DEBUG=1 wn_start_libvirtd || { echo "bench-warm.sh: no libvirtd" >&2; exit 1; }
tini=$wn_libvirtd_pid
libvirtd=$(ps -o pid= --ppid "$tini" | head -1 | tr -d ' ')

mkdir -p "$work/run" "$work/jobs"
for kind in warm cold; do
  mkdir -p "$work/$kind/conf"
  cat >"$work/$kind/conf/pilot.properties" <<CONF
hypervisor = qemu
libvirt.uri = $wn_libvirt_uri
cache.dir = $work/$kind/cache
cache.max.bytes = 1073741824
slots = 1
boot.timeout = 300
state.dir = $work/$kind/state
accounting.file = $work/$kind/accounting.jsonl
service.socket = $work/run/$kind.sock
warm.start = $([ $kind = warm ] && echo true || echo false)
CONF
  printf 'catalogs = %s\ntrust.unsigned = true\n' "$adir/imagelist.json" >"$work/$kind/conf/images.properties"
  printf 'memory.default = 128\n' >"$work/$kind/conf/limits.properties"
done
chown -R $wn_user:$wn_group "$work/warm" "$work/cold" "$work/run"
chmod 0755 "$work/jobs"

# the SPANK plugin's client (vmgrid_wire.h), as batch-hooks' test harness builds it
gcc -std=c11 -D_GNU_SOURCE -O2 -o "$work/wire_check" "$root/batch-hooks/src/test/c/wire_check.c"
chmod 0755 "$work/wire_check"

wn_start_serve_at "$root/vmgrid" "$work/warm/conf" "$work/run/warm.sock" "$work/warm/serve.log" || exit 1
serve_warm=${wn_more_serve_pids##* }
wn_start_serve_at "$root/vmgrid" "$work/cold/conf" "$work/run/cold.sock" "$work/cold/serve.log" || exit 1
serve_cold=${wn_more_serve_pids##* }

# ticks (1/100 s) of CPU: utime + stime of a process (ticks), cutime + cstime of the children it reaped (reaped)
ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
reaped() { awk '{ sub(/^.*\) /, ""); print $14 + $15 }' "/proc/$1/stat"; }
epoch() { date -d "$1" +%s.%N; }
field() { sed -n "s/.*\"$2\":\"\\([^\"]*\\)\".*/\\1/p" <<<"$1"; }
number() { sed -n "s/.*\"$2\":\\([0-9.]*\\).*/\\1/p" <<<"$1"; }

lines() { if [ -f "$1" ]; then wc -l <"$1"; else echo 0; fi; }

# one job: KIND (warm|cold service) CLIENT (c|jvm) NAME [EXPECTED start, default KIND]; prints
# "start cpu share vmstart client result total own" (own: the share less libvirt's start or restore call)
one() {
  local kind=$1 client=$2 name=$3 expected=${4:-$1}
  local dir="$work/jobs/$kind-$client-$name" acct="$work/$kind/accounting.jsonl" sock="$work/run/$kind.sock"
  local serve n c0 c1 t0 t1 rec
  serve=$([ "$kind" = warm ] && echo "$serve_warm" || echo "$serve_cold")
  wn_pool_dir "$dir"
  n=$(lines "$acct")
  c0=$(( $(reaped "$tini") + $(ticks "$libvirtd") + $(ticks "$serve") + $(reaped $$) ))
  t0=$(now)
  if [ "$client" = c ]; then
    wn_as_pool "$work/wire_check" run "$sock" "$uuid" "$dir" 128 1 none 3600 -- sh -c 'echo hello from the guest' \
      >"$dir.out" 2>"$dir.err" || { echo "bench-warm.sh: $kind/$client job failed: $(cat "$dir.err")" >&2; exit 1; }
  else
    wn_as_pool "$root/vmgrid" pilot run --service "$sock" --image "$uuid" --workdir "$dir" --memory 128 --cpus 1 \
      --timeout 3600 -- sh -c 'echo hello from the guest' >"$dir.out" 2>"$dir.err" \
      || { echo "bench-warm.sh: $kind/$client job failed: $(cat "$dir.err")" >&2; exit 1; }
  fi
  t1=$(now)
  [ "$(cat "$dir.out")" = "hello from the guest" ] || { echo "bench-warm.sh: $kind/$client job: $(cat "$dir.err")" >&2; exit 1; }
  for _ in $(seq 600); do [ "$(lines "$acct")" -gt "$n" ] && break; sleep 0.1; done
  sleep 0.5 # the VM's QEMU is reaped
  c1=$(( $(reaped "$tini") + $(ticks "$libvirtd") + $(ticks "$serve") + $(reaped $$) ))
  rec=$(sed -n "$((n + 1))p" "$acct")
  [ "$(field "$rec" vmStart)" = "$expected" ] || {
    echo "bench-warm.sh: the $kind service started a VM $(field "$rec" vmStart), not $expected: $rec" >&2; exit 1; }
  awk -v t0="$t0" -v t1="$t1" -v c="$((c1 - c0))" -v taken="$(epoch "$(field "$rec" start)")" \
      -v running="$(epoch "$(field "$rec" vmRunning)")" -v payload="$(epoch "$(field "$rec" payloadStart)")" \
      -v ended="$(epoch "$(field "$rec" guestEnd)")" -v vmstart="$(number "$rec" vmStartSeconds)" \
      'BEGIN { share = ((running - t0) + (t1 - ended)) * 1000
               printf "%.3f %.2f %.0f %.0f %.0f %.0f %.3f %.0f\n", payload - t0, c / 100, share, vmstart * 1000,
                 (taken - t0) * 1000, (t1 - ended) * 1000, t1 - t0, share - vmstart * 1000 }'
}

awaitgolden() {
  for _ in $(seq 1200); do
    ls "$work"/warm/golden/*/0/golden.properties >/dev/null 2>&1 && return 0
    grep -q 'could not be made' "$work/warm/serve.log" && break
    sleep 0.5
  done
  echo "bench-warm.sh: no golden snapshot was made; the service's log:" >&2
  cat "$work/warm/serve.log" >&2
  exit 1
}

one cold c warmup >/dev/null
one warm c warmup cold >/dev/null # boots, and has the golden made behind it
awaitgolden
one warm jvm warmup >/dev/null
measured_from=$(date -u +%H:%M:%S.%3N)
declare -a cold=() warm=() jvm=()
for i in $(seq 1 "$runs"); do
  cold+=("$(one cold c "$i")")
  warm+=("$(one warm c "$i")")
  jvm+=("$(one warm jvm "$i")")
done
# libvirt reading the guest CPU's features, at every measured start and restore (libvirtd's debug log)
mapfile -t probe < <(awk -v from="$measured_from" '
  { split($2, t, /[:+]/); s = t[1] * 3600 + t[2] * 60 + t[3] }
  /Verifying and updating provided guest CPU/ && substr($2, 1, 12) >= from { thread[$3] = s; next }
  ($3 in thread) && /qemuProcessLaunch/ { printf "%.0f\n", (s - thread[$3]) * 1000; delete thread[$3] }' \
  "$work/libvirt/log/debug.log")

col() { local n=$1; shift; printf '%s\n' "$@" | awk -v n="$n" '{ print $n }'; }
stats() { # KEY VALUES...: "median min max" and the JSON member
  local key=$1; shift
  local med min max
  med=$(printf '%s\n' "$@" | median); min=$(printf '%s\n' "$@" | sort -n | head -1); max=$(printf '%s\n' "$@" | sort -n | tail -1)
  printf '  "%s": {"median": %s, "min": %s, "max": %s, "runs": [%s]}' "$key" "$med" "$min" "$max" "$(printf '%s\n' "$@" | paste -sd, -)"
}
med() { printf '%s\n' "$@" | median; }

mkdir -p "$(dirname "$json")"
{
  echo "{"
  stats cold_start_s $(col 1 "${cold[@]}"); echo ","
  stats warm_start_s $(col 1 "${warm[@]}"); echo ","
  stats warm_start_jvm_client_s $(col 1 "${jvm[@]}"); echo ","
  stats cold_cpu_s $(col 2 "${cold[@]}"); echo ","
  stats warm_cpu_s $(col 2 "${warm[@]}"); echo ","
  stats vmgrid_share_ms $(col 3 "${warm[@]}"); echo ","
  stats cold_vmgrid_share_ms $(col 3 "${cold[@]}"); echo ","
  stats vmgrid_share_jvm_client_ms $(col 3 "${jvm[@]}"); echo ","
  stats vmgrid_own_ms $(col 8 "${warm[@]}"); echo ","
  stats vmgrid_own_jvm_client_ms $(col 8 "${jvm[@]}"); echo ","
  stats libvirt_restore_ms $(col 4 "${warm[@]}"); echo ","
  stats libvirt_start_ms $(col 4 "${cold[@]}"); echo ","
  stats libvirt_cpu_probe_ms "${probe[@]}"; echo ","
  stats client_to_service_ms $(col 5 "${warm[@]}"); echo ","
  stats client_to_service_jvm_client_ms $(col 5 "${jvm[@]}"); echo ","
  stats guest_end_to_result_ms $(col 6 "${warm[@]}"); echo ","
  stats cold_total_s $(col 7 "${cold[@]}"); echo ","
  stats warm_total_s $(col 7 "${warm[@]}"); echo ","
  # not a figure: the run itself, and the ratios of the medians
  awk -v w="$(med $(col 1 "${warm[@]}"))" -v c="$(med $(col 1 "${cold[@]}"))" -v wc="$(med $(col 2 "${warm[@]}"))" \
    -v cc="$(med $(col 2 "${cold[@]}"))" -v when="$(date -u +%FT%TZ)" -v cores="$(nproc)" \
    -v load="$(cut -d' ' -f1 /proc/loadavg)" -v runs="$runs" 'BEGIN {
      printf "  \"about\": {\"script\": \"vm-pilot/pilot/bench-warm.sh\", \"when\": \"%s\", \"cores\": %s, \"load1\": %s, ", when, cores, load
      printf "\"runs\": %s, \"warm_over_cold_start\": %.3f, \"warm_over_cold_cpu\": %.3f}\n", runs, w / c, wc / cc }'
  echo "}"
} >"$json"

echo "## Warm against cold starts ($runs interleaved runs each, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg) at the end; $json)"
echo
echo "| what | median | min | max |"
echo "|---|---|---|---|"
row() { printf '| %s | %s | %s | %s |\n' "$1" "$(printf '%s\n' "${@:2}" | median)" "$(printf '%s\n' "${@:2}" | sort -n | head -1)" "$(printf '%s\n' "${@:2}" | sort -n | tail -1)"; }
row "cold: job start to payload start, s" $(col 1 "${cold[@]}")
row "warm: job start to payload start, s" $(col 1 "${warm[@]}")
row "warm, JVM client: job start to payload start, s" $(col 1 "${jvm[@]}")
row "cold: host CPU per job, s" $(col 2 "${cold[@]}")
row "warm: host CPU per job, s" $(col 2 "${warm[@]}")
row "warm: vmgrid's share (to VM running + power-off to result), ms" $(col 3 "${warm[@]}")
row "cold: vmgrid's share, ms" $(col 3 "${cold[@]}")
row "warm, JVM client: vmgrid's share, ms" $(col 3 "${jvm[@]}")
row "warm: vmgrid's own share, less libvirt's restore call, ms" $(col 8 "${warm[@]}")
row "warm, JVM client: the same, ms" $(col 8 "${jvm[@]}")
row "libvirt restore (call), ms" $(col 4 "${warm[@]}")
row "libvirt define + start (call), ms" $(col 4 "${cold[@]}")
row "of which libvirt reads the guest CPU's features (every start), ms" "${probe[@]}"
row "client start to the service taking the job (C client), ms" $(col 5 "${warm[@]}")
row "client start to the service taking the job (JVM client), ms" $(col 5 "${jvm[@]}")
row "guest power-off to the result at the client, ms" $(col 6 "${warm[@]}")
awk -v w="$(med $(col 1 "${warm[@]}"))" -v c="$(med $(col 1 "${cold[@]}"))" -v wc="$(med $(col 2 "${warm[@]}"))" \
  -v cc="$(med $(col 2 "${cold[@]}"))" 'BEGIN { printf "| **warm / cold, start** | **%.2fx** | | |\n| **warm / cold, CPU** | **%.2fx** | | |\n", w / c, wc / cc }'
