package org.vmgrid.imagelist.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.vmgrid.imagelist.ImageListException;

/**
 * Takes an image list file apart as {@code openssl smime -sign} writes it: S/MIME
 * ({@code multipart/signed} when detached, {@code application/pkcs7-mime} with {@code -nodetach}),
 * PEM ({@code -outform PEM -nodetach}) or DER; a file starting with <code>{</code> is an unsigned list.
 */
public final class SmimeReader {

    private static final Pattern HEADER_LINE = Pattern.compile("[A-Za-z0-9-]+:[^\\r\\n]*\\r?\\n");
    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";\\r\\n]+)\"?", Pattern.CASE_INSENSITIVE);
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN (PKCS7|CMS)-----\\r?\\n([A-Za-z0-9+/=\\s]+)-----END (PKCS7|CMS)-----");

    /** @throws ImageListException when the file is neither a JSON list nor a readable signed one */
    public Envelope open(byte[] raw) {
        // ISO-8859-1 maps every byte to one char and back: offsets are byte offsets
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        String start = text.stripLeading();
        if (start.startsWith("{")) {
            return Envelope.unsigned(raw);
        }
        if (start.startsWith("-----BEGIN")) {
            Matcher m = PEM.matcher(text);
            if (!m.find()) {
                throw new ImageListException("PEM file holds no PKCS7 block; sign the list with openssl smime -sign "
                        + "-nodetach -outform PEM (or the default S/MIME output)");
            }
            return encapsulated(base64(m.group(2)));
        }
        if (raw.length > 0 && raw[0] == 0x30) {
            return encapsulated(raw);
        }
        if (!HEADER_LINE.matcher(text).lookingAt()) {
            throw new ImageListException("neither a JSON image list nor an S/MIME, PEM or DER signed one");
        }
        Part message = Part.parse(text);
        String type = message.headers().getOrDefault("content-type", "").toLowerCase(Locale.ROOT);
        if (type.isEmpty()) {
            throw new ImageListException("neither a JSON image list nor an S/MIME, PEM or DER signed one");
        }
        if (type.startsWith("multipart/signed")) {
            return multipartSigned(message);
        }
        if (type.startsWith("application/pkcs7-mime") || type.startsWith("application/x-pkcs7-mime")) {
            return encapsulated(base64(message.body().strip()));
        }
        throw new ImageListException("S/MIME message of Content-Type '" + Printable.of(type)
                + "' is not a signed image list (expected multipart/signed or application/pkcs7-mime)");
    }

    private static byte[] base64(String text) {
        try {
            return Base64.getMimeDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new ImageListException("the signature is not valid base64 (" + e.getMessage() + ")", e);
        }
    }

    private static Envelope encapsulated(byte[] der) {
        CMSSignedData signed;
        try {
            signed = new CMSSignedData(der);
        } catch (CMSException | RuntimeException e) {
            throw new ImageListException("the PKCS#7 signature cannot be decoded: " + e.getMessage(), e);
        }
        if (signed.getSignedContent() == null || !(signed.getSignedContent().getContent() instanceof byte[] content)) {
            throw new ImageListException("detached signature without the list in it; sign with openssl smime -sign "
                    + "-nodetach, or keep the S/MIME output format (the default)");
        }
        return new Envelope(withoutMimeHeaders(content), Optional.of(new Envelope.Signature(der, List.of())));
    }

    private static Envelope multipartSigned(Part message) {
        Matcher b = BOUNDARY.matcher(message.headers().get("content-type"));
        if (!b.find()) {
            throw new ImageListException("multipart/signed message without a boundary");
        }
        String delimiter = "--" + b.group(1);
        String body = message.body();
        int first = body.startsWith(delimiter) ? 0 : body.indexOf("\n" + delimiter) + 1;
        if (first == 0 && !body.startsWith(delimiter)) {
            throw new ImageListException("multipart/signed message without its first part");
        }
        int contentStart = body.indexOf('\n', first) + 1;
        int next = body.indexOf("\n" + delimiter, contentStart);
        if (contentStart <= 0 || next < 0) {
            throw new ImageListException("multipart/signed message is cut short: its signature part is missing");
        }
        int contentEnd = message.crlf() && next > 0 && body.charAt(next - 1) == '\r' ? next - 1 : next;
        String content = body.substring(contentStart, contentEnd);
        int sigStart = body.indexOf('\n', next + 1) + 1;
        int sigEnd = body.indexOf("\n" + delimiter, sigStart);
        if (sigStart <= 0 || sigEnd < 0) {
            throw new ImageListException("multipart/signed message is cut short: its signature part is not closed");
        }
        Part signature = Part.parse(body.substring(sigStart, sigEnd));
        byte[] der = base64(signature.body().strip());
        byte[] asFound = content.getBytes(StandardCharsets.ISO_8859_1);
        byte[] canonical = content.replaceAll("\r?\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        return new Envelope(withoutMimeHeaders(asFound),
                Optional.of(new Envelope.Signature(der, List.of(asFound, canonical))));
    }

    /** The signed part may start with MIME headers ({@code openssl smime -text}); JSON never does. */
    static byte[] withoutMimeHeaders(byte[] content) {
        String text = new String(content, StandardCharsets.ISO_8859_1);
        if (!HEADER_LINE.matcher(text).lookingAt()) {
            return content;
        }
        return Part.parse(text).body().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A MIME entity: headers (names lower-cased, folded lines joined) and the body after the blank line. */
    record Part(Map<String, String> headers, String body, boolean crlf) {

        static Part parse(String text) {
            Map<String, String> headers = new LinkedHashMap<>();
            boolean crlf = text.indexOf('\n') > 0 && text.charAt(text.indexOf('\n') - 1) == '\r';
            int pos = 0;
            String last = null;
            while (pos < text.length()) {
                int eol = text.indexOf('\n', pos);
                if (eol < 0) {
                    eol = text.length();
                }
                String line = text.substring(pos, eol).replaceFirst("\r$", "");
                pos = eol + 1;
                if (line.isEmpty()) {
                    break;
                }
                if ((line.startsWith(" ") || line.startsWith("\t")) && last != null) {
                    headers.merge(last, " " + line.strip(), String::concat);
                } else if (line.indexOf(':') > 0) {
                    last = line.substring(0, line.indexOf(':')).strip().toLowerCase(Locale.ROOT);
                    headers.put(last, line.substring(line.indexOf(':') + 1).strip());
                } else {
                    throw new ImageListException("neither a JSON image list nor an S/MIME message (line '"
                            + Printable.of(line) + "' is not a MIME header)");
                }
            }
            return new Part(headers, pos < text.length() ? text.substring(pos) : "", crlf);
        }
    }
}
