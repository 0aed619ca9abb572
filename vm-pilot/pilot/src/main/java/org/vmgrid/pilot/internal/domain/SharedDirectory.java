package org.vmgrid.pilot.internal.domain;

import java.nio.file.Path;
import java.util.Objects;
import org.w3c.dom.Element;

/**
 * {@code <filesystem type='mount' accessmode='mapped'>}: a host directory shared with 9p under a
 * mount tag. QEMU runs as the job's user, so what the guest writes lands as that user's files. In
 * {@code mapped} mode (QEMU's {@code security_model=mapped-xattr}) the owner, mode and file type the
 * guest asks for are kept in {@code user.virtfs.*} extended attributes only: on the host every file
 * the guest makes is a plain file ({@code fmode} 0600) or directory ({@code dmode} 0700), so no
 * setuid, setgid, device or symbolic-link file of the guest's can appear there.
 */
public record SharedDirectory(Path hostDir, String tag) implements DomainElement {

    public SharedDirectory {
        Objects.requireNonNull(hostDir, "hostDir");
        if (!tag.matches("[a-z][a-z0-9_]{0,30}")) {
            throw new IllegalArgumentException("9p mount tag must be a short lower-case word, was " + tag);
        }
    }

    @Override
    public void render(Element parent) {
        Element fs = DomainElement.child(parent, "filesystem");
        fs.setAttribute("type", "mount");
        fs.setAttribute("accessmode", "mapped");
        fs.setAttribute("fmode", "0600");
        fs.setAttribute("dmode", "0700");
        DomainElement.child(fs, "source").setAttribute("dir", hostDir.toString());
        DomainElement.child(fs, "target").setAttribute("dir", tag);
    }
}
