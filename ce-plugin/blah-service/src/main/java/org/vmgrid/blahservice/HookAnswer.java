package org.vmgrid.blahservice;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * The answer to one hook request.
 *
 * @param print the lines the hook prints into the submit script: none for a job without a VM
 *     request, the encoder's directives for an admitted one, a refusing directive otherwise
 * @param refusal why the request was refused, for the hook's standard error; empty when admitted
 */
public record HookAnswer(List<String> print, String refusal) {

    public HookAnswer {
        print = List.copyOf(print);
        refusal = Objects.requireNonNullElse(refusal, "");
    }

    public static HookAnswer none() {
        return new HookAnswer(List.of(), "");
    }

    public static HookAnswer directives(List<String> lines) {
        return new HookAnswer(lines, "");
    }

    public static HookAnswer refused(org.vmgrid.api.Lrms lrms, Refusal why, String reason) {
        return new HookAnswer(why.directives(lrms), "vmgrid refused this VM job (" + why.keyword() + "): " + reason);
    }

    /**
     * The wire form the hook reads: {@code print <line>} per line, then {@code error <reason>} when
     * refused. The reason may quote user text: it is cut to one line of printable ASCII here, and the
     * hook writes it to standard error only.
     */
    public byte[] toWire() {
        StringBuilder sb = new StringBuilder();
        for (String line : print) {
            sb.append("print ").append(line).append('\n');
        }
        if (!refusal.isEmpty()) {
            String r = refusal.replaceAll("[^\\x20-\\x7e]", "?");
            sb.append("error ").append(r.length() > 400 ? r.substring(0, 400) + "..." : r).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
