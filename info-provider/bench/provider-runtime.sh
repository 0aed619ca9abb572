#!/usr/bin/env bash
# Benchmark: run time of the GIP provider (`vmgrid info ldif`, JVM start included) for a site with
# 500 images and 50 VOs, median of N runs, side by side with `vmgrid version` (the JVM start and
# CLI alone) in the same run. Usage: info-provider/bench/provider-runtime.sh [RUNS]
# Needs the built distribution (mvn -B -q -o package -pl bundles/runtime -am).
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
runs="${1:-7}"
images=500 vos=50
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cp "$here"/config-examples/site/*.properties "$work/"
mkdir -p "$work/imagelists" "$work/trust-anchors"
python3 - "$work" "$images" "$vos" <<'PY'
import json, sys, uuid
work, n, v = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
ids = [str(uuid.UUID(int=(i + 1) * 7919 * 2**64 + i, version=4)) for i in range(n)]
imgs = [{"hv:image": {"dc:identifier": u, "dc:title": "Benchmark image %d" % i, "hv:version": "1.%d" % i,
         "hv:format": "qcow2", "hv:size": 2752512 + i, "hv:uri": "https://images.example.org/%s.qcow2" % u,
         "sl:checksum:sha512": ("%02x" % (i % 256)) * 64}} for i, u in enumerate(ids)]
lst = {"hv:imagelist": {"dc:identifier": "9d1c2f3e-5b7a-4c8d-9e0f-a1b2c3d4e5f6", "dc:title": "benchmark list",
       "dc:date:created": "2026-11-01T00:00:00Z", "dc:date:expires": "2036-11-01T00:00:00Z",
       "hv:uri": "file:///etc/vmgrid/imagelists/example-unsigned.json", "hv:version": "1",
       "hv:endorser": {"hv:x509": {"dc:creator": "bench", "hv:ca": "/CN=CA", "hv:dn": "/CN=bench", "hv:email": "b@example.org"}},
       "hv:images": imgs}}
open(work + "/imagelists/example-unsigned.json", "w").write(json.dumps(lst))
with open(work + "/images.properties", "w") as f:
    f.write("catalogs = imagelists/example-unsigned.json\ntrust.unsigned = true\ntrust.anchors = trust-anchors\n")
    for i in range(0, n, 5):
        f.write("alias.img%d = %s\n" % (i, ids[i]))
with open(work + "/policy.properties", "w") as f:
    for j in range(v):
        if j % 10 == 0:
            f.write("vo.vo%d.images = *\n" % j)
        else:
            f.write("vo.vo%d.images = %s\n" % (j, ", ".join(ids[k] for k in range(j, n, v))))
PY

vmgrid="$here/vmgrid"
"$vmgrid" info ldif --config-dir "$work" > "$work/out.ldif"
published=$(grep -c '^GlueHostApplicationSoftwareRunTimeEnvironment: VM-IMAGE-[0-9a-f]\{8\}-' "$work/out.ldif")
[ "$published" -eq "$images" ] || { echo "expected $images images published, got $published" >&2; exit 1; }

# A class-data-sharing archive of the provider's classes (JDK 17 AppCDS), made by one run.
base_opts="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss4m"
VMGRID_JAVA_OPTS="$base_opts -XX:ArchiveClassesAtExit=$work/provider.jsa" "$vmgrid" info ldif --config-dir "$work" > /dev/null 2>&1

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
time_ms() { local s e; s=$(date +%s%N); "$@" > /dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
prov=() base=() cds=()
for _ in $(seq "$runs"); do
  base+=("$(time_ms "$vmgrid" version)")
  prov+=("$(time_ms "$vmgrid" info ldif --config-dir "$work")")
  cds+=("$(VMGRID_JAVA_OPTS="$base_opts -XX:SharedArchiveFile=$work/provider.jsa" time_ms "$vmgrid" info ldif --config-dir "$work")")
done
cm=$(printf '%s\n' "${cds[@]}" | median)
pm=$(printf '%s\n' "${prov[@]}" | median)
bm=$(printf '%s\n' "${base[@]}" | median)
echo "site: $images images, $vos VOs, $(grep -c '^dn: ' "$work/out.ldif") entries, $(wc -c < "$work/out.ldif") bytes of LDIF"
echo "runs: $runs (interleaved), $(nproc) cores, $(java -version 2>&1 | head -1)"
echo "vmgrid info ldif  median ${pm} ms  (runs: ${prov[*]})"
echo "vmgrid info ldif with AppCDS archive  median ${cm} ms  (runs: ${cds[*]})"
echo "vmgrid version    median ${bm} ms  (runs: ${base[*]})"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "provider / JVM-start baseline: $(awk -v a="$pm" -v b="$bm" 'BEGIN {printf "%.2f", a / b}')x; share of a default 120 s BDII cycle: $(awk -v a="$pm" 'BEGIN {printf "%.2f", a / 1200}')%"
