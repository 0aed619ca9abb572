package org.vmgrid.glue.internal;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlRootElement;
import jakarta.xml.bind.annotation.XmlType;
import java.util.ArrayList;
import java.util.List;

/**
 * The document root {@code Domains} ({@code Domains_t}): the site's AdminDomain, which holds the
 * ComputingService, which holds everything else, as ARC's A-REX lays out its GLUE 2.0 document.
 */
@XmlRootElement(name = "Domains")
@XmlAccessorType(XmlAccessType.FIELD)
@XmlType(name = "Domains_t", propOrder = {"adminDomains"})
public final class XmlDomains {

    /** The GLUE 2.0 namespace of the OGF schema (release of 31 March 2011). */
    public static final String NS = "http://schemas.ogf.org/glue/2009/03/spec_2.0_r1";

    @XmlElement(name = "AdminDomain")
    public List<XmlAdminDomain> adminDomains = new ArrayList<>();
}
