package org.vmgrid.cream;

import javax.xml.namespace.QName;
import org.apache.axiom.soap.SOAPHeader;
import org.apache.axiom.soap.SOAPHeaderBlock;
import org.apache.axis2.AxisFault;
import org.apache.axis2.context.MessageContext;
import org.apache.axis2.handlers.AbstractHandler;

/**
 * Test fixture standing in for CREAM's authorization handler: in the InFlow's Security phase (before
 * vmgrid's handler) it leaves the VO it "authenticated" in the MessageContext property
 * {@code user.vo}, as CREAM's own handler does with the VO of the user's proxy. The test names that VO
 * in a SOAP header {@link #VO_HEADER}; without the header no property is set.
 */
final class StandInAuthorization extends AbstractHandler {

    static final QName VO_HEADER = new QName("urn:vmgrid:test", "authenticatedVo");
    static final String PROPERTY = "user.vo";

    @Override
    public InvocationResponse invoke(MessageContext mc) throws AxisFault {
        SOAPHeader header = mc.getEnvelope().getHeader();
        if (header != null) {
            for (java.util.Iterator<SOAPHeaderBlock> it = header.getHeaderBlocksWithNSURI(VO_HEADER.getNamespaceURI())
                    .iterator(); it.hasNext();) {
                SOAPHeaderBlock b = it.next();
                if (b.getLocalName().equals(VO_HEADER.getLocalPart())) {
                    mc.setProperty(PROPERTY, b.getText());
                    b.setProcessed();
                }
            }
        }
        return InvocationResponse.CONTINUE;
    }
}
