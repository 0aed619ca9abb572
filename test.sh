#!/usr/bin/env bash
# Runs vmgrid's whole test suite: unit tests (*Test) and integration tests (*IT) that start the
# real components (Felix, libvirtd + QEMU, SLURM, slapd + bdii-update, Axis2) on loopback.
# On a fresh Debian 12 machine, run as root: it installs what it needs first.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")"
. .ci/debian-packages.sh
vmgrid_install_debian_packages
exec mvn -B -ntp verify "$@"
