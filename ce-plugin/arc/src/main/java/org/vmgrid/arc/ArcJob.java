package org.vmgrid.arc;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What vmgrid reads of an ARC job description.
 *
 * @param format where it came from: {@code ADL} or {@code xRSL}
 * @param runtimeEnvironments the runtime environments asked for, in order
 * @param memoryMiB the job's memory ({@code (memory)} of xRSL, ADL's {@code IndividualPhysicalMemory}
 *     in whole MiB, rounded down as A-REX does), if given
 * @param slots the job's slots ({@code (count)}, ADL's {@code NumberOfSlots}), if given
 */
public record ArcJob(String format, List<RuntimeEnvironmentRequest> runtimeEnvironments, OptionalLong memoryMiB,
        OptionalLong slots) {

    public ArcJob {
        Objects.requireNonNull(format, "format");
        runtimeEnvironments = List.copyOf(runtimeEnvironments);
        Objects.requireNonNull(memoryMiB, "memoryMiB");
        Objects.requireNonNull(slots, "slots");
    }
}
