package org.vmgrid.arc.internal.adl;

import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlRootElement;

/** {@code ActivityDescription}: only its {@code Resources} are read. */
@XmlRootElement(name = "ActivityDescription")
public class AdlActivityDescription {

    public static final String NS = "http://www.eu-emi.eu/es/2010/12/adl";

    @XmlElement(name = "Resources")
    public AdlResources resources;
}
