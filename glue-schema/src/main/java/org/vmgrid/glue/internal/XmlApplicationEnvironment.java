package org.vmgrid.glue.internal;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlType;
import java.util.ArrayList;
import java.util.List;

/** {@code ApplicationEnvironment_t} (extends Entity directly: no BaseType). */
@XmlAccessorType(XmlAccessType.FIELD)
@XmlType(name = "ApplicationEnvironment_t", propOrder = {"id", "name", "otherInfo", "appName", "appVersion", "state",
        "description", "associations"})
public final class XmlApplicationEnvironment {

    @XmlElement(name = "ID", required = true)
    public String id;
    @XmlElement(name = "Name")
    public String name;
    @XmlElement(name = "OtherInfo")
    public List<String> otherInfo = new ArrayList<>();
    @XmlElement(name = "AppName", required = true)
    public String appName;
    @XmlElement(name = "AppVersion")
    public String appVersion;
    @XmlElement(name = "State")
    public String state;
    @XmlElement(name = "Description")
    public String description;
    @XmlElement(name = "Associations", required = true)
    public Associations associations = new Associations();

    /** ApplicationEnvironment associations. */
    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "", propOrder = {"resourceId", "managerId", "applicationHandleId"})
    public static final class Associations {
        @XmlElement(name = "ResourceID")
        public List<String> resourceId = new ArrayList<>();
        @XmlElement(name = "ManagerID", required = true)
        public String managerId;
        @XmlElement(name = "ApplicationHandleID")
        public List<String> applicationHandleId = new ArrayList<>();
    }
}
