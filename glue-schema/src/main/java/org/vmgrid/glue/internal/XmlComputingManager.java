package org.vmgrid.glue.internal;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlElementWrapper;
import jakarta.xml.bind.annotation.XmlType;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ComputingManager_t}: Entity, ManagerBase, then ComputingManager elements; the execution and
 * application environments it manages inside it, in {@code ExecutionEnvironments} and
 * {@code ApplicationEnvironments}.
 */
@XmlAccessorType(XmlAccessType.FIELD)
@XmlType(name = "ComputingManager_t", propOrder = {"id", "productName", "productVersion", "totalSlots",
        "slotsUsedByGridJobs", "executionEnvironments", "applicationEnvironments"})
public final class XmlComputingManager {
    @XmlAttribute(name = "BaseType", required = true)
    public String baseType = "Manager";
    @XmlElement(name = "ID", required = true)
    public String id;
    @XmlElement(name = "ProductName", required = true)
    public String productName;
    @XmlElement(name = "ProductVersion")
    public String productVersion;
    @XmlElement(name = "TotalSlots")
    public Long totalSlots;
    @XmlElement(name = "SlotsUsedByGridJobs")
    public Long slotsUsedByGridJobs;
    @XmlElementWrapper(name = "ExecutionEnvironments", required = true)
    @XmlElement(name = "ExecutionEnvironment")
    public List<XmlExecutionEnvironment> executionEnvironments = new ArrayList<>();
    @XmlElementWrapper(name = "ApplicationEnvironments", required = true)
    @XmlElement(name = "ApplicationEnvironment")
    public List<XmlApplicationEnvironment> applicationEnvironments = new ArrayList<>();
}
