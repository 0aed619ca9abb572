package org.vmgrid.glue.internal;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlType;
import java.util.ArrayList;
import java.util.List;

/** {@code ComputingManager_t}: Entity, ManagerBase, then ComputingManager elements. */
@XmlAccessorType(XmlAccessType.FIELD)
@XmlType(name = "ComputingManager_t", propOrder = {"id", "productName", "productVersion", "totalSlots",
        "slotsUsedByGridJobs", "associations"})
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
    @XmlElement(name = "Associations", required = true)
    public Associations associations = new Associations();

    /** ComputingManager associations. */
    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(name = "", propOrder = {"serviceId", "resourceId", "applicationEnvironmentId"})
    public static final class Associations {
        @XmlElement(name = "ServiceID", required = true)
        public String serviceId;
        @XmlElement(name = "ResourceID")
        public List<String> resourceId = new ArrayList<>();
        @XmlElement(name = "ApplicationEnvironmentID")
        public List<String> applicationEnvironmentId = new ArrayList<>();
    }
}
