package org.vmgrid.decision;

import java.util.Objects;
import org.vmgrid.api.VmRequest;

/** The site's answer to one {@link VmAsk}: the VM it may have, or why not. */
public sealed interface Decision {

    /** Why a request is refused, as a fixed keyword a batch directive or log may carry. */
    enum Refusal {
        /** The image is unknown to the site, revoked, its list expired or not trusted. */
        IMAGE_NOT_USABLE("image-not-usable"),
        /** The site's policy does not let the asker's VO use the image, or the VO is not known. */
        VO_NOT_ALLOWED("vo-not-allowed"),
        /** Memory, CPUs, network or user data beyond the site's limits. */
        OVER_LIMIT("over-limit"),
        /** The batch system's worker nodes are not declared ready for VM jobs: the job would run on the host. */
        BATCH_SYSTEM_NOT_READY("batch-system-not-ready");

        private final String keyword;

        Refusal(String keyword) {
            this.keyword = keyword;
        }

        public String keyword() {
            return keyword;
        }
    }

    /**
     * Allowed: every value resolved, defaulted and within the site's limits.
     *
     * @param vm the VM to run
     */
    record Allowed(VmRequest vm) implements Decision {
        public Allowed {
            Objects.requireNonNull(vm, "vm");
        }
    }

    /**
     * Refused.
     *
     * @param why the kind of refusal
     * @param reason what is wrong and what to do, in the asking door's words
     */
    record Refused(Refusal why, String reason) implements Decision {
        public Refused {
            Objects.requireNonNull(why, "why");
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("a refusal needs a reason");
            }
        }
    }
}
