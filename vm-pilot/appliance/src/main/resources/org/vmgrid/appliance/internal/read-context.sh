#!/bin/sh
# read-context CONTEXT_SH DIR VERSION: reads a context.sh of guest contract VERSION (1: from the
# CONTEXT disk; 2: sent over the job port) WITHOUT sourcing it and checks it whole, before anything
# runs. Accepts only NAME='value' lines with values of [A-Za-z0-9+/=._:,@-] (plus blank lines and
# # comments); everything else is refused.
# Writes into DIR: argc, envc, network (plain), arg.N, env.N, workdir (decoded bytes, exactly);
# for contract 2 also time (the host's clock, whole seconds since the epoch) and start (warm|cold).
# On a bad context prints the reason on stderr and exits 1; DIR must then not be used.
src=$1
out=$2
want=${3:-1}
die() {
    echo "$*" >&2
    exit 1
}
[ -f "$src" ] || die "no context.sh on the context disk"
mkdir -p "$out/var" || die "cannot create $out"

q="'"
lineno=0
while IFS= read -r line || [ -n "$line" ]; do
    lineno=$((lineno + 1))
    case "$line" in "" | "#"*) continue ;; esac
    name=${line%%=*}
    value=${line#*=}
    case "$name" in "" | [0-9]* | *[!A-Za-z0-9_]*) die "context.sh line $lineno is not NAME='value'" ;; esac
    [ "$name" != "$line" ] && [ ${#name} -le 64 ] || die "context.sh line $lineno is not NAME='value'"
    case "$value" in "$q"*"$q") ;; *) die "context.sh line $lineno ($name) is not quoted as '...'" ;; esac
    value=${value#$q}
    value=${value%$q}
    case "$value" in *[!A-Za-z0-9+/=._:,@-]*)
        die "context.sh line $lineno ($name) holds a character outside [A-Za-z0-9+/=._:,@-]" ;;
    esac
    printf '%s' "$value" >"$out/var/$name" || die "cannot store context variable $name"
done <"$src"

get() { [ -f "$out/var/$1" ] && cat "$out/var/$1"; }
number() {
    case "$1" in "" | *[!0-9]*) return 1 ;; esac
    [ ${#1} -le 5 ]
}
number12() {
    case "$1" in "" | *[!0-9]*) return 1 ;; esac
    [ ${#1} -le 12 ]
}
# decode NAME FILE: strict base64 (busybox's decoder skips junk, so check the form first).
decode() {
    [ -f "$out/var/$1" ] || die "$1 is missing"
    v=$(cat "$out/var/$1")
    t=${v%=}
    t=${t%=}
    case "$t" in *[!A-Za-z0-9+/]*) die "$1 is not base64" ;; esac
    [ $((${#v} % 4)) -eq 0 ] || die "$1 is not base64 (length ${#v})"
    base64 -d <"$out/var/$1" >"$2" 2>/dev/null || die "$1 is not base64"
}
# bytes FILE: a file's exact content into $REPLY (command substitution would drop trailing newlines).
bytes() {
    REPLY=$(cat "$1" && echo x)
    REPLY=${REPLY%x}
}

version=$(get VMGRID_CONTEXT_VERSION)
case "$want" in 1 | 2) ;; *) die "read-context: no guest contract $want" ;; esac
[ "$version" = "$want" ] || die "VMGRID_CONTEXT_VERSION is '$version', expected $want (guest contract $want)"
if [ "$want" = 2 ]; then
    time=$(get VMGRID_TIME) && number12 "$time" || die "VMGRID_TIME is missing or not whole seconds"
    start=$(get VMGRID_START)
    case "$start" in warm | cold) ;; *) die "VMGRID_START is '$start', neither warm nor cold" ;; esac
fi
argc=$(get VMGRID_ARGC) && number "$argc" && [ "$argc" -ge 1 ] || die "VMGRID_ARGC is missing or not a positive number"
envc=$(get VMGRID_ENVC || echo 0)
number "$envc" || die "VMGRID_ENVC is not a number"
tag=$(get VMGRID_WORKDIR_TAG)
[ "$tag" = jobdir ] || die "VMGRID_WORKDIR_TAG is '$tag', not 'jobdir'"
network=$(get VMGRID_NETWORK || echo none)
case "$network" in none | outbound) ;; *) die "VMGRID_NETWORK is '$network', neither none nor outbound" ;; esac

decode VMGRID_WORKDIR "$out/workdir"
bytes "$out/workdir"
case "$REPLY" in /*) ;; *) die "VMGRID_WORKDIR is not an absolute path" ;; esac
nl='
'
case "$REPLY" in *"$nl"*) die "VMGRID_WORKDIR holds a newline" ;; esac
i=0
while [ "$i" -lt "$argc" ]; do
    decode "VMGRID_ARG_$i" "$out/arg.$i"
    i=$((i + 1))
done
i=0
while [ "$i" -lt "$envc" ]; do
    decode "VMGRID_ENV_$i" "$out/env.$i"
    bytes "$out/env.$i"
    case "$REPLY" in *=*) ;; *) die "VMGRID_ENV_$i is not NAME=value" ;; esac
    case "${REPLY%%=*}" in "" | [0-9]* | *[!A-Za-z0-9_]*) die "VMGRID_ENV_$i does not start with a variable name" ;; esac
    i=$((i + 1))
done
printf '%s' "$argc" >"$out/argc"
printf '%s' "$envc" >"$out/envc"
printf '%s' "$network" >"$out/network"
if [ "$want" = 2 ]; then
    printf '%s' "$time" >"$out/time"
    printf '%s' "$start" >"$out/start"
fi
