package org.vmgrid.glue.internal;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlType;

/** {@code ApplicationHandle_t} (extends Entity directly: no BaseType), nested in its ApplicationEnvironment. */
@XmlAccessorType(XmlAccessType.FIELD)
@XmlType(name = "ApplicationHandle_t", propOrder = {"id", "type", "value"})
public final class XmlApplicationHandle {
    @XmlElement(name = "ID", required = true)
    public String id;
    @XmlElement(name = "Type", required = true)
    public String type;
    @XmlElement(name = "Value", required = true)
    public String value;
}
