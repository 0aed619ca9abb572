#!/usr/bin/env bash
# vmgrid's benchmarks, all in one go: runs every part, then writes docs/benchmarks.md from its
# template docs/benchmarks.md.in with this run's figures (the summary's goals and whether they are
# met computed from them), and the plot docs/benchmarks-concurrency.png. Run as root, on a machine
# as quiet as you have: each part measures its ratios side by side, but the absolute figures follow
# the load (the page says what it was).
#   ./bench.sh [RUNS]     RUNS: medians of RUNS in each part (default 5, about 45-60 min on 2
#                         cores); 1 is a quick run (shorter JMH runs too) to prove the script
# Environment:
#   MAVEN_REPO_LOCAL      the local Maven repository to build with and from (default ~/.m2/repository)
#   VMGRID_MAVEN_ARGS     more Maven arguments for every build (e.g. -o)
#   VMGRID_APPLIANCE_DIR  a directory holding vmgrid-test-appliance.qcow2 and imagelist.json (built
#                         with './vmgrid appliance build' when unset)
#   BLAH_SRC              BLAH's src/scripts (prelz/BLAH or HTCondor's blahp; vmgrid ships no BLAH
#                         code) for the BLAH hook part; without it that part is not measured
#   VMGRID_BENCH_DOCS     where the page and the plot go (default docs/ of this checkout)
#   VMGRID_BENCH_RESUME   1: keep target/bench of the last run and run again only the parts that
#                         were not measured there (the page says which and when)
#   VMGRID_BENCH_PARTS    only these parts (names as in target/bench: build floor pilot warm
#                         concurrency ce-memory admission imagelist cache provider blah arc); the
#                         others are reported as not measured
# Every part's output and log stay in target/bench/. A part that fails is reported as not measured
# on the page, with the end of its log, and ./bench.sh then exits 1.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "$0")")" && pwd)"
runs="${1:-5}"
case "$runs" in '' | *[!0-9]* | 0) echo "bench.sh: RUNS must be a positive number, not '$runs'" >&2; exit 2 ;; esac
[ "$(id -u)" -eq 0 ] || { echo "bench.sh: run as root (private libvirtd, loopback SLURM, mount namespaces)" >&2; exit 2; }
docs="${VMGRID_BENCH_DOCS:-$here/docs}"
out="$here/target/bench"
if [ "${VMGRID_BENCH_RESUME:-}" = 1 ] && [ -f "$out/began" ]; then resumed=$(date -u +%H:%M); else
  resumed=''; rm -rf "$out"; fi
mkdir -p "$out" "$docs"
work="$(mktemp -d /tmp/vmgrid-bench.XXXXXX)"
chmod 755 "$work"   # the pilot's part runs as an unprivileged user and reads the appliance from here
sampler=''
trap '[ -n "$sampler" ] && kill "$sampler" 2>/dev/null; rm -rf "$work"' EXIT

. "$here/.ci/debian-packages.sh"
vmgrid_install_debian_packages "${VMGRID_BENCH_DEBIAN_PACKAGES[@]}"
. "$here/vm-pilot/appliance/bench-floor.sh"

export MAVEN_REPO_LOCAL="${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}"
read -r -a mvn_args <<<"-B -q -ntp -Dmaven.repo.local=$MAVEN_REPO_LOCAL ${VMGRID_MAVEN_ARGS:-}"
# quick runs also shorten the JMH parts; the full ones use each benchmark's own settings
if [ "$runs" -ge 3 ]; then quick=() admission_jmh=(-wi 4 -w 5s -i 8 -r 2s); else
  quick=(-wi 1 -w 1s -i 2 -r 1s) admission_jmh=("${quick[@]}"); fi
concurrency_rounds=$(( runs >= 5 ? (runs + 1) / 3 : 1 ))

[ -f "$out/began" ] || printf '%s|%s\n' "$(date -u '+%Y-%m-%d %H:%M')" "$(cut -d' ' -f1-3 /proc/loadavg)" >"$out/began"
IFS='|' read -r began load_start <"$out/began"
# the load average every 30 s, for the page
(while :; do cut -d' ' -f1 /proc/loadavg >>"$out/load.samples"; sleep 30; done) &
sampler=$!

