#!/usr/bin/env bash
# The main vmgrid demo on a fresh Debian 12 machine (run as root): installs what it needs, builds
# vmgrid, and shows the command line and a site configuration check.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")"
. .ci/debian-packages.sh
vmgrid_install_debian_packages
mvn -B -ntp -q package -DskipTests
echo "== ./vmgrid version"
./vmgrid version
echo "== ./vmgrid --help"
./vmgrid --help
echo "== ./vmgrid config check --config-dir config-examples/site"
./vmgrid config check --config-dir config-examples/site
