package org.vmgrid.info;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;
import org.vmgrid.decision.ImageTag;

/**
 * How {@code vmgrid find} shows what it found: JSON (a list of objects with {@code ce},
 * {@code service}, {@code site} and {@code images}) or text for people. Titles and versions are
 * other sites' free text: JSON escapes them; the text form replaces control characters so they
 * cannot drive the terminal.
 */
public final class FindReport {

    private FindReport() {
    }

    public static String json(List<FoundCe> found) {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(found) + "\n";
        } catch (JsonProcessingException e) {
            throw new InfoException("cannot write the search result as JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static String text(List<FoundCe> found) {
        StringBuilder sb = new StringBuilder();
        for (FoundCe ce : found) {
            sb.append(printable(ce.ce())).append("  (site ").append(printable(ce.site())).append(", ")
                    .append(ce.images().size()).append(ce.images().size() == 1 ? " image)\n" : " images)\n");
            for (FoundImage i : ce.images()) {
                sb.append("  ").append(ImageTag.of(printable(i.uuid())));
                if (!i.aliases().isEmpty()) {
                    sb.append("  aliases: ").append(printable(String.join(", ", i.aliases())));
                }
                sb.append("  VOs: ").append(i.vos().isEmpty() ? "all" : printable(String.join(", ", i.vos())));
                sb.append("  \"").append(printable(i.title())).append("\" ").append(printable(i.version())).append('\n');
            }
        }
        return sb.toString();
    }

    static String printable(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(c -> sb.appendCodePoint(Character.isISOControl(c) || c == 0x2028 || c == 0x2029
                || Character.getType(c) == Character.FORMAT ? '?' : c));
        return sb.toString();
    }
}
