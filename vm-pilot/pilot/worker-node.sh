# Sourced by vm-pilot/pilot/bench-pilot.sh: a worker node on one machine, as root, for
# a benchmark. Everything lives under WORK ($wn_work): a private system libvirtd (root,
# in a mount namespace of its own with its run, state, cache, log and config directories under
# WORK/libvirt, so nothing of the machine's libvirt is used, and a /dev of its own without
# /dev/kvm: where /dev/kvm is root's only, libvirt 9.0 probes QEMU again at every domain start,
# about 30 s; guests run under TCG here anyway; under tini, so guest exits are reaped
# at once; its socket open to group kvm), and the pilot service of 'vmgrid serve' as the
# unprivileged account libvirt-qemu (group kvm). Jobs run as the pool account games through the
# service, or as libvirt-qemu in the command's own process. wn_stop stops both by PID, after
# destroying any domain still there.
#   wn_init WORK                  the directory; sets wn_socket (libvirtd) and wn_libvirt_uri
#   wn_as_user CMD...             CMD as the service's account, HOME=WORK, a clean environment
#   wn_as_pool CMD...             CMD as the pool account, HOME=WORK, a clean environment
#   wn_pool_dir DIR               makes DIR a job directory of the pool account, mode 0700
#   wn_start_libvirtd             waits (bounded) for its socket; says why and returns 1 if none
#   wn_start_serve VMGRID CONF    'VMGRID serve --config-dir CONF' until its pilot socket
#                                 (WORK/run/vmgrid/pilot.sock, $wn_pilot_socket) is there
#   wn_start_serve_at VMGRID CONF SOCKET LOG
#                                 another 'vmgrid serve' (its own configuration and socket), until
#                                 SOCKET is there; stopped by wn_stop too
#   wn_stop                       idempotent; for an EXIT trap
# WN_LIBVIRT_DEBUG=1 before wn_start_libvirtd: libvirtd also writes its qemu_process debug lines
# (each step of a domain's start, with times) to WORK/libvirt/log/debug.log.

wn_user=libvirt-qemu wn_group=kvm
wn_pool=games wn_pool_group=games
wn_libvirtd_pid= wn_serve_pid= wn_more_serve_pids=

wn_init() {
  wn_work="$1"
  wn_socket="$wn_work/libvirt/run/libvirt-sock"
  wn_libvirt_uri="qemu+unix:///system?socket=$wn_socket"
  wn_pilot_socket="$wn_work/run/vmgrid/pilot.sock"
}

wn_as_user() {
  setpriv --reuid=$wn_user --regid=$wn_group --clear-groups env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    HOME="$wn_work" "$@"
}

wn_as_pool() {
  setpriv --reuid=$wn_pool --regid=$wn_pool_group --clear-groups env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    HOME="$wn_work" "$@"
}

wn_pool_dir() {
  mkdir -p "$1"
  chown -R $wn_pool:$wn_pool_group "$1"
  chmod 0700 "$1"
}

wn_start_libvirtd() {
  local d="$wn_work/libvirt"
  mkdir -p "$d/run" "$d/lib" "$d/cache" "$d/log" "$d/etc"
  chown -R root:root "$d"
  chmod 0755 "$wn_work" "$d" "$d/run"
  cat >"$d/etc/libvirtd.conf" <<CONF
unix_sock_group = "$wn_group"
unix_sock_ro_perms = "0770"
unix_sock_rw_perms = "0770"
unix_sock_admin_perms = "0700"
auth_unix_ro = "none"
auth_unix_rw = "none"
log_outputs = "3:stderr"
CONF
  if [ "${WN_LIBVIRT_DEBUG:-}" = 1 ]; then
    sed -i 's|^log_outputs = .*|log_filters = "1:qemu.qemu_process"\nlog_outputs = "3:stderr 1:file:/var/log/libvirt/debug.log"|' \
      "$d/etc/libvirtd.conf"
  fi
  printf 'user = "nobody"\ngroup = "nogroup"\nstdio_handler = "file"\n' >"$d/etc/qemu.conf"
  # exec: $! is then tini's own PID (unshare and sh exec into it), which wn_stop stops
  (exec unshare --mount --propagation private sh -c '
    set -e
    mount -t tmpfs -o mode=0755 vmgrid-run /run
    mkdir /run/libvirt
    mount --bind "$1/run" /run/libvirt
    mount --bind "$1/lib" /var/lib/libvirt
    mount --bind "$1/cache" /var/cache/libvirt
    mount --bind "$1/log" /var/log/libvirt
    mount --bind "$1/etc" /etc/libvirt
    umount -l /dev
    mount -t tmpfs -o mode=0755,nosuid vmgrid-dev /dev
    for n in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
      mknod -m 0666 "/dev/${n%%:*}" c $(echo "${n#*:}" | tr : " ")
    done
    mkdir /dev/pts /dev/shm
    chmod 1777 /dev/shm
    ln -s /proc/self/fd /dev/fd
    exec tini -s -- libvirtd' sh "$d" >"$wn_work/libvirtd.log" 2>&1) &
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

wn_start_serve_at() {
  (exec setpriv --reuid=$wn_user --regid=$wn_group --clear-groups env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    HOME="$wn_work" "$1" serve --config-dir "$2" --storage "$2/felix" >"$4" 2>&1) &
  wn_more_serve_pids="$wn_more_serve_pids $!"
  for _ in $(seq 600); do [ -S "$3" ] && return 0; sleep 0.1; done
  echo "vmgrid serve ($2) did not start its pilot service; its output:" >&2
  cat "$4" >&2
  return 1
}

wn_stop() {
  for p in $wn_more_serve_pids; do
    kill "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  wn_more_serve_pids=
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
  fi
}
