package org.vmgrid.arc;

import java.util.Map;
import java.util.Objects;
import org.vmgrid.api.ImageDescriptor;

/**
 * The one place vmgrid's ARC runtime environment scripts are made. A-REX sources an RTE's stage 0
 * into its {@code submit-<LRMS>-job} script on the CE, as the mapped user, before it writes the
 * batch script; stages 1 and 2 run on the worker node, where vmgrid's scripts do nothing.
 *
 * <p>{@code VMGRID/IMAGE/<name>}'s stage 0 turns the job into a VM job: memory and CPUs become
 * ARC's own job options (so SLURM gets {@code -n}, {@code --ntasks-per-node} and
 * {@code --mem-per-cpu}, guest plus QEMU's overhead), a node property selects a VM-capable node,
 * and the payload's command line becomes {@code vmgrid pilot run --service ... -- <payload>}, rebuilt
 * from {@code joboption_arg_N} with every argument single-quoted (ARC double-quotes
 * {@code joboption_args} in the batch script, which would expand {@code $(...)} on the host). Only
 * the payload goes into the VM: ARC's batch script stays on the host. The client names ARC's id of
 * the job ({@code --ce-job "$GRID_GLOBAL_JOBID"}, which ARC's batch script exports before the
 * payload line) for the pilot's accounting record, so that a site can join it with ARC's. {@code ENV/VMGRID} carries
 * the options and only checks that an image was asked for.
 *
 * <p>Nothing a user wrote is ever part of a script: the scripts read the job's values at run time
 * from A-REX's variables, accept options only in fixed forms ({@code case} patterns), and quote
 * arguments. Only values checked by {@link RteSite} and {@link ImageDescriptor} are written in.
 */
public final class RteScripts {

    private static final String HEADER = """
            # description: @DESCRIPTION@
            # Written by 'vmgrid arc rte sync' from the site's trusted image lists: do not edit, the next sync
            # replaces or removes it.
            """;

