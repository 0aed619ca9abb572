package org.vmgrid.jdl.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.vmgrid.jdl.Value;

/**
 * The string functions, as HTCondor's ClassAd library has them. Its strings are bytes: {@code size()}
 * and {@code substr()} count UTF-8 bytes, case mapping and case-blind comparison touch ASCII letters
 * only. Where HTCondor would cut a character in two, {@code substr()} is ERROR here rather than a
 * string that is not UTF-8.
 */
final class StringFunctions {

    /** Longest string a function may build. */
    static final int MAX_STRING = 1 << 20;
    /** Longest regular expression accepted. */
    static final int MAX_PATTERN = 1024;
    /** HTCondor's default separators of a string list. */
    private static final String LIST_SEPARATORS = ", \t\r\n";

    private StringFunctions() {
    }

    /**
     * HTCondor's conversion of any value to a string: a string as it is, other values as
     * {@link ClassAdText} writes them; UNDEFINED and ERROR stay as they are.
     */
    static Value toStr(Value v, Evaluator ev) {
        if (v instanceof Value.Str || v instanceof Value.Undefined || v instanceof Value.Error) {
            return v;
        }
        String text = ClassAdText.of(v, MAX_STRING);
        return text != null && ev.charge(text.length()) ? new Value.Str(text) : Value.ERROR;
    }

    static Value strcat(List<Value> a, Evaluator ev) {
        StringBuilder b = new StringBuilder();
        for (Value v : a) {
            Value s = toStr(v, ev);
            if (!(s instanceof Value.Str str)) {
                return s;
            }
            b.append(str.value());
            if (b.length() > MAX_STRING || !ev.charge(str.value().length())) {
                return Value.ERROR;
            }
        }
        return new Value.Str(b.toString());
    }

    /** {@code toLower}/{@code toUpper}: of the value as a string, ASCII letters only (C's tolower). */
    static Value changeCase(Value v, boolean upper, Evaluator ev) {
        Value s = toStr(v, ev);
        if (!(s instanceof Value.Str str)) {
            return s;
        }
        char[] c = str.value().toCharArray();
        for (int i = 0; i < c.length; i++) {
            if (upper && c[i] >= 'a' && c[i] <= 'z') {
                c[i] -= 'a' - 'A';
            } else if (!upper && c[i] >= 'A' && c[i] <= 'Z') {
                c[i] += 'a' - 'A';
            }
        }
        return new Value.Str(new String(c));
    }

