package org.vmgrid.glue.internal;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlType;

/** {@code ApplicationHandle_t} (extends Entity directly: no BaseType). */
@XmlAccessorType(XmlAccessType.FIELD)
@XmlType(name = "ApplicationHandle_t", propOrder = {"id", "type", "value", "associations"})
public final class XmlApplicationHandle {

    @XmlElement(name = "ID", required = true)
    public String id;
    @XmlElement(name = "Type", required = true)
    public String type;
    @XmlElement(name = "Value", required = true)
    public String value;
    @XmlElement(name = "Associations", required = true)
    public Associations associations = new Associations();

    /** ApplicationHandle associations. */
    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "", propOrder = {"applicationEnvironmentId"})
    public static final class Associations {
        @XmlElement(name = "ApplicationEnvironmentID", required = true)
        public String applicationEnvironmentId;
    }
}
