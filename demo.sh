#!/usr/bin/env bash
# The main vmgrid job on one machine, from a fresh Debian 12 (run as root): installs what it needs,
# builds vmgrid and the test appliance, then walks one grid job's path:
#   1. the site admits the job's VM request from its JDL (vmgrid jdl check) and renders the SLURM
#      directives BLAH's hook would append;
#   2. the worker-node pilot service (vmgrid serve) runs a pool account's payload inside a fresh VM
#      of that appliance through libvirt, the VM's QEMU as that account (a private system libvirtd
#      started here in its own mount namespace; plain QEMU where KVM is not usable);
#   3. the info provider publishes the site's VM capability and image in GLUE for the BDII.
# Everything it starts it stops by PID; everything it writes is under one temp dir, removed at exit.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "$0")")" && pwd)"
cd "$here"
. .ci/debian-packages.sh
vmgrid_install_debian_packages

work="$(mktemp -d /tmp/vmgrid-demo.XXXXXX)"
chmod 755 "$work"
. vm-pilot/pilot/worker-node.sh
wn_init "$work"
trap 'wn_stop; rm -rf "$work"' EXIT
step() { printf '\n== %s\n' "$*"; }

step "build vmgrid (./vmgrid builds its distribution when missing)"
./vmgrid version

step "build the test appliance: Debian kernel + busybox init, and its HEPiX image list"
./vmgrid appliance build --out "$work/appliance"
uuid="$(sed -n 's/.*"dc:identifier": "\([0-9a-f-]*\)".*/\1/p' "$work/appliance/imagelist.json" | tail -1)"

step "a small SLURM site trusting that list, alias 'demo' for the image, VO dteam may use it"
mkdir -p "$work/conf" "$work/job"
cat >"$work/conf/site.properties" <<CONF
site.name = VMGRID-DEMO
ce.host = $(hostname -f 2>/dev/null | grep -E '^[A-Za-z0-9.-]+$' || echo localhost)
lrms = slurm
CONF
printf 'catalogs = %s\ntrust.unsigned = true\nalias.demo = %s\n' "$work/appliance/imagelist.json" "$uuid" >"$work/conf/images.properties"
printf 'vo.dteam.images = demo\n' >"$work/conf/policy.properties"
printf 'memory.default = 128\nmemory.max = 512\ncpus.max = 2\n' >"$work/conf/limits.properties"
cat >"$work/conf/pilot.properties" <<CONF
hypervisor = auto
libvirt.uri = $wn_libvirt_uri
cache.dir = $work/cache
state.dir = $work/state
accounting.file = $work/accounting.jsonl
boot.timeout = 300
service.socket = $wn_pilot_socket
CONF
./vmgrid config check --config-dir "$work/conf"

step "1. a grid user's JDL, checked as the CE's plug-in checks it"
cat >"$work/job.jdl" <<'JDL'
[
  Type = "Job";
  Executable = "/bin/sh";
  Arguments = "-c 'uname -r; echo computed in the VM > result.txt'";
  StdOutput = "std.out";
  StdError = "std.err";
  OutputSandbox = { "std.out", "std.err", "result.txt" };
  VirtualMachine = [ Image = "demo"; Memory = 128; CPUs = 1; Network = "none"; ];
]
JDL
cat "$work/job.jdl"
./vmgrid jdl check "$work/job.jdl" --config-dir "$work/conf" --vo dteam --lrms slurm
echo "-- the same JDL from VO cms (the site's policy gives cms no image):"
./vmgrid jdl check "$work/job.jdl" --config-dir "$work/conf" --vo cms --lrms slurm || echo "(exit $?: refused)"

step "2. the worker node: the payload runs inside a fresh VM of the image"
chown -R $wn_user:$wn_group "$work"
wn_pool_dir "$work/job"
wn_start_libvirtd || { echo "demo.sh: no libvirtd" >&2; exit 1; }
echo "host kernel: $(uname -r)"
echo "-- the worker node's pilot service (vmgrid serve, owning libvirt, the catalogue and the cache):"
wn_start_serve "$here/vmgrid" "$work/conf" || { echo "demo.sh: no pilot service" >&2; exit 1; }
cat "$work/serve.log"
echo "-- the job (as a pool account, $wn_pool, in its job directory of mode 0700, through the SPANK plugin's"
echo "   service= on a SLURM node; its VM's QEMU runs as $wn_pool):"
set +e
wn_as_pool "$here/vmgrid" pilot run --service "$wn_pilot_socket" --image demo --workdir "$work/job" \
  --timeout 600 -- /bin/sh -c 'uname -r; echo computed in the VM > result.txt' | sed 's/^/guest kernel (payload stdout): /'
rc=${PIPESTATUS[0]}
set -e
echo "pilot exit code: $rc (the payload's)"
echo "result.txt written in the VM: $(cat "$work/job/result.txt") ($(stat -c '%U, mode %a' "$work/job/result.txt"))"
# the service writes the record once the VM is torn down, just after the job has its result
for _ in $(seq 100); do [ -s "$work/accounting.jsonl" ] && break; sleep 0.1; done
echo "accounting record:"
cat "$work/accounting.jsonl"

step "3. the information system: GLUE 1.3 tags the BDII publishes for this site"
./vmgrid info ldif --config-dir "$work/conf" | grep -E '^(dn: GlueSubClusterUniqueID|GlueHostApplicationSoftwareRunTimeEnvironment|GLUE2ExecutionEnvironmentVirtualMachine)' || true
[ "$rc" -eq 0 ] && [ "$(cat "$work/job/result.txt")" = "computed in the VM" ]
step "demo done: nothing left running, $work removed"
