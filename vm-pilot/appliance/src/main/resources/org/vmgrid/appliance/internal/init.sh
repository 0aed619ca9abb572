#!/bin/sh
# vmgrid test appliance /init: the guest side of guest contract v1 (docs/appliances.md).
# Everything read from the context is hostile: context.sh is parsed line by line, never sourced,
# and the payload's argv is handed to exec as a list, never re-parsed by a shell.
export PATH=/bin:/sbin
CTX=/run/vmgrid/ctx
STATUS=
log() { echo "vmgrid-init: $*" >/dev/console; }
finish() {
    sync
    umount -a -r 2>/dev/null
    poweroff -f
    sleep 5
}
fail() {
    log "error $*"
    [ -n "$STATUS" ] && echo "error $*" >"$STATUS"
    finish
}
port() {
    for n in /sys/class/virtio-ports/*/name; do
        [ -r "$n" ] || continue
        if [ "$(cat "$n")" = "$1" ]; then
            d=${n%/name}
            echo "/dev/${d##*/}"
            return 0
        fi
    done
    return 1
}
# ctx NAME: the value of a context variable, or fails when absent.
ctx() { [ -f "$CTX/$1" ] && cat "$CTX/$1"; }
# decode NAME: base64-decodes a context variable into $REPLY, keeping trailing newlines.
decode() {
    [ -f "$CTX/$1" ] || return 1
    REPLY=$(base64 -d <"$CTX/$1" 2>/dev/null && echo x) || return 1
    REPLY=${REPLY%x}
}
number() { case "$1" in "" | *[!0-9]*) return 1 ;; esac; [ ${#1} -le 6 ]; }

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /run /tmp "$CTX"
mount -t tmpfs tmpfs /run
mkdir -p "$CTX"
while read -r m; do
    insmod "/lib/modules/$m" || log "cannot load module $m"
done </lib/vmgrid/modules.load

STATUS=$(port org.vmgrid.status) || { STATUS=; fail "no virtio-serial port org.vmgrid.status"; }
OUT=$(port org.vmgrid.stdout) || fail "no virtio-serial port org.vmgrid.stdout"
ERR=$(port org.vmgrid.stderr) || fail "no virtio-serial port org.vmgrid.stderr"

# The CONTEXT disk: block devices appear as their drivers probe, so look a few times.
dev=
for i in 1 2 3 4 5 6 7 8 9 10; do
    dev=$(findfs LABEL=CONTEXT 2>/dev/null) && break
    dev=
    usleep 100000
done
[ -n "$dev" ] || fail "no context disk labelled CONTEXT"
mkdir -p /run/vmgrid/context
mount -t iso9660 -o ro "$dev" /run/vmgrid/context || fail "cannot mount context disk $dev"
[ -f /run/vmgrid/context/context.sh ] || fail "context disk $dev has no context.sh"

# NAME='value' lines only, value of [A-Za-z0-9+/=._:,@-]; comments and blank lines are skipped.
q="'"
lineno=0
while IFS= read -r line || [ -n "$line" ]; do
    lineno=$((lineno + 1))
    case "$line" in "" | "#"*) continue ;; esac
    name=${line%%=*}
    value=${line#*=}
    case "$name" in "" | [0-9]* | *[!A-Za-z0-9_]*) fail "context.sh line $lineno is not NAME='value'" ;; esac
    [ "$name" != "$line" ] || fail "context.sh line $lineno is not NAME='value'"
    case "$value" in "$q"*"$q") ;; *) fail "context.sh line $lineno ($name) is not quoted as '...'" ;; esac
    value=${value#$q}
    value=${value%$q}
    case "$value" in *[!A-Za-z0-9+/=._:,@-]*) fail "context.sh line $lineno ($name) holds a character outside [A-Za-z0-9+/=._:,@-]" ;; esac
    printf '%s' "$value" >"$CTX/$name"
done </run/vmgrid/context/context.sh

[ "$(ctx VMGRID_CONTEXT_VERSION)" = 1 ] || fail "context version is not 1 (VMGRID_CONTEXT_VERSION='$(ctx VMGRID_CONTEXT_VERSION)')"
argc=$(ctx VMGRID_ARGC) && number "$argc" && [ "$argc" -ge 1 ] || fail "VMGRID_ARGC is missing or not a positive number"
envc=$(ctx VMGRID_ENVC || echo 0)
number "$envc" || fail "VMGRID_ENVC is not a number"
[ "$(ctx VMGRID_WORKDIR_TAG)" = jobdir ] || fail "VMGRID_WORKDIR_TAG is not 'jobdir'"
decode VMGRID_WORKDIR || fail "VMGRID_WORKDIR is missing or not base64"
workdir=$REPLY
case "$workdir" in /*) ;; *) fail "VMGRID_WORKDIR is not an absolute path" ;; esac
network=$(ctx VMGRID_NETWORK || echo none)
case "$network" in none | outbound) ;; *) fail "VMGRID_NETWORK is neither none nor outbound" ;; esac

# Decode every element before anything runs, so a bad context never half-starts a payload.
i=0
while [ "$i" -lt "$envc" ]; do
    decode "VMGRID_ENV_$i" || fail "VMGRID_ENV_$i is missing or not base64"
    kv=$REPLY
    case "${kv%%=*}" in "" | [0-9]* | *[!A-Za-z0-9_]*) fail "VMGRID_ENV_$i is not NAME=value" ;; esac
    case "$kv" in *=*) ;; *) fail "VMGRID_ENV_$i is not NAME=value" ;; esac
    i=$((i + 1))
done
set --
i=0
while [ "$i" -lt "$argc" ]; do
    decode "VMGRID_ARG_$i" || fail "VMGRID_ARG_$i is missing or not base64"
    set -- "$@" "$REPLY"
    i=$((i + 1))
done

mkdir -p "$workdir" || fail "cannot create the job directory $workdir"
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 jobdir "$workdir" \
    || fail "cannot mount the 9p share 'jobdir' on $workdir"
if [ "$network" = outbound ]; then
    ip link set lo up
    ip link set eth0 up || fail "outbound network requested but there is no eth0"
    udhcpc -i eth0 -q -n -t 5 -T 1 -s /lib/vmgrid/udhcpc.script >/dev/console 2>&1 \
        || fail "outbound network requested but DHCP on eth0 got no lease"
fi

echo booted >"$STATUS"
(
    i=0
    while [ "$i" -lt "$envc" ]; do
        decode "VMGRID_ENV_$i"
        export "$REPLY"
        i=$((i + 1))
    done
    cd "$workdir" || exit 126
    exec "$@"
) </dev/null >"$OUT" 2>"$ERR"
rc=$?
sync
echo "exit $rc" >"$STATUS"
finish