    /** The length of a string in UTF-8 bytes. */
    static long byteLength(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** Perl-like {@code substr(s, offset[, length])} over UTF-8 bytes; negative numbers count from the end. */
    static Value substr(List<Value> a) {
        if (a.size() < 2 || a.size() > 3) {
            return Value.ERROR;
        }
        if (a.stream().anyMatch(v -> v instanceof Value.Undefined)) {
            return Value.UNDEFINED;
        }
        if (!(a.get(0) instanceof Value.Str s) || !(a.get(1) instanceof Value.Int off)
                || (a.size() == 3 && !(a.get(2) instanceof Value.Int))) {
            return Value.ERROR;
        }
        byte[] bytes = s.value().getBytes(StandardCharsets.UTF_8);
        long n = bytes.length;
        long from = off.value() < 0 ? Math.max(0, n + off.value()) : Math.min(n, off.value());
        long len = a.size() == 3 ? ((Value.Int) a.get(2)).value() : 0;
        long to = len <= 0 ? Math.max(from, n + len) : Math.min(n, from + len);
        if (a.size() == 3 && len == 0) {
            to = from;
        }
        if (!boundary(bytes, (int) from) || !boundary(bytes, (int) to)) {
            return Value.ERROR;
        }
        return new Value.Str(new String(bytes, (int) from, (int) (to - from), StandardCharsets.UTF_8));
    }

    /** True when byte {@code i} starts a character (or is the end): not a UTF-8 continuation byte. */
    private static boolean boundary(byte[] bytes, int i) {
        return i >= bytes.length || (bytes[i] & 0xc0) != 0x80;
    }

    /** strcasecmp: ASCII letters compared without case, then by code point (the order of UTF-8 bytes). */
    static int compareIgnoreAsciiCase(String x, String y) {
        int i = 0;
        int j = 0;
        while (i < x.length() && j < y.length()) {
            int a = lowerAscii(x.codePointAt(i));
            int b = lowerAscii(y.codePointAt(j));
            if (a != b) {
                return Integer.compare(a, b);
            }
            i += Character.charCount(x.codePointAt(i));
            j += Character.charCount(y.codePointAt(j));
        }
        return Boolean.compare(i < x.length(), j < y.length());
    }

    private static int lowerAscii(int c) {
        return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
    }

    static Value regexp(List<Value> a, Evaluator ev) {
        if (a.size() < 2 || a.size() > 3) {
            return Value.ERROR;
        }
        if (a.stream().anyMatch(v -> v instanceof Value.Error)) {
            return Value.ERROR;
        }
        if (a.stream().anyMatch(v -> v instanceof Value.Undefined)) {
            return Value.UNDEFINED;
        }
        if (a.stream().anyMatch(v -> !(v instanceof Value.Str))) {
            return Value.ERROR;
        }
        String pattern = ((Value.Str) a.get(0)).value();
        String target = ((Value.Str) a.get(1)).value();
        int flags = 0;
        if (a.size() == 3) {
            String options = ((Value.Str) a.get(2)).value();
            // HTCondor's PCRE options, case-sensitive letters; others are ignored. Caseless is ASCII only.
            flags |= options.indexOf('i') >= 0 ? Pattern.CASE_INSENSITIVE : 0;
            flags |= options.indexOf('m') >= 0 ? Pattern.MULTILINE : 0;
            flags |= options.indexOf('s') >= 0 ? Pattern.DOTALL : 0;
            flags |= options.indexOf('x') >= 0 ? Pattern.COMMENTS : 0;
        }
        if (pattern.length() > MAX_PATTERN) {
            return Value.ERROR;
        }
        try {
            Matcher m = Pattern.compile(pattern, flags).matcher(new BudgetedChars(target, ev));
            return Value.of(m.find());
        } catch (PatternSyntaxException | BudgetedChars.Exhausted e) {
            return Value.ERROR;
        }
    }

    /**
     * {@code stringListMember(item, list[, separators])} as HTCondor has it: case-sensitive
     * ({@code stringListIMember} is not), the list split at any separator character (by default
     * {@code ", \t\r\n"}) with white space trimmed and empty items dropped; an UNDEFINED argument counts
     * as an empty string unless both the item and the list are UNDEFINED.
     */
    static Value stringListMember(List<Value> a, boolean ignoreCase, Evaluator ev) {
        if (a.size() < 2 || a.size() > 3) {
            return Value.ERROR;
        }
        for (Value v : a) {
            if (!(v instanceof Value.Str) && !(v instanceof Value.Undefined)) {
                return Value.ERROR;
            }
        }
        if (a.get(0) instanceof Value.Undefined && a.get(1) instanceof Value.Undefined) {
            return Value.UNDEFINED;
        }
        String item = a.get(0) instanceof Value.Str s ? s.value() : "";
        String list = a.get(1) instanceof Value.Str s ? s.value() : "";
        String separators = a.size() == 3 && a.get(2) instanceof Value.Str s ? s.value() : LIST_SEPARATORS;
        ev.charge(list.length());
        int i = 0;
        int n = list.length();
        while (i < n) {
            while (i < n && (separators.indexOf(list.charAt(i)) >= 0 || isSpace(list.charAt(i)))) {
                i++;
            }
            int start = i;
            int end = i;
            while (i < n && separators.indexOf(list.charAt(i)) < 0) {
                if (!isSpace(list.charAt(i))) {
                    end = i + 1;
                }
                i++;
            }
            if (end > start) {
                String token = list.substring(start, end);
                if (ignoreCase ? compareIgnoreAsciiCase(token, item) == 0 : token.equals(item)) {
                    return Value.TRUE;
                }
            }
        }
        return Value.FALSE;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0b || c == '\f' || c == '\r';
    }
}
