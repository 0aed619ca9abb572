/** JAXB mapping of the published GLUE 2.0 entities, in the order of the OGF XML Schema's sequences. */
@XmlSchema(namespace = XmlDomains.NS, elementFormDefault = XmlNsForm.QUALIFIED,
        xmlns = @XmlNs(prefix = "", namespaceURI = XmlDomains.NS))
package org.vmgrid.glue.internal;

import jakarta.xml.bind.annotation.XmlNs;
import jakarta.xml.bind.annotation.XmlNsForm;
import jakarta.xml.bind.annotation.XmlSchema;
