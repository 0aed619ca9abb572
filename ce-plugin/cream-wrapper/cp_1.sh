# vmgrid's customization point 1 of CREAM's job wrapper. Install it as cp_1.sh, with vmgrid's cp_2.sh
# beside it, in the worker nodes' GLITE_LOCAL_CUSTOMIZATION_DIR with `vmgrid cream install-customization`
# (see docs/install-cream.md), which writes the two settings below.
#
# CREAM's job wrapper (bash) sources this file after it has set the job's Environment and before it
# stages the input sandbox. A job whose batch request carries an admitted vmgrid request has it in its
# environment (VMGRID_IMAGE, VMGRID_MEMORY, VMGRID_CPUS, VMGRID_NETWORK: the worker node's batch hook
# puts them there, and leaves the wrapper on the host). For such a job this file rewrites __cmd_line,
# the user's command line exactly as CREAM wrote it (executable, arguments and redirections, relative
# to the job's working directory), so that the wrapper's perl runs it in a fresh VM through the
# node's pilot service: `/bin/sh -c <that line>` in the guest, the working directory (the wrapper's
# `workdir`, the command's current directory) shared as the VM's job directory, the job's Environment
# variables in the guest's environment. The wrapper's own work (staging, proxy renewal, CREAM's
# notifications, the output sandbox) stays on the host; the pilot's exit code is the command's.
# vmgrid's cp_2.sh turns a failure of the VM (not of the command) into the wrapper's fatal_error with
# the pilot's reason. A request this file cannot carry out fails the job the same way, before anything
# is staged: the command never runs on the host. A job without a VM request is left untouched.
# shellcheck disable=SC2034 # the mark the worker node's batch hook looks for
vmgrid_cream_customization=1
vmgrid_launcher=/usr/bin/vmgrid
vmgrid_service=/run/vmgrid/pilot.sock
# longer than any batch queue's wall time: the batch system ends a job first, which cancels its VM
vmgrid_timeout=2592000
vmgrid_errors=
if [ -n "${VMGRID_IMAGE+x}${VMGRID_MEMORY+x}${VMGRID_CPUS+x}${VMGRID_NETWORK+x}" ]; then
    vmgrid_why=
    vmgrid_hex='[0123456789abcdef]'
    vmgrid_uuid="^$vmgrid_hex{8}-$vmgrid_hex{4}-$vmgrid_hex{4}-$vmgrid_hex{4}-$vmgrid_hex{12}\$"
    vmgrid_number='^[123456789][0123456789]{0,8}$'
    if [[ ! ${VMGRID_IMAGE-} =~ $vmgrid_uuid ]]; then
        vmgrid_why="VMGRID_IMAGE is not an image UUID"
    elif [[ ! ${VMGRID_MEMORY-} =~ $vmgrid_number ]]; then
        vmgrid_why="VMGRID_MEMORY is not a number of MiB"
    elif [[ ! ${VMGRID_CPUS-} =~ $vmgrid_number ]]; then
        vmgrid_why="VMGRID_CPUS is not a number of CPUs"
    elif [ "${VMGRID_NETWORK-}" != none ] && [ "${VMGRID_NETWORK-}" != outbound ]; then
        vmgrid_why="VMGRID_NETWORK is neither none nor outbound"
    elif [ -z "${__cmd_line-}" ]; then
        vmgrid_why="the job wrapper has no __cmd_line, the command to run in the VM"
    elif [ ! -x "$vmgrid_launcher" ]; then
        vmgrid_why="$vmgrid_launcher (vmgrid_launcher of $GLITE_LOCAL_CUSTOMIZATION_DIR/cp_1.sh) is not an executable; install vmgrid on the worker node"
    elif [ ! -S "$vmgrid_service" ]; then
        vmgrid_why="no pilot service socket at $vmgrid_service (vmgrid_service of $GLITE_LOCAL_CUSTOMIZATION_DIR/cp_1.sh); start vmgrid serve on the worker node"
    elif ! vmgrid_errors=$(mktemp "${TMPDIR:-/tmp}/vmgrid-cream.XXXXXXXXXX"); then
        vmgrid_why="cannot create a file in ${TMPDIR:-/tmp} for the pilot's messages"
        vmgrid_errors=
    fi
    if [ -n "$vmgrid_why" ]; then
        vmgrid_why="vmgrid: the job asks for a VM, but $vmgrid_why; its command is not run"
        if declare -F fatal_error > /dev/null; then
            fatal_error "$vmgrid_why"
        fi
        printf '%s\n' "$vmgrid_why" >&2
        exit 1
    fi
    trap 'rm -f "$vmgrid_errors"' EXIT
    # a word for the /bin/sh that runs the line: single-quoted, its own single quotes as '\''
    vmgrid_quote() {
        local q="'\\''"
        printf "'%s'" "${1//\'/$q}"
    }
    vmgrid_line="exec $(vmgrid_quote "$vmgrid_launcher") pilot run --service $(vmgrid_quote "$vmgrid_service")"
    vmgrid_line+=" --image $VMGRID_IMAGE --memory $VMGRID_MEMORY --cpus $VMGRID_CPUS --network $VMGRID_NETWORK"
    vmgrid_line+=" --timeout $vmgrid_timeout --workdir \"\$PWD\""
    # CREAM's id of the job (the wrapper's __creamjobid), for the pilot's accounting record
    # shellcheck disable=SC2154 # the wrapper's variable
    if [ -n "${__creamjobid-}" ]; then
        vmgrid_line+=" --ce-job $(vmgrid_quote "$__creamjobid")"
    fi
    # the job's Environment, as the wrapper exported it
    # shellcheck disable=SC2154 # the wrapper's array
    for vmgrid_e in "${__environment[@]}"; do
        vmgrid_n=${vmgrid_e%%=*}
        if [[ $vmgrid_n =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] && [ -n "${!vmgrid_n+x}" ]; then
            vmgrid_line+=" --env $(vmgrid_quote "$vmgrid_n=${!vmgrid_n}")"
        fi
    done
    __cmd_line="$vmgrid_line -- /bin/sh -c $(vmgrid_quote "$__cmd_line") 2>>$(vmgrid_quote "$vmgrid_errors")"
    unset -f vmgrid_quote
    unset vmgrid_why vmgrid_hex vmgrid_uuid vmgrid_number vmgrid_line vmgrid_e vmgrid_n
fi
