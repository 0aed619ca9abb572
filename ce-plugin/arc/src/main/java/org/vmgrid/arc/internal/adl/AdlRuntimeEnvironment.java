package org.vmgrid.arc.internal.adl;

import jakarta.xml.bind.annotation.XmlElement;
import java.util.ArrayList;
import java.util.List;

/** {@code RuntimeEnvironment}: {@code Name}, {@code Version}, {@code Option}s. */
public class AdlRuntimeEnvironment {

    @XmlElement(name = "Name")
    public String name;

    @XmlElement(name = "Version")
    public String version;

    @XmlElement(name = "Option")
    public List<String> options = new ArrayList<>();
}
