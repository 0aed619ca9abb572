package org.vmgrid.glue.internal;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlType;
import java.util.ArrayList;
import java.util.List;

/** {@code ExecutionEnvironment_t}: Entity, ResourceBase, then ExecutionEnvironment elements. */
@XmlAccessorType(XmlAccessType.FIELD)
@XmlType(name = "ExecutionEnvironment_t", propOrder = {"id", "otherInfo", "platform", "virtualMachine",
        "totalInstances", "usedInstances", "logicalCpus", "cpuVendor", "cpuModel", "cpuClockSpeed", "mainMemorySize",
        "osFamily", "osName", "osVersion", "connectivityIn", "connectivityOut", "associations"})
public final class XmlExecutionEnvironment {
    @XmlAttribute(name = "BaseType", required = true)
    public String baseType = "Resource";
    @XmlElement(name = "ID", required = true)
    public String id;
    @XmlElement(name = "OtherInfo")
    public List<String> otherInfo = new ArrayList<>();
    @XmlElement(name = "Platform", required = true)
    public String platform;
    @XmlElement(name = "VirtualMachine")
    public String virtualMachine;
    @XmlElement(name = "TotalInstances")
    public Long totalInstances;
    @XmlElement(name = "UsedInstances")
    public Long usedInstances;
    @XmlElement(name = "LogicalCPUs")
    public Long logicalCpus;
    @XmlElement(name = "CPUVendor")
    public String cpuVendor;
    @XmlElement(name = "CPUModel")
    public String cpuModel;
    @XmlElement(name = "CPUClockSpeed")
    public Long cpuClockSpeed;
    @XmlElement(name = "MainMemorySize", required = true)
    public Long mainMemorySize;
    @XmlElement(name = "OSFamily", required = true)
    public String osFamily;
    @XmlElement(name = "OSName")
    public String osName;
    @XmlElement(name = "OSVersion")
    public String osVersion;
    @XmlElement(name = "ConnectivityIn", required = true)
    public String connectivityIn;
    @XmlElement(name = "ConnectivityOut", required = true)
    public String connectivityOut;
    /** Null when no image is published: no empty Associations, as ARC writes it. */
    @XmlElement(name = "Associations")
    public Associations associations;

    /** ExecutionEnvironment associations: its manager is the one it is nested in. */
    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "", propOrder = {"applicationEnvironmentId"})
    public static final class Associations {
        @XmlElement(name = "ApplicationEnvironmentID")
        public List<String> applicationEnvironmentId = new ArrayList<>();
    }
}