failed=()
# part NAME CMD...: runs CMD, its stdout to target/bench/NAME.md, its stderr to NAME.log; on
# failure the page's section says so with the end of the log
part() {
  local name="$1" t0 rc=0
  shift
  if [ -n "${VMGRID_BENCH_PARTS:-}" ] && [[ " $VMGRID_BENCH_PARTS " != *" $name "* ]]; then
    failed+=("$name")
    echo "**Not measured in this run:** not among VMGRID_BENCH_PARTS ($VMGRID_BENCH_PARTS)." >"$out/$name.md"
    return 0
  fi
  if [ -n "$resumed" ] && grep -qx "$name" "$out/done" 2>/dev/null; then
    echo "bench.sh: $name kept from the earlier run" >&2
    return 0
  fi
  [ -z "$resumed" ] || echo "$name ($(date -u +%H:%M) UTC)" >>"$out/rerun"
  echo "bench.sh: $name ($(date -u +%H:%M:%S))" >&2
  t0=$(date +%s)
  "$@" >"$out/$name.md" 2>"$out/$name.log" || rc=$?
  echo "$name $(( $(date +%s) - t0 ))" >>"$out/durations"
  date -u +%H:%M >"$out/ended"
  if [ $rc -eq 0 ]; then echo "$name" >>"$out/done"; else
    failed+=("$name")
    { echo "**Not measured in this run:** \`$*\` failed (exit $rc). The end of its log:"; echo
      echo '```'; tail -n 15 "$out/$name.log"; echo '```'; } >"$out/$name.md"
  fi
}

build() { (cd "$here" && mvn "${mvn_args[@]}" install -DskipTests); }

appliance_image() {
  local dir="${VMGRID_APPLIANCE_DIR:-$work/appliance}"
  if [ ! -f "$dir/vmgrid-test-appliance.qcow2" ]; then
    "$here/vmgrid" appliance build --out "$dir" >&2
  fi
  echo "$dir/vmgrid-test-appliance.qcow2"
}

floor() {
  local image iso i times=()
  image="$(appliance_image)" && iso="$(floor_context_iso "$work")" || return 1
  for i in $(seq 1 "$runs"); do
    times+=("$(floor_boot_once "$image" "$iso" "$work/run.$i")") || return 1
  done
  echo "| what | runs | median s | min s | max s |"
  echo "|---|---|---|---|---|"
  printf '| boot to power-off, payload echo | %s | %s | %s | %s |\n' "$runs" "$(printf '%s\n' "${times[@]}" | median)" \
    "$(printf '%s\n' "${times[@]}" | sort -n | head -1)" "$(printf '%s\n' "${times[@]}" | sort -n | tail -1)"
}

# jmh_ok PART: no benchmark of the part failed (JMH then still exits 0; its output is the part's log)
jmh_ok() {
  if grep -q '<failure>' "$out/$1.log"; then echo "bench.sh: a benchmark of $1 failed (see above)" >&2; return 1; fi
}

