#!/bin/sh
# vmgrid guest agent for stock cloud-init systems: the guest side of guest contract v1
# (docs/appliances.md), the job directory on disks. The pilot delivers it as the site's part of the
# NoCloud user-data. cloud-init runs it once (scripts-user): it copies itself to /run/vmgrid and
# starts a oneshot unit ordered after cloud-final, so that the user's own user-data is applied
# first; the unit runs it with "run" (through sh: Debian's initramfs mounts /run noexec): context,
# job directory in, payload, files out, power-off.
# Everything read from the context is checked before anything runs (never sourced); the payload's
# argv goes to exec as a list.
PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH
AGENT=/run/vmgrid/guest-agent
UNIT=/run/systemd/system/vmgrid-guest-agent.service

if [ "${1:-}" != run ]; then
    mkdir -p /run/vmgrid /run/systemd/system || exit 1
    cp "$0" "$AGENT" && chmod 0700 "$AGENT" || exit 1
    cat >"$UNIT" <<'UNIT'
[Unit]
Description=vmgrid guest agent: runs the grid job's payload
After=cloud-final.service
[Service]
Type=oneshot
ExecStart=/bin/sh /run/vmgrid/guest-agent run
StandardOutput=journal+console
StandardError=journal+console
UNIT
    systemctl daemon-reload && systemctl --no-block start vmgrid-guest-agent.service
    exit $?
fi

