package org.vmgrid.cream;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import javax.xml.namespace.QName;
import org.apache.axiom.om.OMAbstractFactory;
import org.apache.axiom.om.OMElement;
import org.apache.axiom.om.OMNamespace;
import org.apache.axiom.soap.SOAPEnvelope;
import org.apache.axiom.soap.SOAPFactory;
import org.apache.axis2.AxisFault;
import org.apache.axis2.context.MessageContext;
import org.apache.axis2.description.AxisOperation;
import org.apache.axis2.description.AxisService;
import org.apache.axis2.description.InOutAxisOperation;
import org.apache.axis2.receivers.AbstractInOutMessageReceiver;

/**
 * Test fixture: a stand-in for CREAM's CREAM2 service with its JobRegister operation and message
 * shape (JobRegisterRequest of JobDescriptionList elements; JobRegisterResponse with one result per
 * description holding a jobId). It registers every description it receives and keeps what arrived,
 * so a test sees the JDL exactly as CREAM would.
 */
public final class StandInCream2 extends AbstractInOutMessageReceiver {

    static final String SERVICE_NS = "http://glite.org/2007/11/ce/cream";
    static final String TYPES_NS = "http://glite.org/2007/11/ce/cream/types";
    static final String JOB_REGISTER_ACTION = SERVICE_NS + "/JobRegister";

    /** One description as the service received it. */
    public record Received(String id, String jdl) {
    }

    private final List<Received> received = Collections.synchronizedList(new ArrayList<>());

    public List<Received> received() {
        return List.copyOf(received);
    }

    public void clear() {
        received.clear();
    }

    /** The service, ready to add to an Axis2 configuration. */
    AxisService service() throws AxisFault {
        AxisService service = new AxisService("CREAM2");
        AxisOperation op = new InOutAxisOperation(new QName(SERVICE_NS, "JobRegister"));
        op.setMessageReceiver(this);
        op.setSoapAction(JOB_REGISTER_ACTION);
        service.addOperation(op);
        service.mapActionToOperation(JOB_REGISTER_ACTION, op);
        return service;
    }

    @Override
    public void invokeBusinessLogic(MessageContext in, MessageContext out) throws AxisFault {
        OMElement request = in.getEnvelope().getBody().getFirstElement();
        SOAPFactory f = OMAbstractFactory.getSOAP11Factory();
        OMNamespace ns = f.createOMNamespace(TYPES_NS, "types");
        OMElement response = f.createOMElement("JobRegisterResponse", ns);
        int n = 0;
        for (Iterator<OMElement> it = request.getChildrenWithName(new QName(TYPES_NS, "JobDescriptionList")); it.hasNext();) {
            OMElement d = it.next();
            String id = text(d, "jobDescriptionId");
            received.add(new Received(id, text(d, "JDL")));
            OMElement result = f.createOMElement("result", ns, response);
            f.createOMElement("jobDescriptionId", ns, result).setText(id);
            OMElement jobId = f.createOMElement("jobId", ns, result);
            f.createOMElement("id", ns, jobId).setText("CREAM" + (100000000 + (++n)));
            f.createOMElement("creamURL", ns, jobId).setText("https://127.0.0.1:8443/ce-cream/services/CREAM2");
        }
        SOAPEnvelope env = f.getDefaultEnvelope();
        env.getBody().addChild(response);
        out.setEnvelope(env);
    }

    private static String text(OMElement parent, String local) {
        OMElement c = parent.getFirstChildWithName(new QName(TYPES_NS, local));
        return c == null ? "" : c.getText();
    }
}
