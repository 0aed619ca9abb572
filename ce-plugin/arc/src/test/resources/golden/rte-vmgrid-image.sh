# description: vmgrid VM image test appliance (3f8b5c2e-9a41-4d7e-8c3b-1f2a6d9e0b47)
# Written by 'vmgrid arc rte sync' from the site's trusted image lists: do not edit, the next sync
# replaces or removes it.
# Stage 0 (on the CE, sourced by A-REX's submit script): the job's payload runs in a fresh VM of
# image 3f8b5c2e-9a41-4d7e-8c3b-1f2a6d9e0b47 on a VM-capable node, through the node's vmgrid pilot service.
if [ "$1" = 0 ]; then
  if [ -n "${vmgrid_image:-}" ]; then
    echo "vmgrid: the job asks for two VM images; a job runs in one VM: keep one VMGRID/IMAGE/ runtime environment" 1>&2
    return 1
  fi
  vmgrid_image='3f8b5c2e-9a41-4d7e-8c3b-1f2a6d9e0b47'
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
  while eval "[ -n \"\${joboption_runtime_${vmgrid_i}+set}\" ]"; do
    eval "vmgrid_rte=\${joboption_runtime_${vmgrid_i}}"
    case "$vmgrid_rte" in
      VMGRID/IMAGE/*) vmgrid_images=$((vmgrid_images + 1)) ;;
    esac
    if [ "$vmgrid_rte" = "ENV/VMGRID" ]; then
      vmgrid_j=1
      while eval "[ -n \"\${joboption_runtime_${vmgrid_i}_${vmgrid_j}+set}\" ]"; do
        eval "vmgrid_option=\${joboption_runtime_${vmgrid_i}_${vmgrid_j}}"
        case "$vmgrid_option" in
          memory=?*) vmgrid_key=memory ;;
          cpus=?*) vmgrid_key=cpus ;;
          network=?*) vmgrid_key=network ;;
          *) echo "vmgrid: ENV/VMGRID takes memory=<MiB>, cpus=<n> and network=none|outbound" 1>&2; return 1 ;;
        esac
        eval "vmgrid_seen=\${vmgrid_${vmgrid_key}}"
        if [ -n "$vmgrid_seen" ]; then
          echo "vmgrid: ENV/VMGRID option $vmgrid_key is given twice" 1>&2
          return 1
        fi
        eval "vmgrid_${vmgrid_key}=\${vmgrid_option#*=}"
        vmgrid_j=$((vmgrid_j + 1))
      done
    fi
    vmgrid_i=$((vmgrid_i + 1))
  done
  if [ "$vmgrid_images" -ne 1 ]; then
    echo "vmgrid: the job asks for $vmgrid_images VM images; a job runs in one VM: keep one VMGRID/IMAGE/ runtime environment" 1>&2
    return 1
  fi
  [ -n "$vmgrid_memory" ] || vmgrid_memory=${joboption_memory:-1024}
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
  joboption_memory=$(( (vmgrid_memory + 256 + vmgrid_cpus - 1) / vmgrid_cpus ))
  vmgrid_k=0
  while eval "[ -n \"\${joboption_nodeproperty_${vmgrid_k}+set}\" ]"; do
    vmgrid_k=$((vmgrid_k + 1))
  done
  eval "joboption_nodeproperty_${vmgrid_k}='--constraint=vmgrid --gres=vmslot:1'"
  # the payload's argv, each argument single-quoted, after the pilot service client
  vmgrid_quote() {
    vmgrid_q=$(printf '%s.' "$1" | sed "s/'/'\\\\''/g")
    printf "'%s'" "${vmgrid_q%.}"
  }
  vmgrid_args="'/usr/bin/vmgrid' 'pilot' 'run' '--service' '/run/vmgrid/pilot.sock' '--image' '$vmgrid_image'"
  vmgrid_args="$vmgrid_args '--memory' '$vmgrid_memory' '--cpus' '$vmgrid_cpus' '--network' '$vmgrid_network'"
  vmgrid_args="$vmgrid_args '--workdir' \"\$RUNTIME_JOB_DIR\""
  # ARC's id of the job, which the batch script exports, for the pilot's accounting record
  vmgrid_args="$vmgrid_args '--ce-job' \"\$GRID_GLOBAL_JOBID\""
  case "${joboption_walltime:-}" in
    ''|*[!0-9]*|0*) ;;
    *) vmgrid_args="$vmgrid_args '--timeout' '$joboption_walltime'" ;;
  esac
  vmgrid_i=0
  while eval "[ -n \"\${joboption_env_${vmgrid_i}+set}\" ]"; do
    eval "vmgrid_env=\${joboption_env_${vmgrid_i}}"
    vmgrid_name=${vmgrid_env%%=*}
    case "$vmgrid_name" in
      ''|[!A-Za-z_]*|*[!A-Za-z0-9_]*) echo "vmgrid: a variable of the job's environment is not passed into the VM: its name is not [A-Za-z_][A-Za-z0-9_]*" 1>&2 ;;
      *) vmgrid_args="$vmgrid_args '--env' $(vmgrid_quote "$vmgrid_env")" ;;
    esac
    vmgrid_i=$((vmgrid_i + 1))
  done
  vmgrid_args="$vmgrid_args '--'"
  vmgrid_i=0
  while eval "[ -n \"\${joboption_arg_${vmgrid_i}+set}\" ]"; do
    eval "vmgrid_arg=\${joboption_arg_${vmgrid_i}}"
    vmgrid_args="$vmgrid_args $(vmgrid_quote "$vmgrid_arg")"
    vmgrid_i=$((vmgrid_i + 1))
  done
  joboption_args=$vmgrid_args
  # the batch script checks that the executable exists on the node
  joboption_arg_0='/usr/bin/vmgrid'
  ACCOUNTING_WN_INSTANCE="vmgrid:$vmgrid_image"
  export ACCOUNTING_WN_INSTANCE
  unset vmgrid_memory vmgrid_cpus vmgrid_network vmgrid_images vmgrid_i vmgrid_j vmgrid_k vmgrid_rte vmgrid_option vmgrid_key
  unset vmgrid_seen vmgrid_args vmgrid_env vmgrid_name vmgrid_arg vmgrid_q
  unset -f vmgrid_quote
fi
