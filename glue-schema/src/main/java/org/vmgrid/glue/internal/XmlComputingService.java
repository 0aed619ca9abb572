package org.vmgrid.glue.internal;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlType;
import java.util.ArrayList;
import java.util.List;

/** {@code ComputingService_t}: Entity, ServiceBase, then ComputingService elements; its managers inside it. */
@XmlAccessorType(XmlAccessType.FIELD)
@XmlType(name = "ComputingService_t", propOrder = {"id", "name", "otherInfo", "capability", "type", "qualityLevel",
        "totalJobs", "runningJobs", "waitingJobs", "computingManagers"})
public final class XmlComputingService {
    @XmlAttribute(name = "BaseType", required = true)
    public String baseType = "Service";
    @XmlElement(name = "ID", required = true)
    public String id;
    @XmlElement(name = "Name")
    public String name;
    @XmlElement(name = "OtherInfo")
    public List<String> otherInfo = new ArrayList<>();
    @XmlElement(name = "Capability")
    public List<String> capability = new ArrayList<>();
    @XmlElement(name = "Type", required = true)
    public String type;
    @XmlElement(name = "QualityLevel", required = true)
    public String qualityLevel;
    @XmlElement(name = "TotalJobs")
    public Long totalJobs;
    @XmlElement(name = "RunningJobs")
    public Long runningJobs;
    @XmlElement(name = "WaitingJobs")
    public Long waitingJobs;
    @XmlElement(name = "ComputingManager")
    public List<XmlComputingManager> computingManagers = new ArrayList<>();
}
