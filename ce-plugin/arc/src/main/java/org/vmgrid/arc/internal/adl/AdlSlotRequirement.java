package org.vmgrid.arc.internal.adl;

import jakarta.xml.bind.annotation.XmlElement;

/** {@code SlotRequirement}: only {@code NumberOfSlots}. */
public class AdlSlotRequirement {

    @XmlElement(name = "NumberOfSlots")
    public String numberOfSlots;
}
