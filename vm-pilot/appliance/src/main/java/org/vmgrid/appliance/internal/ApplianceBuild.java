package org.vmgrid.appliance.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.vmgrid.appliance.ApplianceBuildException;
import org.vmgrid.appliance.ApplianceBuilder;
import org.vmgrid.appliance.ApplianceSettings;
import org.vmgrid.appliance.BuiltAppliance;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.CommandRunner;

/** One run of the appliance build, in a scratch directory inside the output directory. */
public final class ApplianceBuild {

    private final CommandRunner runner;
    private final ApplianceSettings settings;

    public ApplianceBuild(CommandRunner runner, ApplianceSettings settings) {
        this.runner = runner;
        this.settings = settings;
    }

    public BuiltAppliance run(Path out) {
        Path work;
        try {
            Files.createDirectories(out);
            work = Files.createTempDirectory(out, ".appliance-build-");
        } catch (IOException e) {
            throw new ApplianceBuildException("cannot create the output directory " + out + ": " + e, e);
        }
        try {
            return build(out, work);
        } catch (IOException e) {
            throw new ApplianceBuildException("building the appliance in " + work + " failed: " + e, e);
        } finally {
            FileTrees.delete(work);
        }
    }

    private BuiltAppliance build(Path out, Path work) throws IOException {
        DebianPackages debs = new DebianPackages(runner, settings.debCache(), settings.commandTimeout());
        String kernelPackage = debs.kernelPackage(settings.kernelMetaPackage());
        Path kernelRoot = Files.createDirectories(work.resolve("kernel"));
        debs.extract(debs.fetch(kernelPackage), kernelRoot);
        Path busyboxRoot = Files.createDirectories(work.resolve("busybox"));
        debs.extract(debs.fetch("busybox-static"), busyboxRoot);

        String release = kernelRelease(kernelRoot, kernelPackage);
        Path modulesDir = kernelRoot.resolve("lib/modules").resolve(release);
        runner.runChecked(Command.of(settings.commandTimeout(), "depmod", "-b", kernelRoot.toString(), release));
        KernelModules modules = new KernelModules(
                Files.readString(modulesDir.resolve("modules.dep"), StandardCharsets.UTF_8),
                Files.isRegularFile(modulesDir.resolve("modules.builtin"))
                        ? Files.readString(modulesDir.resolve("modules.builtin"), StandardCharsets.UTF_8) : "");
        List<String> order = modules.loadOrder(settings.modules());

        Path busybox = busyboxRoot.resolve("bin/busybox");
        List<String> applets = new ArrayList<>(Arrays.asList(runner.runChecked(
                Command.of(settings.commandTimeout(), busybox.toString(), "--list")).stdoutText().split("\\s+")));
        applets.removeIf(String::isEmpty);
        byte[] initrd = new InitramfsAssembler(settings.sourceDate().getEpochSecond())
                .assemble(busybox, applets, modulesDir, order);
        Path initrdFile = Files.write(work.resolve("initramfs.gz"), initrd);

        Path kernel = kernelRoot.resolve("boot/vmlinuz-" + release);
        if (!Files.isRegularFile(kernel)) {
            throw new ApplianceBuildException(kernelPackage + " has no boot/vmlinuz-" + release);
        }
        Path image = out.resolve(ApplianceBuilder.IMAGE_FILE);
        Path disk = Files.createDirectories(work.resolve("disk"));
        new DiskImageMaker(runner, settings.sourceDate(), settings.commandTimeout()).make(kernel, initrdFile, disk, image);

        String sha512 = FileTrees.digest(image, "SHA-512");
        long size = Files.size(image);
        UUID uuid = ContentUuid.ofSha512(sha512);
        Path list = out.resolve(ApplianceBuilder.IMAGE_LIST_FILE);
        Path partialList = work.resolve(ApplianceBuilder.IMAGE_LIST_FILE);
        Files.writeString(partialList, ImageListWriter.render(uuid, sha512, size, image.toUri(), release,
                settings.sourceDate()), StandardCharsets.UTF_8);
        Files.move(partialList, list, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new BuiltAppliance(image, list, uuid, sha512, size, release);
    }

    /** The one {@code lib/modules/<release>} directory the kernel package holds. */
    private static String kernelRelease(Path kernelRoot, String kernelPackage) throws IOException {
        List<String> found = new ArrayList<>();
        Path dir = kernelRoot.resolve("lib/modules");
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
                s.forEach(p -> found.add(p.getFileName().toString()));
            }
        }
        if (found.size() != 1) {
            throw new ApplianceBuildException(kernelPackage + " should hold exactly one lib/modules/<release>, found "
                    + found);
        }
        return found.get(0);
    }
}
