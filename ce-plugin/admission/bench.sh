#!/usr/bin/env bash
# JMH benchmark of JDL admission (parse + admit + render of a 30-line VM JDL) on one thread.
# Usage: ce-plugin/admission/bench.sh [JMH options, default: -wi 4 -w 5s -i 8 -r 2s] (./bench.sh runs it
# for docs/benchmarks.md; MAVEN_REPO_LOCAL: the local Maven repository, default ~/.m2/repository)
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)"
cd "$root"
mvn -B -q -Dmaven.repo.local="${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}" test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath \
  -Dmdep.includeScope=test -pl ce-plugin/admission -am
m="$root/ce-plugin/admission"
opts=("$@")
[ ${#opts[@]} -eq 0 ] && opts=(-wi 4 -w 5s -i 8 -r 2s)
exec java -cp "$m/target/test-classes:$m/target/classes:$(cat "$m/target/bench.classpath")" \
  -Dvmgrid.examples="$root/config-examples/site" \
  org.openjdk.jmh.Main AdmissionBenchmark -f 1 -t 1 "${opts[@]}"
