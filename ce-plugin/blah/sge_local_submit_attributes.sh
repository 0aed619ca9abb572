# vmgrid BLAH hook for sge: install as <blah_libexec>/sge_local_submit_attributes.sh (see docs/install-cream.md).
# BLAH sources it after the job's request file and appends its stdout to the sge submit script.
# The body is vmgrid-hook-common.sh of the vmgrid installation (VMGRID_HOME, default /opt/vmgrid);
# it is used only when owned by root and writable by no one else, since a grid user can
# set VMGRID_HOME through CERequirements. Without it every job is refused visibly.
vmgrid_hook_common=${VMGRID_HOME:-/opt/vmgrid}/blah/vmgrid-hook-common.sh
case $vmgrid_hook_common in
    /*) case $vmgrid_hook_common in *[!A-Za-z0-9._/-]*) vmgrid_hook_common=/nonexistent ;; esac ;;
    *) vmgrid_hook_common=/nonexistent ;;
esac
if [ -f "$vmgrid_hook_common" ] && [ -n "$(/usr/bin/find "$vmgrid_hook_common" -maxdepth 0 -user 0 ! -perm /022 2>/dev/null)" ]; then
    . "$vmgrid_hook_common"
    vmgrid_blah_hook sge
else
    printf '%s\n' '#$ --vmgrid-refused=service-unavailable'
    printf 'vmgrid: VM jobs cannot be checked: %s is missing or writable by others; fix the vmgrid installation\n' "$vmgrid_hook_common" >&2
fi
unset vmgrid_hook_common
