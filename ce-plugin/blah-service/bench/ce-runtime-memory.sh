#!/usr/bin/env bash
# Resident memory of the CE's vmgrid runtime ('vmgrid serve' with the BLAH hook service and the ARC
# state callout service, on the example site of config-examples/site): VmRSS and VmHWM of the exact
# PID started here (/proc/<pid>/status), after start, idle after a first hook call, sampled every
# 250 ms while 1, 2, 4 and 8 BLAH submissions at a time source the installed SLURM hook for a VM job
# (as prelz BLAH does where /bin/sh is bash; every answer is checked), and the high-water mark at the end.
#   ce-plugin/blah-service/bench/ce-runtime-memory.sh [CALLS]   (CALLS per submitter and level, default 20)
# Prints one row of the memory table of docs/benchmarks.md (./bench.sh runs it), then the calls made.
# Needs the built distribution (bundles/runtime/target/vmgrid: 'mvn package -pl bundles/runtime -am').
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/../../.." && pwd)"
calls="${1:-20}"
image=3f8b5c2e-9a41-4d7e-8c3b-1f2a6d9e0b47   # debian-test of config-examples/site, allowed to dteam
work="$(mktemp -d /tmp/vmgrid-ce-memory.XXXXXX)"
pid='' sampler=''
stop() {
  [ -n "$sampler" ] && { kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true; }
  [ -n "$pid" ] && { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
  rm -rf "$work"
}
trap stop EXIT
kib() { sed -n "s/^$2:[[:space:]]*\([0-9]*\) kB\$/\1/p" "/proc/$1/status"; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

cp -r "$root/config-examples/site" "$work/site"
echo "blah.hook.socket = $work/run/blah-hook.sock" >>"$work/site/site.properties"
mkdir -p "$work/run" "$work/libexec"
"$root/vmgrid" blah install-hooks --libexec "$work/libexec" --config-dir "$work/site" >/dev/null
# exec: $! is the JVM's own PID (the launcher execs java)
(VMGRID_JAVA_OPTS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss4m -XX:-UsePerfData -Dvmgrid.arc.callout.socket=$work/run/arc-callout.sock" \
  exec "$root/vmgrid" serve --config-dir "$work/site" --storage "$work/felix" >"$work/serve.log" 2>&1) &
pid=$!
for _ in $(seq 600); do
  [ -S "$work/run/blah-hook.sock" ] && [ -S "$work/run/arc-callout.sock" ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
if ! [ -S "$work/run/blah-hook.sock" ] || ! [ -S "$work/run/arc-callout.sock" ]; then
  echo "ce-runtime-memory: vmgrid serve opened no hook or callout socket; its output:" >&2
  cat "$work/serve.log" >&2
  exit 1
fi
sleep 2
started=$(kib "$pid" VmRSS)

# BLAH's submit-attributes script for a VM job: the request file's assignments, then the hook
cat >"$work/request.sh" <<REQ
#!/bin/sh
VirtualOrganisation='dteam'
x509UserProxyFQAN='"userFQAN=/dteam/Role=NULL/Capability=NULL"'
GlueHostApplicationSoftwareRunTimeEnvironment[0]='"VM-IMAGE-$image"'
VmgridMemory='1024'
VmgridCPUs='1'
VmgridNetwork='"none"'
source $work/libexec/slurm_local_submit_attributes.sh
REQ
hook_call() {
  local answer
  answer=$(env -i PATH=/usr/bin:/bin /bin/bash --posix "$work/request.sh" 2>/dev/null)
  case $answer in
    *"#SBATCH --comment=vmgrid:image=$image,"*) ;;
    *) echo "ce-runtime-memory: the hook service did not admit the VM job; answer: $answer" >&2; return 1 ;;
  esac
}
hook_call
idle=$(kib "$pid" VmRSS)

(peak=0
 while :; do
   r=$(kib "$pid" VmRSS 2>/dev/null || echo 0)
   [ "${r:-0}" -gt "$peak" ] && { peak=$r; echo "$peak" >"$work/peak"; }
   sleep 0.25
 done) &
sampler=$!
made=0
for n in 1 2 4 8; do
  submitters=()
  for _ in $(seq "$n"); do
    (for _ in $(seq "$calls"); do hook_call || exit 1; done) &
    submitters+=("$!")
  done
  for s in "${submitters[@]}"; do wait "$s" || { echo "ce-runtime-memory: a submitter failed" >&2; exit 1; }; done
  made=$((made + n * calls))
done
sleep 0.5
peak=$(cat "$work/peak")
hwm=$(kib "$pid" VmHWM)
kill -0 "$pid" || { echo "ce-runtime-memory: vmgrid serve went away" >&2; exit 1; }
echo "| CE runtime (\`vmgrid serve\` with the BLAH hook service and the ARC state callout service) | $pid | $(mib "$started") | $(mib "$idle") | $(mib "$peak") | $(mib "$hwm") | $(cut -d' ' -f1 /proc/loadavg) |"
echo "hook calls: $made VM submissions answered, 1, 2, 4 and 8 at a time, $calls each"
