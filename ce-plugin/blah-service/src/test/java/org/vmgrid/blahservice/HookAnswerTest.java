package org.vmgrid.blahservice;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vmgrid.api.Lrms;

class HookAnswerTest {

    @Test
    void wireHasOnePrintLinePerDirective() {
        assertEquals("print #SBATCH --mem=2304M\nprint #SBATCH --cpus-per-task=1\n",
                new String(HookAnswer.directives(List.of("#SBATCH --mem=2304M", "#SBATCH --cpus-per-task=1")).toWire(),
                        StandardCharsets.US_ASCII));
    }

    @Test
    void refusalReasonIsOnePrintableLine() {
        HookAnswer a = HookAnswer.refused(Lrms.LSF, Refusal.IMAGE_NOT_USABLE, "image \"x\nprint #BSUB -q evil\u00e9\"");
        assertEquals("print #BSUB --vmgrid-refused=image-not-usable\n"
                + "error vmgrid refused this VM job (image-not-usable): image \"x?print #BSUB -q evil?\"\n",
                new String(a.toWire(), StandardCharsets.US_ASCII));
    }

    @Test
    void nothingForAPlainJob() {
        assertEquals(0, HookAnswer.none().toWire().length);
    }
}
