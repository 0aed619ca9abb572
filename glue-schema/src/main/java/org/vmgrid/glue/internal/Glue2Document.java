package org.vmgrid.glue.internal;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlRootElement;
import jakarta.xml.bind.annotation.XmlType;
import java.util.ArrayList;
import java.util.List;

/** The {@code GLUE2} document root: entities in the order {@code GLUE2_t} requires. */
@XmlRootElement(name = "GLUE2")
@XmlAccessorType(XmlAccessType.FIELD)
@XmlType(name = "", propOrder = {"services", "managers", "resources", "applications", "handles"})
public final class Glue2Document {

    public static final String NS = "http://schemas.ogf.org/glue/2009/03/spec_2.0_r1";

    @XmlElement(name = "ComputingService")
    public List<XmlComputingService> services = new ArrayList<>();
    @XmlElement(name = "ComputingManager")
    public List<XmlComputingManager> managers = new ArrayList<>();
    @XmlElement(name = "ExecutionEnvironment")
    public List<XmlExecutionEnvironment> resources = new ArrayList<>();
    @XmlElement(name = "ApplicationEnvironment")
    public List<XmlApplicationEnvironment> applications = new ArrayList<>();
    @XmlElement(name = "ApplicationHandle")
    public List<XmlApplicationHandle> handles = new ArrayList<>();
}
