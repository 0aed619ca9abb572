/**
 * JAXB mapping of the parts of an EMI-ES activity description (ADL, namespace
 * {@code http://www.eu-emi.eu/es/2010/12/adl}) vmgrid reads; every other element is skipped.
 */
@XmlSchema(namespace = AdlActivityDescription.NS, elementFormDefault = XmlNsForm.QUALIFIED)
@XmlAccessorType(XmlAccessType.FIELD)
package org.vmgrid.arc.internal.adl;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlNsForm;
import jakarta.xml.bind.annotation.XmlSchema;
