# vmgrid's customization point 2 of CREAM's job wrapper. Install it as cp_2.sh beside vmgrid's cp_1.sh
# with `vmgrid cream install-customization` (see docs/install-cream.md).
#
# CREAM's job wrapper (bash) sources this file after the user's command ended, its exit code in
# exit_code, before the output sandbox is uploaded. For a job vmgrid's cp_1.sh ran in a VM, the pilot's
# own messages go to the wrapper's standard error, and a failure of the VM (the pilot's exit codes 64
# and 75 to 80, with its one-line reason) fails the job through the wrapper's fatal_error with that
# reason, so that CREAM reports it rather than an exit code of the user's command. A job without a VM
# request is left untouched.
# shellcheck disable=SC2034 # the mark the worker node's batch hook looks for
vmgrid_cream_customization=1
if [ -n "${vmgrid_errors-}" ]; then
    vmgrid_reason=
    if [ -f "$vmgrid_errors" ]; then
        cat "$vmgrid_errors" >&2
        vmgrid_reason=$(grep -a '^vmgrid pilot run: ' "$vmgrid_errors" | tail -n 1 | tr -d '\000-\037"')
    fi
    rm -f "$vmgrid_errors"
    case ${exit_code-} in
        64 | 75 | 76 | 77 | 78 | 79 | 80)
            if [ -n "$vmgrid_reason" ]; then
                fatal_error "vmgrid: the job's command did not run to its end in its VM (exit $exit_code): ${vmgrid_reason#vmgrid pilot run: }" "OSB"
            fi ;;
    esac
    unset vmgrid_reason
fi
