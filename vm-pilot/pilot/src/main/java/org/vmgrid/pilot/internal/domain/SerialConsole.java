package org.vmgrid.pilot.internal.domain;

import java.nio.file.Path;
import java.util.Objects;
import org.w3c.dom.Element;

/** {@code <serial type='file'>}: the guest's ttyS0 (kernel and init log) kept in a file for diagnostics. */
public record SerialConsole(Path logFile) implements DomainElement {

    public SerialConsole {
        Objects.requireNonNull(logFile, "logFile");
    }

    @Override
    public void render(Element parent) {
        Element serial = DomainElement.child(parent, "serial");
        serial.setAttribute("type", "file");
        DomainElement.child(serial, "source").setAttribute("path", logFile.toString());
        DomainElement.child(serial, "target").setAttribute("port", "0");
    }
}
