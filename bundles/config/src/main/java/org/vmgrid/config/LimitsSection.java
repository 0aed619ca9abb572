package org.vmgrid.config;

import java.util.Arrays;
import org.vmgrid.api.NetworkMode;

/**
 * {@code limits.properties}: defaults and maxima for what a job's VM may ask. Without the file the
 * built-in values are conservative: 2048 MiB (at most 4096), 1 CPU (at most 4), no network, 16 KiB
 * of user data.
 *
 * @param memoryDefaultMiB memory when the JDL names none
 * @param memoryMaxMiB the most memory a job's VM may have
 * @param cpusDefault CPUs when the JDL names none
 * @param cpusMax the most CPUs a job's VM may have
 * @param networkMax the most network a job may ask for ({@code none} forbids {@code outbound})
 * @param userDataMaxBytes the largest user data accepted
 * @param overheadMemoryMiB memory the batch system must reserve beyond the guest's (QEMU's own)
 */
public record LimitsSection(int memoryDefaultMiB, int memoryMaxMiB, int cpusDefault, int cpusMax,
        NetworkMode networkMax, int userDataMaxBytes, int overheadMemoryMiB) {

    /** Guests need at least this much memory to boot. */
    public static final int MIN_MEMORY_MIB = 96;

    public static LimitsSection builtIn() {
        return new LimitsSection(2048, 4096, 1, 4, NetworkMode.NONE, 16384, 256);
    }

    static LimitsSection from(ConfigFile f) {
        LimitsSection d = builtIn();
        int memMax = f.integer("memory.max", d.memoryMaxMiB(), MIN_MEMORY_MIB, 1 << 22, "MiB");
        int memDef = f.integer("memory.default", Math.min(d.memoryDefaultMiB(), memMax), MIN_MEMORY_MIB, 1 << 22, "MiB");
        if (memDef > memMax) {
            throw f.bad("memory.default", String.valueOf(memDef), "at most memory.max (" + memMax + " MiB)");
        }
        int cpusMax = f.integer("cpus.max", d.cpusMax(), 1, 1024, "CPUs");
        int cpusDef = f.integer("cpus.default", Math.min(d.cpusDefault(), cpusMax), 1, 1024, "CPUs");
        if (cpusDef > cpusMax) {
            throw f.bad("cpus.default", String.valueOf(cpusDef), "at most cpus.max (" + cpusMax + ")");
        }
        String net = f.keyword("network.max", d.networkMax().keyword(),
                Arrays.stream(NetworkMode.values()).map(NetworkMode::keyword).toList());
        int userData = f.integer("userdata.max.bytes", d.userDataMaxBytes(), 0, 1 << 20, "bytes");
        int overhead = f.integer("overhead.memory", d.overheadMemoryMiB(), 0, 1 << 16, "MiB");
        f.rejectUnknownKeys();
        return new LimitsSection(memDef, memMax, cpusDef, cpusMax, NetworkMode.fromKeyword(net).orElseThrow(),
                userData, overhead);
    }
}
