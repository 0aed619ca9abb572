#!/usr/bin/env bash
# vmgrid's main job on one machine, from a fresh Debian 12 (run as root): installs what it needs,
# builds vmgrid and the demo site, then brings up on loopback one VM-capable grid site
# (demo/src/test/java/org/vmgrid/demo/DemoSite.java, composed of the integration tests' fixtures):
#   SLURM (munge, slurmctld, slurmd with vmgrid's SPANK plugin), a worker node with the vmgrid pilot
#   service and a private system libvirtd, the project's test appliance and its image list; a real
#   ARC CE (A-REX with vmgrid's state callout and runtime environments, its LDAP infosys) in front of
#   that SLURM; the CREAM path as far as it is real here (vmgrid's Axis2 module before CREAM2's
#   JobRegister stand-in, BLAH's request file and SLURM hook, a job wrapper of CREAM's shape with
#   vmgrid's customization on the node); the site BDII (the CE's slapd + bdii-update) fed by vmgrid's
#   provider. Then it does what grid users, consumers and the site admin do, and prints a summary.
#
#   ./demo.sh           runs the steps, stops everything, exits 0 only if every step did what it should
#   ./demo.sh --keep    leaves the site up after the steps (and prints how to use it) until Ctrl-C
#
# Ctrl-C or a failure stops everything it started, by PID, and removes what it wrote. SiteDemoIT
# (in ./test.sh) runs the same steps on the same site.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "$0")")" && pwd)"
cd "$here"
keep=()
case "${1-}" in
  --keep) keep=(--keep) ;;
  "") ;;
  *) echo "usage: ./demo.sh [--keep]" >&2; exit 2 ;;
esac
if [ "$(id -u)" != 0 ]; then
  echo "demo.sh: run it as root: it starts SLURM, libvirtd and an ARC CE, and runs jobs as pool accounts" >&2
  exit 1
fi
t0=$(date +%s)
echo "== install what is missing (Debian packages, .ci/debian-packages.sh)"
# shellcheck source=.ci/debian-packages.sh
. .ci/debian-packages.sh
vmgrid_install_debian_packages
echo "== build vmgrid, its distribution and the demo site (mvn package; the tests are ./test.sh's)"
mvn -B -ntp -q -Dstyle.color=never package -DskipTests -pl demo -am
mkdir -p demo/target/tmp demo/target/debs
echo "   build: $(( $(date +%s) - t0 )) s"

# the demo in a session of its own: Ctrl-C reaches this script, which asks the demo to stop (SIGTERM);
# the demo stops what it started by PID and removes what it wrote before it exits
setsid java -XX:+UseSerialGC --add-exports java.base/sun.nio.ch=ALL-UNNAMED \
  -Dvmgrid.root="$here" -Dvmgrid.deb.cache="$here/demo/target/debs" -Djava.io.tmpdir="$here/demo/target/tmp" \
  -cp "$here/demo/target/test-classes:$(cat demo/target/demo.classpath)" org.vmgrid.demo.SiteDemo "${keep[@]}" </dev/null &
pid=$!
# the demo's exit code: 130 when stopped before its steps ended, 0 when a kept site is stopped
trap 'kill -TERM "$pid" 2>/dev/null || true' INT TERM
set +e
# a trapped signal ends wait early: wait again until the demo itself has ended, then take its status
while kill -0 "$pid" 2>/dev/null; do
  wait "$pid"
done
wait "$pid"
rc=$?
echo "== demo.sh: exit $rc after $(( $(date +%s) - t0 )) s (build included)"
exit "$rc"
