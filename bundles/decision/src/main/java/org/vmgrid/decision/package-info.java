/**
 * The site's one decision on a VM request, and the value types every door speaks to it.
 *
 * <p>Each door converts its own input into a {@link org.vmgrid.decision.VmAsk} (what was asked) and
 * an {@link org.vmgrid.decision.Asker} (who asks, as the door knows it), and asks
 * {@link org.vmgrid.decision.SiteDecision#decide}; the answer is a
 * {@link org.vmgrid.decision.Decision}: the VM allowed, or a refusal with its kind and a reason in
 * the door's own words. The site's rules live in one class each: image trust through the
 * {@link org.vmgrid.api.ImageCatalog}, the VO policy ({@link org.vmgrid.decision.VoImagePolicy}),
 * limits and defaults ({@link org.vmgrid.decision.VmLimits}), and the {@code CERequirements} terms
 * only the site writes ({@link org.vmgrid.decision.ReservedTerms}); the {@code VM-IMAGE-} spelling
 * is {@link org.vmgrid.decision.ImageTag} and VOMS FQANs are read by {@link org.vmgrid.decision.Fqan}.
 *
 * <p>Doors today: CREAM's Axis2 module and {@code vmgrid jdl check} (a JDL), the BLAH hook service
 * (a request file), the worker-node pilot ({@code vmgrid pilot run} and its service); the
 * information provider publishes {@link org.vmgrid.decision.SiteDecision#offeredImages()}.
 */
@Version("1.0.0")
@Export
package org.vmgrid.decision;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
