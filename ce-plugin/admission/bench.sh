#!/usr/bin/env bash
# JMH benchmark of JDL admission (parse + admit + render of a 30-line VM JDL) on one thread.
# Usage: ce-plugin/admission/bench.sh [JMH options, default: -wi 4 -w 5s -i 8 -r 2s]; figures go to
# docs/benchmarks.md by hand.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)"
cd "$root"
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath \
  -Dmdep.includeScope=test -pl ce-plugin/admission -am
m="$root/ce-plugin/admission"
opts=("$@")
[ ${#opts[@]} -eq 0 ] && opts=(-wi 4 -w 5s -i 8 -r 2s)
exec java -cp "$m/target/test-classes:$m/target/classes:$(cat "$m/target/bench.classpath")" \
  -Dvmgrid.examples="$root/config-examples/site" \
  org.openjdk.jmh.Main AdmissionBenchmark -f 1 -t 1 "${opts[@]}"
