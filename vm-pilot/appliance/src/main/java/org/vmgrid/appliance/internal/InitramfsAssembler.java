package org.vmgrid.appliance.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.vmgrid.appliance.ApplianceBuildException;

/**
 * The appliance's initramfs: busybox-static with one symlink per applet, the guest-contract
 * {@code /init}, its context reader and DHCP hook, and only the kernel modules it loads, listed in load order in
 * {@code /lib/vmgrid/modules.load}. Gzip-compressed with no name or time in the header.
 */
final class InitramfsAssembler {

    private static final String RESOURCES = "/org/vmgrid/appliance/internal/";

    private final long mtime;

    InitramfsAssembler(long mtime) {
        this.mtime = mtime;
    }

    /**
     * @param busybox the busybox-static binary
     * @param applets the names {@code busybox --list} printed
     * @param modulesDir the kernel's {@code lib/modules/<release>} directory
     * @param moduleOrder module paths relative to modulesDir, dependencies first
     */
    byte[] assemble(Path busybox, List<String> applets, Path modulesDir, List<String> moduleOrder) {
        CpioArchive a = new CpioArchive(mtime);
        for (String d : List.of("bin", "dev", "etc", "lib", "lib/modules", "lib/vmgrid", "proc", "root", "run", "sbin",
                "sys", "tmp")) {
            a.directory(d);
        }
        a.characterDevice("dev/console", 5, 1);
        a.file("bin/busybox", read(busybox), 0755);
        for (String applet : applets) {
            if (!applet.matches("[A-Za-z0-9_.\\[-]+") || applet.equals("..") || applet.equals(".")) {
                throw new ApplianceBuildException("busybox --list printed a strange applet name: '" + applet + "'");
            }
            if (!applet.equals("busybox")) {
                a.symlink("bin/" + applet, "busybox");
            }
        }
        StringBuilder load = new StringBuilder();
        for (String m : moduleOrder) {
            String flat = KernelModules.nameOf(m) + ".ko";
            a.file("lib/modules/" + flat, read(modulesDir.resolve(m)), 0644);
            load.append(flat).append('\n');
        }
        a.file("lib/vmgrid/modules.load", load.toString().getBytes(StandardCharsets.US_ASCII), 0644);
        a.file("init", resource("init.sh"), 0755);
        a.file("lib/vmgrid/read-context", resource("read-context.sh"), 0755);
        a.file("lib/vmgrid/udhcpc.script", resource("udhcpc.script"), 0755);
        return gzip(a.toBytes());
    }

    static byte[] resource(String name) {
        try (InputStream in = InitramfsAssembler.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCES + name + " is missing from the bundle");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource " + name, e);
        }
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new ApplianceBuildException("cannot read " + p + " for the initramfs: " + e, e);
        }
    }

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new IllegalStateException("gzip to memory failed", e);
        }
        return out.toByteArray();
    }
}
