#!/bin/sh
# vmgrid test appliance /init: the guest side of guest contract v1 (docs/appliances.md).
# Everything read from the context is hostile: read-context checks context.sh whole (never sourcing
# it) before anything runs, and the payload's argv is handed to exec as a list, never re-parsed.
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
# bytes FILE: a file's exact content into $REPLY (command substitution would drop trailing newlines).
bytes() {
    REPLY=$(cat "$1" && echo x)
    REPLY=${REPLY%x}
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /run
mkdir -p "$CTX"
while read -r m; do
    insmod "/lib/modules/$m" || log "cannot load module $m"
done </lib/vmgrid/modules.load

# Devices appear as their drivers probe, after insmod returns: slowly when several emulated guests
# share the host's cores. Look for up to 10 s (100 x 0.1 s); a found device ends the wait at once.
tries=100
STATUS=
while [ "$tries" -gt 0 ]; do
    STATUS=$(port org.vmgrid.status) && OUT=$(port org.vmgrid.stdout) && ERR=$(port org.vmgrid.stderr) && break
    STATUS=
    tries=$((tries - 1))
    usleep 100000
done
[ -n "$STATUS" ] || fail "no virtio-serial ports org.vmgrid.status, org.vmgrid.stdout and org.vmgrid.stderr"

# The CONTEXT disk, the same way.
dev=
while [ "$tries" -gt 0 ]; do
    dev=$(findfs LABEL=CONTEXT 2>/dev/null) && break
    dev=
    tries=$((tries - 1))
    usleep 100000
done
[ -n "$dev" ] || fail "no context disk labelled CONTEXT"
mkdir -p /run/vmgrid/context
mount -t iso9660 -o ro "$dev" /run/vmgrid/context || fail "cannot mount context disk $dev"
[ -f /run/vmgrid/context/context.sh ] || fail "context disk $dev has no context.sh"

reason=$(/lib/vmgrid/read-context /run/vmgrid/context/context.sh "$CTX" 2>&1) || fail "${reason:-context.sh could not be read}"
argc=$(cat "$CTX/argc")
envc=$(cat "$CTX/envc")
network=$(cat "$CTX/network")
bytes "$CTX/workdir"
workdir=$REPLY
set --
i=0
while [ "$i" -lt "$argc" ]; do
    bytes "$CTX/arg.$i"
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
        bytes "$CTX/env.$i"
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
