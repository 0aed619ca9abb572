# Sourced by demo.sh and vm-pilot/pilot/bench-pilot.sh: a worker node on one machine, as root, for
# a demo or a benchmark. Everything lives under WORK ($wn_work) and runs as the unprivileged user
# libvirt-qemu: a private libvirtd (session mode, under tini, so guest exits are reaped at once)
# and the pilot service of 'vmgrid serve'. wn_stop stops both by PID, with the virtlogd that
# libvirtd started (it outlives libvirtd), after destroying any domain still there.
#   wn_init WORK                  the directory; sets wn_socket (libvirtd) and wn_libvirt_uri
#   wn_as_user CMD...             CMD as the unprivileged user, HOME=WORK, a clean environment
#   wn_start_libvirtd             waits (bounded) for its socket; says why and returns 1 if none
#   wn_start_serve VMGRID CONF    'VMGRID serve --config-dir CONF' until its pilot socket
#                                 (WORK/run/vmgrid/pilot.sock, $wn_pilot_socket) is there
#   wn_stop                       idempotent; for an EXIT trap

wn_user=libvirt-qemu wn_group=kvm
wn_libvirtd_pid= wn_serve_pid=

wn_init() {
  wn_work="$1"
  wn_socket="$wn_work/run/libvirt/libvirt-sock"
  wn_libvirt_uri="qemu+unix:///session?socket=$wn_socket"
  wn_pilot_socket="$wn_work/run/vmgrid/pilot.sock"
}

wn_as_user() {
  setpriv --reuid=$wn_user --regid=$wn_group --clear-groups env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    HOME="$wn_work" "$@"
}

wn_start_libvirtd() {
  chown $wn_user:$wn_group "$wn_work"
  # exec: $! is then tini's own PID, which wn_stop stops
  (exec setpriv --reuid=$wn_user --regid=$wn_group --clear-groups env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    HOME="$wn_work" XDG_RUNTIME_DIR="$wn_work/run" XDG_CONFIG_HOME="$wn_work/libvirt-config" \
    XDG_CACHE_HOME="$wn_work/libvirt-cache" tini -s -- libvirtd >"$wn_work/libvirtd.log" 2>&1) &
  wn_libvirtd_pid=$!
  for _ in $(seq 300); do [ -S "$wn_socket" ] && return 0; sleep 0.1; done
  echo "libvirtd did not start; its log:" >&2
  cat "$wn_work/libvirtd.log" >&2
  return 1
}

wn_start_serve() {
  (exec setpriv --reuid=$wn_user --regid=$wn_group --clear-groups env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    HOME="$wn_work" "$1" serve --config-dir "$2" --storage "$wn_work/felix" >"$wn_work/serve.log" 2>&1) &
  wn_serve_pid=$!
  for _ in $(seq 600); do grep -q '^vmgrid runtime started' "$wn_work/serve.log" 2>/dev/null && break; sleep 0.1; done
  [ -S "$wn_pilot_socket" ] && return 0
  echo "vmgrid serve did not start its pilot service; its output:" >&2
  cat "$wn_work/serve.log" >&2
  return 1
}

wn_stop() {
  if [ -n "$wn_serve_pid" ]; then
    kill "$wn_serve_pid" 2>/dev/null || true
    wait "$wn_serve_pid" 2>/dev/null || true
    wn_serve_pid=
  fi
  if [ -n "$wn_libvirtd_pid" ]; then
    for d in $(virsh -c "$wn_libvirt_uri" list --all --name 2>/dev/null); do
      virsh -c "$wn_libvirt_uri" destroy "$d" >/dev/null 2>&1 || true
      virsh -c "$wn_libvirt_uri" undefine "$d" >/dev/null 2>&1 || true
    done
    kill "$wn_libvirtd_pid" 2>/dev/null || true
    wait "$wn_libvirtd_pid" 2>/dev/null || true
    wn_libvirtd_pid=
    if [ -f "$wn_work/run/libvirt/virtlogd.pid" ]; then
      kill "$(cat "$wn_work/run/libvirt/virtlogd.pid")" 2>/dev/null || true
    fi
  fi
}
