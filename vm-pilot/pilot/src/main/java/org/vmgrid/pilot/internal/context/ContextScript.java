package org.vmgrid.pilot.internal.context;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;
import org.vmgrid.pilot.FailureKind;
import org.vmgrid.pilot.PilotException;

/**
 * The one encoder of {@code context.sh} (guest contract v1): every line is {@code NAME='value'} with
 * a name of upper-case letters, digits and '_' and a value of {@code [A-Za-z0-9+/=._:,@-]*} only, so
 * the guest can source it without any value reaching its shell as code. Anything else goes in
 * base64. Each line is checked as it is written; a value that fails is refused, never emitted.
 */
public final class ContextScript {

    /** What a value may be, verbatim. */
    public static final Pattern SAFE_VALUE = Pattern.compile("[A-Za-z0-9+/=._:,@-]*");
    private static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");

    private final StringBuilder text = new StringBuilder();

    /** Adds {@code NAME='value'} for a value that must already be safe. */
    public ContextScript plain(String name, String value) {
        if (!NAME.matcher(name).matches()) {
            throw new PilotException(FailureKind.REFUSED, "context variable name '" + name.replaceAll("\\p{Cntrl}", "?")
                    + "' is not upper-case letters, digits and '_'");
        }
        if (!SAFE_VALUE.matcher(value).matches()) {
            throw new PilotException(FailureKind.REFUSED, "context variable " + name
                    + " has characters that are not safe in context.sh; encode it with base64(...) instead");
        }
        text.append(name).append("='").append(value).append("'\n");
        return this;
    }

    /** Adds {@code NAME='<base64 of value>'}: any bytes at all. */
    public ContextScript base64(String name, byte[] value) {
        return plain(name, Base64.getEncoder().encodeToString(value));
    }

    /**
     * Adds {@code NAME='<base64 of the UTF-8 text>'}.
     *
     * @throws IllegalArgumentException when the text is not whole Unicode (an unpaired surrogate),
     *     which UTF-8 would silently turn into another text
     */
    public ContextScript base64(String name, String value) {
        if (value.codePoints().anyMatch(c -> Character.getType(c) == Character.SURROGATE)) {
            throw new IllegalArgumentException(name + " is not whole Unicode text (an unpaired surrogate)");
        }
        return base64(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** The file's content. */
    public byte[] bytes() {
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
