#!/bin/sh
# build-debian-cloud-image.sh OUT.qcow2 SCRATCH_DIR [MIRROR]
# A stock Debian 12 cloud-init system, from Debian's packages only (no vmgrid file in it): minbase,
# systemd, udev, cloud-init and Debian's -cloud kernel (which has no 9p), no recommends. BIOS-booted by
# syslinux from a small FAT partition (kernel, Debian's initrd) with the root file system on an ext4
# partition made from the tree by mkfs.ext4 -d: no loop device, nothing mounted on the host.
set -eu
out=$1
work=$2
mirror=${3:-http://deb.debian.org/debian}
root=$work/root
rm -rf "$work"
mkdir -p "$work"

mmdebstrap --quiet --variant=minbase \
    --aptopt='APT::Install-Recommends "false"' \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/info/*' \
    --include=systemd-sysv,udev,cloud-init,linux-image-cloud-amd64 \
    bookworm "$root" "$mirror"

# Debian's packages only: nothing of vmgrid's may be in the image.
if find "$root" -iname '*vmgrid*' | grep -q .; then
    echo "the built tree holds vmgrid files:" >&2
    find "$root" -iname '*vmgrid*' >&2
    exit 1
fi

kernel=$(ls "$root"/boot/vmlinuz-* | head -n 1)
initrd=$(ls "$root"/boot/initrd.img-* | head -n 1)
[ -f "$kernel" ] && [ -f "$initrd" ] || { echo "no kernel or initrd in $root/boot" >&2; exit 1; }

boot=$work/boot
mkdir -p "$boot"
cp "$kernel" "$boot/vmlinuz"
cp "$initrd" "$boot/initrd.img"
printf 'DEFAULT debian\nPROMPT 0\nTIMEOUT 0\nLABEL debian\n  KERNEL /vmlinuz\n  INITRD /initrd.img\n  APPEND root=LABEL=debian-root rw console=ttyS0 quiet panic=-1\n' >"$boot/syslinux.cfg"
echo "MTOOLS_SKIP_CHECK=1" >"$work/mtoolsrc"

mib=1048576
bootsize=$(( ($(du -sb "$boot" | cut -f1) / mib + 16) * mib ))
rootsize=$(( ($(du -sb "$root" | cut -f1) / mib * 5 / 4 + 192) * mib ))
truncate -s "$bootsize" "$work/boot.img"
mkfs.vfat -n BOOT "$work/boot.img" >/dev/null
MTOOLSRC=$work/mtoolsrc mcopy -i "$work/boot.img" "$boot/vmlinuz" "$boot/initrd.img" "$boot/syslinux.cfg" ::/
syslinux --install "$work/boot.img"
truncate -s "$rootsize" "$work/root.img"
mkfs.ext4 -q -L debian-root -d "$root" "$work/root.img"

disk=$work/disk.raw
truncate -s $((mib + bootsize + rootsize)) "$disk"
bootsectors=$((bootsize / 512))
printf 'label: dos\nstart=2048, size=%s, type=c, bootable\nstart=%s, type=83\n' \
    "$bootsectors" $((2048 + bootsectors)) | sfdisk --no-reread --no-tell-kernel --quiet "$disk"
dd if=/usr/lib/syslinux/mbr/mbr.bin of="$disk" bs=440 count=1 conv=notrunc status=none
dd if="$work/boot.img" of="$disk" bs=1M seek=1 conv=notrunc status=none
dd if="$work/root.img" of="$disk" bs=1M seek=$((1 + bootsize / mib)) conv=notrunc status=none
qemu-img convert -f raw -O qcow2 "$disk" "$out.partial"
mv "$out.partial" "$out"
rm -rf "$work"