    private static final String IMAGE = """
            # Stage 0 (on the CE, sourced by A-REX's submit script): the job's payload runs in a fresh VM of
            # image @IMAGE@ on a VM-capable node, through the node's vmgrid pilot service.
            if [ "$1" = 0 ]; then
              if [ -n "${vmgrid_image:-}" ]; then
                echo "vmgrid: the job asks for two VM images; a job runs in one VM: keep one VMGRID/IMAGE/ runtime environment" 1>&2
                return 1
              fi
              vmgrid_image='@IMAGE@'
              vmgrid_memory=
              vmgrid_cpus=
              vmgrid_network=
              vmgrid_images=0
              vmgrid_rte=
              vmgrid_option=
              vmgrid_env=
              vmgrid_arg=
              # ENV/VMGRID's options as A-REX read them (this script's own arguments arrive re-quoted and split)
              vmgrid_i=0
              while eval "[ -n \\"\\${joboption_runtime_${vmgrid_i}+set}\\" ]"; do
                eval "vmgrid_rte=\\${joboption_runtime_${vmgrid_i}}"
                case "$vmgrid_rte" in
                  VMGRID/IMAGE/*) vmgrid_images=$((vmgrid_images + 1)) ;;
                esac
                if [ "$vmgrid_rte" = "ENV/VMGRID" ]; then
                  vmgrid_j=1
                  while eval "[ -n \\"\\${joboption_runtime_${vmgrid_i}_${vmgrid_j}+set}\\" ]"; do
                    eval "vmgrid_option=\\${joboption_runtime_${vmgrid_i}_${vmgrid_j}}"
                    case "$vmgrid_option" in
                      memory=?*) vmgrid_key=memory ;;
                      cpus=?*) vmgrid_key=cpus ;;
                      network=?*) vmgrid_key=network ;;
                      *) echo "vmgrid: ENV/VMGRID takes memory=<MiB>, cpus=<n> and network=none|outbound" 1>&2; return 1 ;;
                    esac
                    eval "vmgrid_seen=\\${vmgrid_${vmgrid_key}}"
                    if [ -n "$vmgrid_seen" ]; then
                      echo "vmgrid: ENV/VMGRID option $vmgrid_key is given twice" 1>&2
                      return 1
                    fi
                    eval "vmgrid_${vmgrid_key}=\\${vmgrid_option#*=}"
                    vmgrid_j=$((vmgrid_j + 1))
                  done
                fi
                vmgrid_i=$((vmgrid_i + 1))
              done
              if [ "$vmgrid_images" -ne 1 ]; then
                echo "vmgrid: the job asks for $vmgrid_images VM images; a job runs in one VM: keep one VMGRID/IMAGE/ runtime environment" 1>&2
                return 1
              fi
              [ -n "$vmgrid_memory" ] || vmgrid_memory=${joboption_memory:-@MEMORY_DEFAULT@}
              [ -n "$vmgrid_cpus" ] || vmgrid_cpus=${joboption_count:-1}
              [ -n "$vmgrid_network" ] || vmgrid_network=none
              case "$vmgrid_memory" in
                [1-9]|[1-9][0-9]|[1-9][0-9][0-9]|[1-9][0-9][0-9][0-9]|[1-9][0-9][0-9][0-9][0-9]|[1-9][0-9][0-9][0-9][0-9][0-9]) ;;
                *) echo "vmgrid: the VM's memory must be a whole number of MiB" 1>&2; return 1 ;;
              esac
              case "$vmgrid_cpus" in
                [1-9]|[1-9][0-9]|[1-9][0-9][0-9]) ;;
                *) echo "vmgrid: the VM's CPUs must be a whole number" 1>&2; return 1 ;;
              esac
              case "$vmgrid_network" in
                none|outbound) ;;
                *) echo "vmgrid: the VM's network must be none or outbound" 1>&2; return 1 ;;
              esac
              # the batch system's share: ARC's own options (SLURM refuses --mem beside ARC's --mem-per-cpu)
              joboption_count=$vmgrid_cpus
              if [ "$vmgrid_cpus" -gt 1 ]; then
                joboption_countpernode=$vmgrid_cpus
              fi
              joboption_memory=$(( (vmgrid_memory + @OVERHEAD@ + vmgrid_cpus - 1) / vmgrid_cpus ))
              vmgrid_k=0
              while eval "[ -n \\"\\${joboption_nodeproperty_${vmgrid_k}+set}\\" ]"; do
                vmgrid_k=$((vmgrid_k + 1))
              done
              eval "joboption_nodeproperty_${vmgrid_k}='@NODES@'"
              # the payload's argv, each argument single-quoted, after the pilot service client
              vmgrid_quote() {
                vmgrid_q=$(printf '%s.' "$1" | sed "s/'/'\\\\\\\\''/g")
                printf "'%s'" "${vmgrid_q%.}"
              }
              vmgrid_args="'@VMGRID@' 'pilot' 'run' '--service' '@SOCKET@' '--image' '$vmgrid_image'"
              vmgrid_args="$vmgrid_args '--memory' '$vmgrid_memory' '--cpus' '$vmgrid_cpus' '--network' '$vmgrid_network'"
              vmgrid_args="$vmgrid_args '--workdir' \\"\\$RUNTIME_JOB_DIR\\""
              # ARC's id of the job, which the batch script exports, for the pilot's accounting record
              vmgrid_args="$vmgrid_args '--ce-job' \\"\\$GRID_GLOBAL_JOBID\\""
              case "${joboption_walltime:-}" in
                ''|*[!0-9]*|0*) ;;
                *) vmgrid_args="$vmgrid_args '--timeout' '$joboption_walltime'" ;;
              esac
              vmgrid_i=0
              while eval "[ -n \\"\\${joboption_env_${vmgrid_i}+set}\\" ]"; do
                eval "vmgrid_env=\\${joboption_env_${vmgrid_i}}"
                vmgrid_name=${vmgrid_env%%=*}
                case "$vmgrid_name" in
                  ''|[!A-Za-z_]*|*[!A-Za-z0-9_]*) echo "vmgrid: a variable of the job's environment is not passed into the VM: its name is not [A-Za-z_][A-Za-z0-9_]*" 1>&2 ;;
                  *) vmgrid_args="$vmgrid_args '--env' $(vmgrid_quote "$vmgrid_env")" ;;
                esac
                vmgrid_i=$((vmgrid_i + 1))
              done
              vmgrid_args="$vmgrid_args '--'"
              vmgrid_i=0
              while eval "[ -n \\"\\${joboption_arg_${vmgrid_i}+set}\\" ]"; do
                eval "vmgrid_arg=\\${joboption_arg_${vmgrid_i}}"
                vmgrid_args="$vmgrid_args $(vmgrid_quote "$vmgrid_arg")"
                vmgrid_i=$((vmgrid_i + 1))
              done
              joboption_args=$vmgrid_args
              # the batch script checks that the executable exists on the node
              joboption_arg_0='@VMGRID@'
              ACCOUNTING_WN_INSTANCE="vmgrid:$vmgrid_image"
              export ACCOUNTING_WN_INSTANCE
              unset vmgrid_memory vmgrid_cpus vmgrid_network vmgrid_images vmgrid_i vmgrid_j vmgrid_k vmgrid_rte vmgrid_option vmgrid_key
              unset vmgrid_seen vmgrid_args vmgrid_env vmgrid_name vmgrid_arg vmgrid_q
              unset -f vmgrid_quote
            fi
            """;

