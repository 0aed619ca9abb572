#!/usr/bin/env bash
# Runs the image catalogue's JMH benchmarks (src/test/java/org/vmgrid/imagelist/bench) on one
# thread (./bench.sh runs it for docs/benchmarks.md). Usage: bundles/imagelist/benchmark.sh [JMH options]
# (MAVEN_REPO_LOCAL: the local Maven repository to build from, default ~/.m2/repository)
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "$0")")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cp_file="$(mktemp /tmp/vmgrid-jmh-cp.XXXXXX)"
trap 'rm -f "$cp_file"' EXIT
(cd "$root" && mvn -B -q -o -Dmaven.repo.local="${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}" test-compile dependency:build-classpath -Dmdep.outputFile="$cp_file" \
    -Dmdep.includeScope=test -pl bundles/imagelist -am) >&2
cp="$(cat "$cp_file")"
rm -f "$cp_file" # exec below ends this shell without its EXIT trap
exec java -cp "$here/target/test-classes:$here/target/classes:$cp" org.openjdk.jmh.Main \
    -t 1 "org.vmgrid.imagelist.bench.CatalogBenchmark" "$@"
