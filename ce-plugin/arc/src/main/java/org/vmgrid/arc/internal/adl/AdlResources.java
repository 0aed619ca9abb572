package org.vmgrid.arc.internal.adl;

import jakarta.xml.bind.annotation.XmlElement;
import java.util.ArrayList;
import java.util.List;

/** {@code Resources}: runtime environments, memory (bytes) and slots. */
public class AdlResources {

    @XmlElement(name = "RuntimeEnvironment")
    public List<AdlRuntimeEnvironment> runtimeEnvironments = new ArrayList<>();

    @XmlElement(name = "IndividualPhysicalMemory")
    public String individualPhysicalMemory;

    @XmlElement(name = "SlotRequirement")
    public AdlSlotRequirement slotRequirement;
}
