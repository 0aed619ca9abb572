# description: vmgrid VM options memory=<MiB> cpus=<n> network=none|outbound, with a VMGRID/IMAGE/ runtime environment
# Written by 'vmgrid arc rte sync' from the site's trusted image lists: do not edit, the next sync
# replaces or removes it.
# Stage 0 (on the CE): the options go with a VM image; VMGRID/IMAGE/<image> reads them.
if [ "$1" = 0 ]; then
  vmgrid_i=0
  vmgrid_found=
  vmgrid_rte=
  while eval "[ -n \"\${joboption_runtime_${vmgrid_i}+set}\" ]"; do
    eval "vmgrid_rte=\${joboption_runtime_${vmgrid_i}}"
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