CTX=/run/vmgrid/ctx
STATUS=
log() { echo "vmgrid-agent: $*" >/dev/console; }
finish() {
    sync
    poweroff -f
    sleep 30
}
fail() {
    log "error $*"
    [ -n "$STATUS" ] && echo "error $*" >"$STATUS"
    finish
    exit 1
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
# wait_for CMD...: up to 60 s for CMD to succeed (devices appear as udev settles, slowly under TCG).
wait_for() {
    t=600
    while [ "$t" -gt 0 ]; do
        "$@" && return 0
        t=$((t - 1))
        sleep 0.1
    done
    return 1
}
ports() { STATUS=$(port org.vmgrid.status) && OUT=$(port org.vmgrid.stdout) && ERR=$(port org.vmgrid.stderr); }
wait_for ports || { STATUS=; fail "no virtio-serial ports org.vmgrid.status, org.vmgrid.stdout and org.vmgrid.stderr"; }

# read_context FILE: checks a context.sh line by line, NAME='value' with values of [A-Za-z0-9+/=._:,@-]
# only, and stores each value in $CTX/var/NAME.
read_context() {
    mkdir -p "$CTX/var" || fail "cannot create $CTX"
    q="'"
    lineno=0
    while IFS= read -r line || [ -n "$line" ]; do
        lineno=$((lineno + 1))
        case "$line" in "" | "#"*) continue ;; esac
        name=${line%%=*}
        value=${line#*=}
        case "$name" in "" | [0-9]* | *[!A-Za-z0-9_]*) fail "context.sh line $lineno is not NAME='value'" ;; esac
        [ "$name" != "$line" ] && [ ${#name} -le 64 ] || fail "context.sh line $lineno is not NAME='value'"
        case "$value" in "$q"*"$q") ;; *) fail "context.sh line $lineno ($name) is not quoted as '...'" ;; esac
        value=${value#"$q"}
        value=${value%"$q"}
        case "$value" in *[!A-Za-z0-9+/=._:,@-]*)
            fail "context.sh line $lineno ($name) holds a character outside [A-Za-z0-9+/=._:,@-]" ;;
        esac
        printf '%s' "$value" >"$CTX/var/$name" || fail "cannot store context variable $name"
    done <"$1"
}
get() { [ -f "$CTX/var/$1" ] && cat "$CTX/var/$1"; }
number() {
    case "$1" in "" | *[!0-9]*) return 1 ;; esac
    [ ${#1} -le 5 ]
}
# decode NAME FILE: strict base64.
decode() {
    [ -f "$CTX/var/$1" ] || fail "$1 is missing from context.sh"
    v=$(cat "$CTX/var/$1")
    t=${v%=}
    t=${t%=}
    case "$t" in *[!A-Za-z0-9+/]*) fail "$1 is not base64" ;; esac
    [ $((${#v} % 4)) -eq 0 ] || fail "$1 is not base64 (length ${#v})"
    base64 -d <"$CTX/var/$1" >"$2" 2>/dev/null || fail "$1 is not base64"
}

ctxdev=/dev/disk/by-label/CONTEXT
wait_for test -b "$ctxdev" || fail "no context disk labelled CONTEXT"
mkdir -p /run/vmgrid/context
mount -t iso9660 -o ro "$ctxdev" /run/vmgrid/context || fail "cannot mount the context disk $ctxdev"
[ -f /run/vmgrid/context/context.sh ] || fail "the context disk has no context.sh"
read_context /run/vmgrid/context/context.sh

version=$(get VMGRID_CONTEXT_VERSION)
[ "$version" = 1 ] || fail "VMGRID_CONTEXT_VERSION is '$version', this agent speaks guest contract 1"
[ "$(get VMGRID_WORKDIR_TRANSPORT)" = disk ] || fail "VMGRID_WORKDIR_TRANSPORT is not 'disk': this agent takes the job directory from disks"
argc=$(get VMGRID_ARGC) && number "$argc" && [ "$argc" -ge 1 ] || fail "VMGRID_ARGC is missing or not a positive number"
envc=$(get VMGRID_ENVC || echo 0)
number "$envc" || fail "VMGRID_ENVC is not a number"
decode VMGRID_WORKDIR "$CTX/workdir"
bytes "$CTX/workdir"
workdir=$REPLY
case "$workdir" in /*) ;; *) fail "VMGRID_WORKDIR is not an absolute path" ;; esac
nl='
'
case "$workdir" in *"$nl"*) fail "VMGRID_WORKDIR holds a newline" ;; esac
set --
i=0
while [ "$i" -lt "$argc" ]; do
    decode "VMGRID_ARG_$i" "$CTX/arg.$i"
    bytes "$CTX/arg.$i"
    set -- "$@" "$REPLY"
    i=$((i + 1))
done
i=0
while [ "$i" -lt "$envc" ]; do
    decode "VMGRID_ENV_$i" "$CTX/env.$i"
    bytes "$CTX/env.$i"
    case "$REPLY" in *=*) ;; *) fail "VMGRID_ENV_$i is not NAME=value" ;; esac
    case "${REPLY%%=*}" in "" | [0-9]* | *[!A-Za-z0-9_]*) fail "VMGRID_ENV_$i does not start with a variable name" ;; esac
    i=$((i + 1))
done

# The job directory: a tar archive on the disk with serial jobdir-in; what the payload leaves there
# goes back as a tar archive on the disk with serial jobdir-out.
in=/dev/disk/by-id/virtio-jobdir-in
out=/dev/disk/by-id/virtio-jobdir-out
wait_for test -b "$in" || fail "no job directory disk (serial jobdir-in)"
wait_for test -b "$out" || fail "no disk for the job directory's return (serial jobdir-out)"
mkdir -p "$workdir" || fail "cannot create the job directory $workdir"
tar -x -f "$in" -C "$workdir" --no-same-owner 2>/dev/console || fail "cannot unpack the job directory from $in"

echo booted >"$STATUS"
(
    i=0
    while [ "$i" -lt "$envc" ]; do
        bytes "$CTX/env.$i"
        # shellcheck disable=SC2163 # REPLY holds NAME=value, checked above
        export "$REPLY"
        i=$((i + 1))
    done
    cd "$workdir" || exit 126
    exec "$@"
) </dev/null >"$OUT" 2>"$ERR"
rc=$?
tar -c -f "$out" -C "$workdir" . 2>/dev/console || log "the job directory did not fit its return disk"
sync
echo "exit $rc" >"$STATUS"
finish
