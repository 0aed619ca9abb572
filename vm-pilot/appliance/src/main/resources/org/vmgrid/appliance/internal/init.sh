#!/bin/sh
# vmgrid test appliance /init: the guest side of guest contract 2 (docs/appliances.md), and of
# contract 1 where the pilot gives no job port.
# Everything read from the context is hostile: read-context checks context.sh whole (never sourcing
# it) before anything runs, and the payload's argv is handed to exec as a list, never re-parsed.
# Contract 2: once the devices are there the guest says 'ready' and blocks reading org.vmgrid.job;
# the pilot may save the VM in that state (a golden snapshot) and restore it for each job. Nothing
# before 'ready' may read anything a job may not share with the next one: no context, no job
# directory, not the boot id.
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

if JOB=$(port org.vmgrid.job); then
    # Contract 2. The kernel's random generator is ready before the state is kept (reading
    # /dev/random blocks until it is), so that a restored clone's reseed takes effect at once.
    head -c 1 /dev/random >/dev/null
    # The port stays open from here on: what the host sends to a port nobody holds open is dropped.
    exec 3<"$JOB" || fail "cannot open the job port $JOB"
    echo ready >"$STATUS"
    # Blocks, without polling, until the pilot sends the job: 'vmgrid-job <bytes>' and then the
    # job's context.sh of exactly that many bytes.
    IFS= read -r header <&3 || fail "the job port closed before a job came"
    size=${header#vmgrid-job }
    case "$header" in "vmgrid-job "*) ;; *) fail "the job port did not start with 'vmgrid-job <bytes>'" ;; esac
    case "$size" in "" | *[!0-9]*) fail "the job's size is not a number" ;; esac
    [ ${#size} -le 7 ] && [ "$size" -le 4194304 ] || fail "the job is larger than 4 MiB"
    mkdir -p /run/vmgrid/context
    head -c "$size" <&3 >/run/vmgrid/context/context.sh
    exec 3<&-
    [ "$(wc -c </run/vmgrid/context/context.sh)" -eq "$size" ] || fail "the job port ended inside the job"
    reason=$(/lib/vmgrid/read-context /run/vmgrid/context/context.sh "$CTX" 2 2>&1) \
        || fail "${reason:-the job's context.sh could not be read}"
    date -u -s "@$(cat "$CTX/time")" >/dev/null || fail "cannot set the clock to the host's time"
    if [ "$(cat "$CTX/start")" = warm ]; then
        # A restored clone: its memory is a copy of the golden's, random generator included. The
        # restore gave the VM a new generation id, on which the kernel reseeds; nothing of the job
        # runs before the kernel says it has (its log is read as it comes, bounded in time).
        timeout 60 grep -q -m 1 'crng reseeded due to virtual machine fork' /dev/kmsg \
            || fail "the VM generation id did not change after the restore (the kernel did not reseed its random generator); a cloned guest does not run the payload"
    fi
else
    # Contract 1: the CONTEXT disk, the same way as the ports.
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
    reason=$(/lib/vmgrid/read-context /run/vmgrid/context/context.sh "$CTX" 1 2>&1) \
        || fail "${reason:-context.sh could not be read}"
fi
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
