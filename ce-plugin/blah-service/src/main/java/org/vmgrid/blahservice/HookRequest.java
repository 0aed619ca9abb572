package org.vmgrid.blahservice;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a BLAH hook found in the variables BLAH set from the unwound {@code CERequirements}, as the
 * hook sends it: NUL-terminated {@code key=value} records (values are shell variables, which cannot
 * hold NUL), never evaluated by the hook. Keys: {@code lrms}; {@code tag} for each element of
 * {@code GlueHostApplicationSoftwareRunTimeEnvironment}; {@code memory}, {@code cpus},
 * {@code network} for {@code VmgridMemory}, {@code VmgridCPUs}, {@code VmgridNetwork}; {@code bound}
 * naming each {@code Vmgrid*_Min}/{@code _Max} variable set; {@code vo} and {@code fqan} for BLAH's
 * {@code VirtualOrganisation} and {@code x509UserProxyFQAN} (passed through by blah.config from the
 * proxy CREAM authenticated; read by {@link SubmitterIdentity}).
 *
 * @param lrms the hook's batch system keyword, as sent
 * @param tags the run-time environment tags, in order
 * @param memory {@code VmgridMemory}, as sent
 * @param cpus {@code VmgridCPUs}, as sent
 * @param network {@code VmgridNetwork}, as sent
 * @param bounds the names of the {@code _Min}/{@code _Max} variables set
 * @param vo {@code VirtualOrganisation}, as sent
 * @param fqans {@code x509UserProxyFQAN}, as sent (comma-separated FQANs)
 */
public record HookRequest(String lrms, List<String> tags, Optional<String> memory, Optional<String> cpus,
        Optional<String> network, List<String> bounds, Optional<String> vo, Optional<String> fqans) {

    /** Largest request read; a real one is a few hundred bytes. */
    public static final int MAX_BYTES = 64 * 1024;

    public HookRequest {
        lrms = lrms == null ? "" : lrms;
        tags = List.copyOf(tags);
        bounds = List.copyOf(bounds);
        vo = vo == null ? Optional.empty() : vo;
        fqans = fqans == null ? Optional.empty() : fqans;
    }

    /** A request without the submitter's identity. */
    public HookRequest(String lrms, List<String> tags, Optional<String> memory, Optional<String> cpus,
            Optional<String> network, List<String> bounds) {
        this(lrms, tags, memory, cpus, network, bounds, Optional.empty(), Optional.empty());
    }

    /**
     * Reads a request.
     *
     * @throws HookServiceException when it is too large, not UTF-8, or holds an unknown or repeated key
     */
    public static HookRequest parse(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw new HookServiceException("hook request of " + bytes.length + " bytes is larger than " + MAX_BYTES);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new HookServiceException("hook request is not UTF-8", e);
        }
        String lrms = null;
        String memory = null;
        String cpus = null;
        String network = null;
        String vo = null;
        String fqans = null;
        List<String> tags = new ArrayList<>();
        List<String> bounds = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\0', start);
            if (end < 0) {
                throw new HookServiceException("hook request's last record is not NUL-terminated");
            }
            String record = text.substring(start, end);
            start = end + 1;
            int eq = record.indexOf('=');
            if (eq < 0) {
                throw new HookServiceException("hook request record without '=' (record " + tags.size() + ")");
            }
            String key = record.substring(0, eq);
            String value = record.substring(eq + 1);
            switch (key) {
                case "lrms" -> lrms = once(key, lrms, value);
                case "memory" -> memory = once(key, memory, value);
                case "cpus" -> cpus = once(key, cpus, value);
                case "network" -> network = once(key, network, value);
                case "vo" -> vo = once(key, vo, value);
                case "fqan" -> fqans = once(key, fqans, value);
                case "tag" -> tags.add(value);
                case "bound" -> bounds.add(value);
                default -> throw new HookServiceException("hook request has an unknown key; only lrms, tag, memory, "
                        + "cpus, network, bound, vo and fqan are read");
            }
        }
        return new HookRequest(lrms, tags, Optional.ofNullable(memory), Optional.ofNullable(cpus),
                Optional.ofNullable(network), bounds, Optional.ofNullable(vo), Optional.ofNullable(fqans));
    }

    private static String once(String key, String previous, String value) {
        if (previous != null) {
            throw new HookServiceException("hook request repeats key " + key);
        }
        return value;
    }
}
