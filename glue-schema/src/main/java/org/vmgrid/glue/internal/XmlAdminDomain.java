package org.vmgrid.glue.internal;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlType;
import java.util.ArrayList;
import java.util.List;

/** {@code AdminDomain_t}: Entity, Domain, then the services of the site. */
@XmlAccessorType(XmlAccessType.FIELD)
@XmlType(name = "AdminDomain_t", propOrder = {"id", "name", "computingServices"})
public final class XmlAdminDomain {
    @XmlAttribute(name = "BaseType", required = true)
    public String baseType = "Domain";
    @XmlElement(name = "ID", required = true)
    public String id;
    @XmlElement(name = "Name")
    public String name;
    @XmlElement(name = "ComputingService")
    public List<XmlComputingService> computingServices = new ArrayList<>();
}
