package org.vmgrid.pilot.internal.domain;

import org.w3c.dom.Element;

/** One element of libvirt domain XML that renders itself under its parent. */
public interface DomainElement {

    /** Appends this element (and its children) to {@code parent}. */
    void render(Element parent);

    /** Appends a child element with the given name and returns it. */
    static Element child(Element parent, String name) {
        Element e = parent.getOwnerDocument().createElement(name);
        parent.appendChild(e);
        return e;
    }

    /** Appends a child element holding only text and returns it. */
    static Element text(Element parent, String name, String text) {
        Element e = child(parent, name);
        e.setTextContent(text);
        return e;
    }
}
