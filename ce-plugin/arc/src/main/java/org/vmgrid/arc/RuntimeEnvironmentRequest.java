package org.vmgrid.arc;

import java.util.List;
import java.util.Objects;

/**
 * One runtime environment a job asks for.
 *
 * @param name its whole name as A-REX resolves it: ADL's {@code Name}, joined to a non-empty
 *     {@code Version} with '-' (ARC's client splits {@code VMGRID/IMAGE/debian-12} into name
 *     {@code VMGRID/IMAGE/debian} and version {@code 12} at the first dash before a digit)
 * @param options its options, in order, exactly as written
 */
public record RuntimeEnvironmentRequest(String name, List<String> options) {

    public RuntimeEnvironmentRequest {
        Objects.requireNonNull(name, "name");
        options = List.copyOf(options);
    }
}