    private static final String OPTIONS = """
            # Stage 0 (on the CE): the options go with a VM image; VMGRID/IMAGE/<image> reads them.
            if [ "$1" = 0 ]; then
              vmgrid_i=0
              vmgrid_found=
              vmgrid_rte=
              while eval "[ -n \\"\\${joboption_runtime_${vmgrid_i}+set}\\" ]"; do
                eval "vmgrid_rte=\\${joboption_runtime_${vmgrid_i}}"
                case "$vmgrid_rte" in
                  VMGRID/IMAGE/?*) vmgrid_found=1 ;;
                esac
                vmgrid_i=$((vmgrid_i + 1))
              done
              if [ -z "$vmgrid_found" ]; then
                echo "vmgrid: ENV/VMGRID needs the image too: ask for a VMGRID/IMAGE/<image> runtime environment" 1>&2
                return 1
              fi
              unset vmgrid_i vmgrid_found vmgrid_rte
            fi
            """;

    /** The script of {@code VMGRID/IMAGE/<name>} for one image (the same for its UUID and each alias). */
    public String image(ImageDescriptor image, RteSite site) {
        Objects.requireNonNull(site, "site");
        String uuid = image.uuid(); // a lower-case UUID, checked by ImageDescriptor
        String title = plain(image.title());
        String description = "vmgrid VM image " + (title.isEmpty() ? uuid : title + " (" + uuid + ")");
        return fill(HEADER + IMAGE, Map.of("@DESCRIPTION@", description, "@IMAGE@", uuid,
                "@VMGRID@", site.vmgridCommand().toString(), "@SOCKET@", site.pilotSocket().toString(),
                "@MEMORY_DEFAULT@", Integer.toString(site.memoryDefaultMiB()),
                "@OVERHEAD@", Integer.toString(site.overheadMiB()),
                "@NODES@", site.nodeSelection()));
    }

    /** The script of {@code ENV/VMGRID}. */
    public String options() {
        return fill(HEADER + OPTIONS, Map.of("@DESCRIPTION@",
                "vmgrid VM options memory=<MiB> cpus=<n> network=none|outbound, with a VMGRID/IMAGE/ runtime environment"));
    }

    private static String fill(String template, Map<String, String> values) {
        String out = template;
        for (Map.Entry<String, String> e : values.entrySet()) {
            out = out.replace(e.getKey(), e.getValue());
        }
        if (out.contains("@")) {
            throw new IllegalStateException("a runtime environment placeholder was left unfilled");
        }
        return out;
    }

    /**
     * Free text of an image list (its title) for the description comment, which ARC publishes: only
     * letters, digits and a few marks survive, on one line, at most 60 characters.
     */
    static String plain(String text) {
        String s = text.replaceAll("[^A-Za-z0-9 .,:()_+-]", " ").replaceAll(" +", " ").strip();
        return s.length() > 60 ? s.substring(0, 60).strip() : s;
    }
}
