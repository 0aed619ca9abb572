# vmgrid BLAH hook, one source for every batch system: `vmgrid blah install-hooks` (see
# docs/install-cream.md) installs it as <blah_libexec>/<lrms>_local_submit_attributes.sh for each
# batch system the site names, with the three settings below written in (the batch system, the
# hook service's socket and the helper's path); as it is here it names no batch system.
#
# BLAH sources this file from the submit-attributes script it writes per submission, the request
# file's assignments first, then `source <this file>`; the script's standard output is appended to
# the batch submit script. prelz BLAH: `#!/bin/sh` (bash in POSIX mode on the hosts it runs hooks on;
# dash has no `source`), stderr dropped, exit status ignored, these lines before BLAH's own
# directives. HTCondor's blahp: `#!/bin/bash`, stderr kept, a non-zero exit aborts the submission,
# these lines after BLAH's.
#
# POSIX sh only. Every variable may have been set by the grid user through CERequirements, so this
# hook decides on no variable it did not set itself: it reads the lines of the script BLAH runs ($0)
# and, when one asks for a VM, hands that file as it is to the vmgrid hook service on the CE. It runs
# one program, by absolute path, and otherwise only shell builtins; it defines no function; it prints
# only answer lines made of the directive encoder's characters; it always exits 0. A job that asks
# for no VM gets nothing printed whatever state vmgrid is in; a VM request gets its directives or a
# visible refusal, never nothing.
vmgrid_lrms=none
vmgrid_socket=/run/vmgrid/blah-hook.sock
vmgrid_client=/opt/vmgrid/blah/vmgrid-hook-client
vmgrid_vm=
vmgrid_vars=
vmgrid_why=
vmgrid_out=
vmgrid_err=
vmgrid_line=
vmgrid_nl='
'
# the request file's lines, as BLAH wrote them into the script it runs
if [ -f "$0" ] && [ -r "$0" ]; then
    while IFS= read -r vmgrid_line || [ -n "$vmgrid_line" ]; do
        case $vmgrid_line in
            [Vv][Mm][Gg][Rr][Ii][Dd]*) vmgrid_vm=1 ;;
            [Gg][Ll][Uu][Ee][Hh][Oo][Ss][Tt][Aa][Pp][Pp][Ll][Ii][Cc][Aa][Tt][Ii][Oo][Nn][Ss][Oo][Ff][Tt][Ww][Aa][Rr][Ee][Rr][Uu][Nn][Tt][Ii][Mm][Ee][Ee][Nn][Vv][Ii][Rr][Oo][Nn][Mm][Ee][Nn][Tt]*[Vv][Mm]-[Ii][Mm][Aa][Gg][Ee]-*)
                vmgrid_vm=1 ;;
        esac
    done < "$0"
fi
# what the site's own terms left in the shell (bash sees a tag only as element 0)
vmgrid_vars=${VmgridMemory+x}${VmgridCPUs+x}${VmgridNetwork+x}
case ${GlueHostApplicationSoftwareRunTimeEnvironment-} in *[Vv][Mm]-[Ii][Mm][Aa][Gg][Ee]-*) vmgrid_vars=x ;; esac
if [ -z "$vmgrid_vm" ] && [ -n "$vmgrid_vars" ]; then
    # a VM request, but not in the file read as $0 (bash lets an assignment to BASH_ARGV0 change it)
    vmgrid_why=bad-request
    vmgrid_err="the request file BLAH wrote cannot be read from \$0; submit the job through the CE"
elif [ -n "$vmgrid_vm" ]; then
    if vmgrid_answer=$("$vmgrid_client" "$vmgrid_socket" "$vmgrid_lrms" "$0" 2>/dev/null); then
        while [ -n "$vmgrid_answer" ]; do
            vmgrid_line=${vmgrid_answer%%"$vmgrid_nl"*}
            vmgrid_answer=${vmgrid_answer#"$vmgrid_line"}
            vmgrid_answer=${vmgrid_answer#"$vmgrid_nl"}
            case $vmgrid_line in
                'print '*)
                    vmgrid_line=${vmgrid_line#print }
                    case ${vmgrid_line#'#$ '} in
                        '' | *[!]ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789' #=:,._+/"[()?-']*)
                            vmgrid_why=service-unavailable
                            vmgrid_err="the vmgrid service answered a line that is not a plain directive" ;;
                        *) vmgrid_out="$vmgrid_out$vmgrid_line$vmgrid_nl" ;;
                    esac ;;
                'error '*) vmgrid_err=${vmgrid_line#error } ;;
                *)
                    vmgrid_why=service-unavailable
                    vmgrid_err="the vmgrid service answered an unknown line" ;;
            esac
        done
        if [ -z "$vmgrid_why" ] && [ -z "$vmgrid_out" ]; then
            vmgrid_why=service-unavailable
            vmgrid_err=${vmgrid_err:-"the vmgrid service gave no answer"}
        fi
    else
        vmgrid_why=service-unavailable
        vmgrid_err="no answer from the vmgrid hook service at $vmgrid_socket (through $vmgrid_client); start vmgrid serve on the CE"
    fi
fi
if [ -n "$vmgrid_why" ]; then
    # the refusal this hook prints itself (the service's are among its answer lines)
    case $vmgrid_lrms in
        slurm) printf '#SBATCH --vmgrid-refused=%s\n' "$vmgrid_why" ;;
        pbs) printf '#PBS --vmgrid-refused=%s\n' "$vmgrid_why" ;;
        sge) printf '#$ --vmgrid-refused=%s\n' "$vmgrid_why" ;;
        lsf) printf '#BSUB --vmgrid-refused=%s\n' "$vmgrid_why" ;;
        condor) printf 'hold = True\n+VmgridRefused = "%s"\n' "$vmgrid_why" ;;
    esac
    printf 'vmgrid: VM job refused (%s): %s\n' "$vmgrid_why" "$vmgrid_err" >&2
elif [ -n "$vmgrid_out" ]; then
    printf '%s' "$vmgrid_out"
    [ -z "$vmgrid_err" ] || printf 'vmgrid: %s\n' "$vmgrid_err" >&2
fi
unset vmgrid_lrms vmgrid_socket vmgrid_client vmgrid_vm vmgrid_vars vmgrid_why vmgrid_out vmgrid_err vmgrid_line \
    vmgrid_nl vmgrid_answer
:
