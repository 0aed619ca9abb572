package org.vmgrid.arc;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.vmgrid.arc.internal.AdlReader;
import org.vmgrid.arc.internal.XrslReader;

/**
 * Reads ARC job descriptions in the two languages A-REX 6 takes: EMI-ES ADL (XML; what ARC's client
 * sends, converted from the user's xRSL) and xRSL (what a user writes, and what a REST client may
 * send as it is). Thread-safe; make one and reuse it.
 */
public final class ArcJobDescriptions {

    /** The largest description read; a real one is a few kilobytes. */
    public static final int MAX_BYTES = 1 << 20;

    private final AdlReader adl = new AdlReader();

    /**
     * Reads one description: XML (its first character after blanks is {@code <}) as ADL, anything
     * else as xRSL (strict UTF-8).
     *
     * @throws ArcDescriptionException saying where and what, for anything vmgrid cannot read
     */
    public ArcJob parse(byte[] description) {
        if (description.length > MAX_BYTES) {
            throw new ArcDescriptionException("the job description has " + description.length + " bytes; vmgrid reads at "
                    + "most " + MAX_BYTES);
        }
        int i = 0;
        if (description.length >= 3 && (description[0] & 0xff) == 0xef && (description[1] & 0xff) == 0xbb
                && (description[2] & 0xff) == 0xbf) {
            i = 3; // a UTF-8 byte order mark
        }
        while (i < description.length && Character.isWhitespace(description[i])) {
            i++;
        }
        if (i < description.length && description[i] == '<') {
            return adl.read(description);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(description, i,
                            description.length - i)).toString();
        } catch (CharacterCodingException e) {
            throw new ArcDescriptionException("the xRSL description is not UTF-8 text", e);
        }
        return XrslReader.read(text);
    }
}
