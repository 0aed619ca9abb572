package org.vmgrid.pilot.internal.domain;

import java.nio.file.Path;
import java.util.Objects;
import org.w3c.dom.Element;

/**
 * {@code <serial type='file'>}: the guest's ttyS0 (kernel and init log) kept in a file for
 * diagnostics. libvirtd opens the file and hands QEMU the descriptor, so the file stays the
 * pilot's ({@code relabel='no'}): the job's user never gets to open it.
 */
public record SerialConsole(Path logFile) implements DomainElement {

    public SerialConsole {
        Objects.requireNonNull(logFile, "logFile");
    }

    @Override
    public void render(Element parent) {
        Element serial = DomainElement.child(parent, "serial");
        serial.setAttribute("type", "file");
        Element source = DomainElement.child(serial, "source");
        source.setAttribute("path", logFile.toString());
        DacLabel.keepOwner(source);
        DomainElement.child(serial, "target").setAttribute("port", "0");
    }
}