# jmh_table CSV: JMH's CSV results (Benchmark, Mode, Threads, Samples, Score, Error, Unit, Param...)
# as a table
jmh_table() {
  [ "$(wc -l <"$1" 2>/dev/null || echo 0)" -gt 1 ] || { echo "bench.sh: JMH wrote no results to $1" >&2; return 1; }
  echo "| benchmark | parameters | score | ± (99.9 %) | unit |"
  echo "|---|---|---|---|---|"
  awk 'function num(v) { return v != v + 0 || v ~ /nan/ ? "-" : v >= 100 ? sprintf("%.0f", v) : sprintf("%.3g", v) }
    NR == 1 { gsub(/"/, ""); split($0, h, ","); next }
    { gsub(/"/, ""); split($0, f, ","); n = split(f[1], b, "."); params = ""
      for (i = 8; i in f; i++) { p = h[i]; sub(/^Param: /, "", p); params = params (params == "" ? "" : ", ") p "=" f[i] }
      printf "| `%s` | %s | %s | %s | %s |\n", b[n], (params == "" ? "-" : params), num(f[5]), num(f[6]), f[7] }' "$1"
}

admission() {
  local csv="$out/admission.csv"
  "$here/ce-plugin/admission/bench.sh" "${admission_jmh[@]}" -rf csv -rff "$csv" >&2 && jmh_ok admission && jmh_table "$csv"
}

imagelist() {
  local csv="$out/imagelist.csv"
  "$here/bundles/imagelist/benchmark.sh" "${quick[@]}" -rf csv -rff "$csv" >&2 && jmh_ok imagelist && jmh_table "$csv"
}

cache() {
  local csv="$out/cache.csv"
  "$here/vm-pilot/pilot/benchmark.sh" "${quick[@]}" -rf csv -rff "$csv" >&2 && jmh_ok cache && jmh_table "$csv"
}

# a part's own headings become subheadings of its section
demote() { sed 's/^## /### /'; }

pilot() {
  local image
  image="$(appliance_image)" || return 1
  VMGRID_APPLIANCE_DIR="$(dirname "$image")" "$here/vm-pilot/pilot/bench-pilot.sh" "$runs" >"$out/pilot.raw" && demote <"$out/pilot.raw"
}

warm() {
  local image
  image="$(appliance_image)" || return 1
  VMGRID_APPLIANCE_DIR="$(dirname "$image")" "$here/vm-pilot/pilot/bench-warm.sh" "$runs" "$out/results.json" >"$out/warm.raw" &&
    demote <"$out/warm.raw"
}

provider() { "$here/info-provider/bench/provider-runtime.sh" $((runs + 2)) >"$out/provider.raw" && sed 's/^/- /' "$out/provider.raw"; }

blah() {
  if [ -z "${BLAH_SRC:-}" ]; then
    echo "bench.sh: BLAH_SRC is not set: the BLAH hook part needs BLAH's src/scripts (a checkout of prelz/BLAH or HTCondor's blahp)" >&2
    return 3
  fi
  VMGRID_MAVEN_OPTS="${mvn_args[*]:1}" "$here/ce-plugin/blah-service/bench/hook-cost.sh" $((runs * 8))
}

# ARC CE: arcsub to FINISHED of a VM job next to the same payload as a plain job and the boot floor
arc() {
  (cd "$here" && mvn "${mvn_args[@]}" verify -pl ce-plugin/arc-itests -Dit.test=ArcSubmitBench -Dtest=none \
    -Dvmgrid.bench.runs="$runs" -Dsurefire.failIfNoSpecifiedTests=false) >&2 &&
    demote <"$here/ce-plugin/arc-itests/target/arc-bench.md"
}

# VM jobs 1, 2, 4, 8 at once on the 4-slot node, and the pilot service's memory under that load
concurrency() {
  (cd "$here" && mvn "${mvn_args[@]}" verify -pl itests -Dit.test=ConcurrencyBench -Dtest=none \
    -Dvmgrid.bench.runs="$concurrency_rounds" -Dvmgrid.bench.out="$out/concurrency" \
    -Dsurefire.failIfNoSpecifiedTests=false) >&2 && cat "$out/concurrency/concurrency.md"
}

ce_memory() { "$here/ce-plugin/blah-service/bench/ce-runtime-memory.sh" $((runs * 4)); }

part build build
part floor floor
part pilot pilot
part warm warm
part concurrency concurrency
part ce-memory ce_memory
part admission admission
part imagelist imagelist
part cache cache
part provider provider
part blah blah
part arc arc

kill "$sampler" 2>/dev/null || true
wait "$sampler" 2>/dev/null || true
sampler=''
ended=$(cat "$out/ended" 2>/dev/null || date -u +%H:%M); minutes=$(awk '{ s += $2 } END { printf "%.0f", (s + 59) / 60 }' "$out/durations")

# --- the figures the summary is computed from ("" when a part was not measured) ---
# each prints nothing when its part was not measured
cell() { awk -F'|' -v k="$2" 'index($2, k) { gsub(/[ *x]/, "", $3); print $3; exit }' "$out/$1.md" 2>/dev/null || true; }
jmh() { awk -v b="$2" 'NR > 1 { gsub(/"/, ""); split($0, f, ","); n = split(f[1], a, "."); if (a[n] == b) { print f[5]; exit } }' \
  "$out/$1.csv" 2>/dev/null || true; }
datcol() { awk -v n="$1" -v c="$2" '$1 == n { print $c }' "$out/concurrency/concurrency.dat" 2>/dev/null || true; }
jq_fig() { jq -r "$1 // empty" "$out/results.json" 2>/dev/null || true; }
# ok FIGURE CONDITION: whether the goal is met ("yes", "no", or "not measured" without a figure)
ok() {
  if [ -z "$1" ]; then echo "not measured"
  elif awk -v v="$1" "BEGIN { exit !(v $2) }"; then echo yes
  else echo no; fi
}
# or_dash FIGURE [UNIT]: the figure with its unit, or "not measured"
or_dash() { if [ -n "$1" ]; then printf '%s%s' "$1" "${2:-}"; else printf 'not measured'; fi; }

f_admission=$(jmh admission parseAdmitRender | awk '{ printf "%.0f", $1 }')
f_lookup=$(jmh imagelist resolveUuid)              # ops/µs
f_lookup_alias=$(jmh imagelist resolveAlias)
f_floor=$(awk -F'|' 'index($2, "boot to power-off") { gsub(/ /, "", $4); print $4 }' "$out/floor.md" 2>/dev/null || true)
f_pilot_ratio=$(cell pilot "ratio pilot --service / floor")
f_prep=$(cell pilot "overlay + context ISOs")
f_warm_start=$(jq_fig .about.warm_over_cold_start); f_warm_cpu=$(jq_fig .about.warm_over_cold_cpu)
f_own=$(jq_fig .vmgrid_own_ms.median)
f_provider=$(sed -n 's/^- vmgrid info ldif  median \([0-9.]*\) ms.*/\1/p' "$out/provider.md" 2>/dev/null || true)
f_hook_plain=$(sed -n 's/.*job without VM request \([0-9.]*\) ms;.*/\1/p' "$out/blah.md" 2>/dev/null || true)
f_hook_vm=$(sed -n 's/.*; VM job [0-9.]* ms, \([0-9]*\)% of BLAH.*/\1/p' "$out/blah.md" 2>/dev/null || true)
f_arc=$(sed -n 's/^VM job - plain job: \([0-9.]*\) s; boot floor + 1 s: \([0-9.]*\) s;.*/\1 \2/p' "$out/arc.md" 2>/dev/null || true)
f_r1=$(datcol 1 4) f_r2=$(datcol 2 4) f_r4=$(datcol 4 4) f_r8=$(datcol 8 4) f_m8=$(datcol 8 7)
mem() { awk -F'|' -v k="$1" -v c="$2" 'index($2, k) { gsub(/ /, "", $c); print $c }' "$out/memory.md" 2>/dev/null || true; }
: >"$out/memory.md"
if [ -f "$out/concurrency/memory-pilot.md" ]; then cat "$out/concurrency/memory-pilot.md" >>"$out/memory.md"; fi
if [ -f "$out/ce-memory.md" ] && grep -q '^| CE runtime' "$out/ce-memory.md"; then grep '^| CE runtime' "$out/ce-memory.md" >>"$out/memory.md"; fi
grep -q '^| pilot service' "$out/memory.md" || echo "| pilot service (worker node) | not measured | | | | | |" >>"$out/memory.md"
grep -q '^| CE runtime' "$out/memory.md" || echo "| CE runtime | not measured | | | | | |" >>"$out/memory.md"

{
  echo "| what | part | figure | goal | met |"
  echo "|---|---|---|---|---|"
  echo "| parse + admit + render of a 30-line VM JDL | \`ce-plugin/admission/bench.sh\` | $(or_dash "$f_admission" " /s") | >= 20,000/s | $(ok "$f_admission" ">= 20000") |"
  lookup_us=$( [ -z "$f_lookup" ] || awk -v o="$f_lookup" -v a="${f_lookup_alias:-0}" 'BEGIN { printf "%.3f", 1 / (a > 0 && a < o ? a : o) }')
  echo "| image lookup by UUID or alias, the slower of the two | \`bundles/imagelist/benchmark.sh\` | $(or_dash "$lookup_us" " µs") | < 1 µs | $(ok "$lookup_us" "< 1") |"
  echo "| appliance boot floor (plain QEMU, TCG) | \`./bench.sh\` | $(or_dash "$f_floor" " s median") | - | - |"
  echo "| \`vmgrid pilot run --service\` against its interleaved floor | \`vm-pilot/pilot/bench-pilot.sh\` | $(or_dash "$f_pilot_ratio" "x") | < 1.15x | $(ok "$f_pilot_ratio" "< 1.15") |"
  prep_ms=$( [ -z "$f_prep" ] || awk -v p="$f_prep" 'BEGIN { printf "%.0f", p * 1000 }')
  echo "| overlay + context ISOs on a cached image | \`vm-pilot/pilot/bench-pilot.sh\` | $(or_dash "$prep_ms" " ms") | < 100 ms | $(ok "$prep_ms" "< 100") |"
  echo "| VM job (SLURM, SPANK plugin, pilot service) against plain QEMU, 1 / 2 / 4 at once on 4 slots | \`ConcurrencyBench\` | $(or_dash "$f_r1" "x") / $(or_dash "$f_r2" "x") / $(or_dash "$f_r4" "x") | the ratio at 4 at most 1.1 times the ratio at 1 (no overhead grows with load up to the slots) | $( [ -n "$f_r4" ] && ok "$(awk -v a="$f_r4" -v b="$f_r1" 'BEGIN { print a / b }')" "<= 1.1" || echo "not measured") |"
  echo "| the same, 8 at once on 4 slots (half of the VM jobs queue) | \`ConcurrencyBench\` | $(or_dash "$f_r8" "x") per job, $(or_dash "$f_m8" "x") makespan | - (queueing) | - |"
  echo "| warm start / cold boot, job start to payload start | \`vm-pilot/pilot/bench-warm.sh\` | $(or_dash "$f_warm_start" "x") | <= 0.25x | $(ok "$f_warm_start" "<= 0.25") |"
  echo "| warm start / cold boot, host CPU per job | \`vm-pilot/pilot/bench-warm.sh\` | $(or_dash "$f_warm_cpu" "x") | <= 0.25x | $(ok "$f_warm_cpu" "<= 0.25") |"
  echo "| vmgrid's own share of a warm start (libvirt's restore call excluded) | \`vm-pilot/pilot/bench-warm.sh\` | $(or_dash "$f_own" " ms median") | < 100 ms | $(ok "$f_own" "< 100") |"
  echo "| GIP provider, 500 images, 50 VOs, JVM start included | \`info-provider/bench/provider-runtime.sh\` | $(or_dash "$f_provider" " ms median") | < 2 s (< 2 % of a 120 s cycle) | $(ok "$f_provider" "< 2000") |"
  echo "| BLAH hook, job without a VM request | \`ce-plugin/blah-service/bench/hook-cost.sh\` | $(or_dash "$f_hook_plain" " ms") | < 1 ms | $(ok "$f_hook_plain" "< 1") |"
  echo "| BLAH hook, VM job, share of BLAH's own submission | \`ce-plugin/blah-service/bench/hook-cost.sh\` | $(or_dash "$f_hook_vm" " %") | < 25 % | $(ok "$f_hook_vm" "< 25") |"
  arc_fig=$( [ -z "$f_arc" ] || echo "$f_arc" | awk '{ printf "VM - plain %s s, floor + 1 s %s s", $1, $2 }')
  arc_met=$( [ -n "$f_arc" ] && echo "$f_arc" | awk '{ print ($1 <= $2 ? "yes" : "no") }' || echo "not measured")
  echo "| ARC: arcsub to FINISHED, VM job against plain job | \`ArcSubmitBench\` | $(or_dash "$arc_fig") | VM - plain <= floor + 1 s | $arc_met |"
  echo "| pilot service, resident memory idle / largest under the concurrency run | \`ConcurrencyBench\` | $(or_dash "$(mem "pilot service" 5)") / $(or_dash "$(mem "pilot service" 6)") MiB | - | - |"
  echo "| CE runtime (hook and callout services), idle / largest under 8 submissions at once | \`ce-runtime-memory.sh\` | $(or_dash "$(mem "CE runtime" 5)") / $(or_dash "$(mem "CE runtime" 6)") MiB | - | - |"
} >"$out/summary.md"

# --- the plot: per-job ratio and makespan ratio against the number of VM jobs at once ---
plot="$docs/benchmarks-concurrency.png"
if [ -s "$out/concurrency/concurrency.dat" ]; then
  gnuplot <<GP || failed+=("plot")
set terminal pngcairo size 800,480 font "sans,11"
set output "$plot"
set title "VM-job overhead against VM jobs at once (4 VM slots, TCG; $began UTC)"
set xlabel "VM jobs submitted at once (the node has 4 VM slots)"
set ylabel "VM job / plain QEMU boot"
set logscale x 2
set xtics (1, 2, 4, 8)
set xrange [0.8:10]
set yrange [0:*]
set key bottom left opaque box
set grid
set arrow from 4, graph 0 to 4, graph 1 nohead dashtype 2 lc rgb "gray50"
set label "slots full" at 4.2, graph 0.95
plot "$out/concurrency/concurrency.dat" using 1:4 with linespoints lw 2 pt 7 title "per job: median VM job / median plain boot", \
     "" using 1:7 with linespoints lw 2 pt 5 title "makespan: VM jobs / plain boots", \
     1 with lines dashtype 3 lc rgb "black" title "plain QEMU"
GP
else
  rm -f "$plot"
fi

# --- the page ---
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
mem_gib=$(awk '/^MemTotal/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo)
commit=$(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo unknown)
git -C "$here" diff --quiet HEAD 2>/dev/null || commit="$commit (with uncommitted changes)"
loads=$(sort -n "$out/load.samples" 2>/dev/null | awk 'NR == 1 { lo = $1 } { hi = $1 } END { if (NR) printf "%s-%s", lo, hi }')
{
  echo "Run of $began-$ended UTC ($minutes min of benchmarks), \`./bench.sh $runs\` (medians of $runs; the concurrency part $concurrency_rounds rounds), at commit \`$commit\`."
  echo "Machine: $(nproc) cores ($cpu), $mem_gib GiB, Linux $(uname -r), $(java -version 2>&1 | head -1 | tr -d '"'),"
  echo "$(qemu-system-x86_64 --version | head -1), libvirt $(libvirtd --version | awk '{ print $NF }'), SLURM $(dpkg-query -W -f='${Version}' slurmd 2>/dev/null), no KVM (TCG)."
  echo "**Load average (1 min): $load_start at the start (1, 5, 15 min), $loads sampled every 30 s during the run, $(cut -d' ' -f1 /proc/loadavg) at the end.**"
  echo "Where the load is well above the cores, other work shared the machine: absolute times are then"
  echo "longer and more spread than on a quiet one, and only the ratios, measured side by side, compare."
  if [ -s "$out/rerun" ]; then
    echo; echo "Measured again (\`VMGRID_BENCH_RESUME=1\`) after not being measured in the first pass: $(paste -sd, - <"$out/rerun" | sed 's/,/, /g')."
  fi
  if [ ${#failed[@]} -gt 0 ]; then echo; echo "**Not measured in this run: ${failed[*]}** (see their sections)."; fi
} >"$out/about.md"

page="$docs/benchmarks.md"
while IFS= read -r line; do
  case "$line" in
    @@*@@) f="$out/${line//@/}.md"; [ "${line//@/}" = "memory" ] || [ -s "$f" ] || echo "(no output)" >"$f"; cat "$f" ;;
    *) printf '%s\n' "$line" ;;
  esac
done <"$here/docs/benchmarks.md.in" >"$page.tmp"
mv "$page.tmp" "$page"
echo "bench.sh: wrote $page$( [ -f "$plot" ] && echo " and $plot") in $minutes min; part durations (s): $(tr '\n' ' ' <"$out/durations")" >&2
if [ ${#failed[@]} -gt 0 ]; then
  echo "bench.sh: not measured: ${failed[*]} (their logs: $out/<part>.log)" >&2
  exit 1
fi
