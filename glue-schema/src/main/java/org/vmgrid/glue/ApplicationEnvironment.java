package org.vmgrid.glue;

import java.util.List;

/**
 * GLUE 2.0 ApplicationEnvironment: one VM image a job may ask for, with its handles.
 *
 * @param id globally unique ID
 * @param appName the image's name as jobs ask for it ({@code VM-IMAGE-<uuid>})
 * @param appVersion the image's version, free text from the image list
 * @param state e.g. {@code installednotverified}
 * @param description the image's title, free text from the image list
 * @param otherInfo {@code Key=Value} strings (UUID, SHA-512, image list, VOs)
 * @param handles how a job names the image
 */
public record ApplicationEnvironment(String id, String appName, String appVersion, String state, String description,
        List<String> otherInfo, List<ApplicationHandle> handles) {

    public ApplicationEnvironment {
        otherInfo = List.copyOf(otherInfo);
        handles = List.copyOf(handles);
    }
}
