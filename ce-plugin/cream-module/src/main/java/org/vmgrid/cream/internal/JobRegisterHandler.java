package org.vmgrid.cream.internal;

import java.util.List;
import java.util.Optional;
import javax.xml.namespace.QName;
import org.apache.axis2.AxisFault;
import org.apache.axis2.context.MessageContext;
import org.apache.axis2.handlers.AbstractHandler;
import org.vmgrid.api.JobContext;
import org.vmgrid.cream.DescriptionOutcome;
import org.vmgrid.cream.JobRegisterGate;

/**
 * The InFlow handler: for a JobRegister call, admits every job description. When any is refused
 * or malformed the whole call is answered with one SOAP fault naming each refused description and
 * what to change, and CREAM registers nothing (see docs/install-cream.md for why not per
 * description). Otherwise VM jobs' JDL is rewritten in place and the call goes on to CREAM. The
 * submitter's VO is the MessageContext property CREAM's authorization left (named by
 * {@code vmgrid.vo.property}, default {@code user.vo}), else each JDL's {@code VirtualOrganisation}.
 */
public final class JobRegisterHandler extends AbstractHandler {

    /** SOAP 1.1 {@code Client} / SOAP 1.2 {@code Sender}: the request must change, retrying will not help. */
    static final QName CLIENT_FAULT = new QName("http://schemas.xmlsoap.org/soap/envelope/", "Client");

    @Override
    public InvocationResponse invoke(MessageContext mc) throws AxisFault {
        if (mc.getAxisOperation() == null || !"JobRegister".equals(mc.getAxisOperation().getName().getLocalPart())) {
            return InvocationResponse.CONTINUE;
        }
        Optional<JobRegisterMessage> message = JobRegisterMessage.of(mc.getEnvelope());
        if (message.isEmpty()) {
            return InvocationResponse.CONTINUE;
        }
        VmgridModule.Setup setup = VmgridModule.setup(mc.getConfigurationContext());
        JobRegisterGate gate = setup.gate();
        // the VO CREAM's authorization handlers (earlier in the InFlow) found in the proxy, when they leave one
        Optional<String> vo = mc.getProperty(setup.voProperty()) instanceof String s ? Optional.of(s.trim())
                : Optional.empty();
        JobContext context = new JobContext(vo, setup.context().fqans(), setup.context().lrms());
        List<DescriptionOutcome> outcomes = gate.check(message.get().descriptions(), context);
        Optional<String> refusal = JobRegisterGate.faultReason(outcomes);
        if (refusal.isPresent()) {
            throw new AxisFault(refusal.get(), CLIENT_FAULT);
        }
        for (int i = 0; i < outcomes.size(); i++) {
            if (outcomes.get(i).kind() == DescriptionOutcome.Kind.VM) {
                message.get().replaceJdl(i, outcomes.get(i).jdl());
            }
        }
        return InvocationResponse.CONTINUE;
    }
}
