# Sourced by test.sh, demo.sh and bench.sh: installs the Debian 12 packages vmgrid's build, demo and
# tests use (and, given as arguments, more: bench.sh's VMGRID_BENCH_DEBIAN_PACKAGES), when run as
# root and any is missing. Daemons are never started by the install: vmgrid's
# tests start exactly the ones they need, on loopback, and stop them by PID.
VMGRID_DEBIAN_PACKAGES=(
  openjdk-17-jdk-headless maven
  libvirt-daemon-system libvirt-clients qemu-system-x86 qemu-utils tini iptables
  genisoimage cpio busybox-static mmdebstrap e2fsprogs syslinux syslinux-common extlinux mtools dosfstools fdisk kmod
  slurm-wlm slurm-client munge socat libslurm-dev gcc libc6-dev
  slapd ldap-utils bdii glue-schema
  nordugrid-arc-arex nordugrid-arc-client nordugrid-arc-infosys-ldap nordugrid-arc-arcctl
  nordugrid-arc-plugins-needed nordugrid-arc-plugins-arcrest nordugrid-arc-wn python3-nordugrid-arc
  openssl
  libarccommon3v5 nordugrid-arc-arex
  gridengine-master gridengine-exec gridengine-client
  shellcheck dash
  iproute2
)
# What ./bench.sh needs beside those: gnuplot draws the concurrency plot of docs/benchmarks.md.
VMGRID_BENCH_DEBIAN_PACKAGES=(gnuplot-nox)

vmgrid_install_debian_packages() {
  local missing=()
  for p in "${VMGRID_DEBIAN_PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  # The test appliance's kernel is fetched with apt-get download: that needs the package lists.
  if [ ${#missing[@]} -eq 0 ]; then
    if [ "$(id -u)" -eq 0 ] && ! ls /var/lib/apt/lists/*_Packages >/dev/null 2>&1; then
      DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null || { echo "vmgrid: apt-get update failed" >&2; return 1; }
    fi
    return 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "vmgrid: missing Debian packages: ${missing[*]}; install them as root (apt-get install ${missing[*]}) or run this script as root" >&2
    return 1
  fi
  echo "vmgrid: installing Debian packages: ${missing[*]}" >&2
  # Keep package scripts from starting daemons (there is no init system to manage them here).
  local policy=/usr/sbin/policy-rc.d made_policy=
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod 755 "$policy" && made_policy=1
  fi
  # Grid Engine's packages would otherwise make a system-wide cell (init_cluster) at install; the
  # tests run their own cell in a private SGE_ROOT.
  echo 'gridengine-common shared/gridengineconfig boolean false' | debconf-set-selections
  local rc=0 log
  log="$(mktemp /tmp/vmgrid-apt.XXXXXX.log)"
  DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >"$log" 2>&1 || rc=$?
  [ -n "$made_policy" ] && rm -f "$policy"
  if [ $rc -ne 0 ]; then
    echo "vmgrid: apt-get install of ${missing[*]} failed (exit $rc); its output is in $log" >&2
    return 1
  fi
  rm -f "$log"
}
