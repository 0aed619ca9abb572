package org.vmgrid.blahservice;

import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a BLAH hook sends: the line {@code vmgrid-blah-hook 1 <lrms>}, then, as they are, the bytes
 * of the script BLAH ran the hook from (the request file's assignments, then BLAH's own lines).
 * The hook interprets nothing; {@link BlahRequestFile} reads the script.
 *
 * @param lrms the hook's batch system keyword, as sent
 * @param script the script's text (bytes that are not UTF-8 read as U+FFFD)
 */
public record HookRequest(String lrms, String script) {

    /** Largest request read; a real one is a few hundred bytes. */
    public static final int MAX_BYTES = 256 * 1024 + 64;
    private static final Pattern HEADER = Pattern.compile("vmgrid-blah-hook 1 ([a-z]{1,16})\n");

    public HookRequest {
        Objects.requireNonNull(lrms, "lrms");
        Objects.requireNonNull(script, "script");
    }

    /**
     * Reads a request.
     *
     * @throws HookServiceException when it is too large or does not start with the header line
     */
    public static HookRequest parse(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw new HookServiceException("hook request of " + bytes.length + " bytes is larger than " + MAX_BYTES);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new HookServiceException("hook request cannot be decoded", e);
        }
        int nl = text.indexOf('\n');
        Matcher m = HEADER.matcher(nl < 0 ? text : text.substring(0, nl + 1));
        if (!m.matches()) {
            throw new HookServiceException("hook request does not start with 'vmgrid-blah-hook 1 <lrms>'; the hook "
                    + "installed in BLAH's libexec is not this vmgrid's: install it again (vmgrid blah install-hooks)");
        }
        return new HookRequest(m.group(1), text.substring(nl + 1));
    }
}
