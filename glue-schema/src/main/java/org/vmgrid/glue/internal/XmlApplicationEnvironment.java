package org.vmgrid.glue.internal;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlType;
import java.util.ArrayList;
import java.util.List;

/** {@code ApplicationEnvironment_t} (extends Entity directly: no BaseType); its handles inside it. */
@XmlAccessorType(XmlAccessType.FIELD)
@XmlType(name = "ApplicationEnvironment_t", propOrder = {"id", "name", "otherInfo", "appName", "appVersion", "state",
        "description", "applicationHandles", "associations"})
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
    @XmlElement(name = "ApplicationHandle")
    public List<XmlApplicationHandle> applicationHandles = new ArrayList<>();
    @XmlElement(name = "Associations", required = true)
    public Associations associations = new Associations();

    /** ApplicationEnvironment associations: the execution environments that run it. */
    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "", propOrder = {"executionEnvironmentId"})
    public static final class Associations {
        @XmlElement(name = "ExecutionEnvironmentID")
        public List<String> executionEnvironmentId = new ArrayList<>();
    }
}
