# vmgrid: the shared body of the BLAH hooks <lrms>_local_submit_attributes.sh.
#
# Sourced (never run) by a hook, which BLAH sources from a temporary #!/bin/sh script (bash on a CE)
# right after the request file's assignments; BLAH appends this script's stdout to the batch submit
# script. Every variable here may have been set by the grid user through CERequirements, including
# PATH, IFS, VMGRID_HOME and VMGRID_HOOK_SOCKET. So: no user value is ever evaluated, echoed or used
# as a command; values go as NUL-terminated records on stdin to the vmgrid CE service, programs are
# called by absolute path with an empty environment, and only answer lines made of a strict set of
# characters are printed. A VM request that cannot be answered is turned into a directive that makes
# the submission fail (or, for HTCondor, the job held): a VM job never runs without its VM.

vmgrid_blah_hook() {
    local IFS=$' \t\n'
    local lrms=$1 sock=${VMGRID_HOOK_SOCKET:-/run/vmgrid/blah-hook.sock}
    local vm= tag var line answer err= bad=
    local -a req=() out=()
    for tag in "${GlueHostApplicationSoftwareRunTimeEnvironment[@]}"; do
        req+=("tag=$tag")
        case $tag in VM-IMAGE-*) vm=1 ;; esac
    done
    [ -n "${VmgridMemory+set}" ] && { req+=("memory=$VmgridMemory"); vm=1; }
    [ -n "${VmgridCPUs+set}" ] && { req+=("cpus=$VmgridCPUs"); vm=1; }
    [ -n "${VmgridNetwork+set}" ] && { req+=("network=$VmgridNetwork"); vm=1; }
    for var in VmgridMemory_Min VmgridMemory_Max VmgridCPUs_Min VmgridCPUs_Max VmgridNetwork_Min VmgridNetwork_Max; do
        [ -n "${!var+set}" ] && { req+=("bound=$var"); vm=1; }
    done
    [ -z "$vm" ] && return 0
    # the submitter's VO and FQANs, which blah.config's blah_pass_submit_attributes passes from the proxy
    # CREAM authenticated (the CE's Axis2 module refuses VM jobs whose CERequirements would override them);
    # sent as data like every other value, each element of an array as its own record
    for var in "${VirtualOrganisation[@]}"; do req+=("vo=$var"); done
    for var in "${x509UserProxyFQAN[@]}"; do req+=("fqan=$var"); done

    case $sock in
        /*) case $sock in *[!A-Za-z0-9._/-]*) bad="VMGRID_HOOK_SOCKET is not a plain absolute path" ;; esac ;;
        *) bad="VMGRID_HOOK_SOCKET is not an absolute path" ;;
    esac
    if [ -z "$bad" ]; then
        answer=$(printf '%s\0' "lrms=$lrms" "${req[@]}" |
            /usr/bin/env -i /usr/bin/timeout 20 /usr/bin/socat -t 15 - "UNIX-CONNECT:$sock" 2>/dev/null) ||
            bad="the vmgrid service at $sock did not answer; start it (vmgrid serve) on the CE"
    fi
    if [ -z "$bad" ]; then
        while IFS= read -r line; do
            case $line in
                "print "*) line=${line#print }
                    if vmgrid_blah_safe_line "$line"; then out+=("$line"); else bad="the vmgrid service answered an unsafe line"; fi ;;
                "error "*) err=${line#error } ;;
                "") ;;
                *) bad="the vmgrid service answered an unknown line" ;;
            esac
        done <<<"$answer"
        [ ${#out[@]} -eq 0 ] && [ -z "$bad" ] && bad=${err:-"the vmgrid service gave no answer"}
    fi
    if [ -n "$bad" ]; then
        vmgrid_blah_refuse "$lrms"
        printf 'vmgrid: VM job refused (service-unavailable): %s\n' "$bad" >&2
        return 0
    fi
    printf '%s\n' "${out[@]}"
    [ -n "$err" ] && printf 'vmgrid: %s\n' "$err" >&2
    return 0
}

# True when a directive line holds only the characters the DirectiveEncoder allows (letters, digits,
# space and # = : , . _ + / " [ ] ( ) ? -), SGE's own "#$ " prefix aside: no quote but ", no $, `, ;,
# backslash, control or non-ASCII character.
vmgrid_blah_safe_line() {
    local LC_ALL=C l=$1
    case $l in '#$ '*) l=${l#'#$ '} ;; esac
    case $l in
        '' | *[!]A-Za-z0-9' #=:,._+/"[()?-']*) return 1 ;;
    esac
    return 0
}

# The fixed refusal the hook prints itself when the service cannot answer (mirrors Refusal.java).
vmgrid_blah_refuse() {
    case $1 in
        slurm) printf '%s\n' '#SBATCH --vmgrid-refused=service-unavailable' ;;
        pbs) printf '%s\n' '#PBS --vmgrid-refused=service-unavailable' ;;
        sge) printf '%s\n' '#$ --vmgrid-refused=service-unavailable' ;;
        lsf) printf '%s\n' '#BSUB --vmgrid-refused=service-unavailable' ;;
        condor) printf '%s\n' 'hold = True' '+VmgridRefused = "service-unavailable"' ;;
    esac
}
