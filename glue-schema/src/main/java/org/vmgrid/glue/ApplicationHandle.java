package org.vmgrid.glue;

/**
 * GLUE 2.0 ApplicationHandle: how a job names an ApplicationEnvironment.
 *
 * @param id globally unique ID
 * @param type handle type, e.g. {@code executable} or a vmgrid-specific type
 * @param value the name to use
 */
public record ApplicationHandle(String id, String type, String value) {
}
