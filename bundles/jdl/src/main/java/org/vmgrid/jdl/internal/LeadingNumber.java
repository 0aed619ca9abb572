package org.vmgrid.jdl.internal;

/**
 * The number at the start of a string, read as C's {@code strtod} reads it, which is how HTCondor's
 * {@code int()} and {@code real()} convert strings: leading white space skipped, an optional sign, a
 * decimal number with optional fraction and exponent ({@code "1e3"}, {@code ".5"}, {@code "-3.4"}) or a
 * hexadecimal one ({@code "0x1p4"}), {@code inf}, {@code infinity} or {@code nan}; whatever follows is
 * ignored ({@code "12abc"} is 12).
 */
final class LeadingNumber {

    private LeadingNumber() {
    }

    /** The number, possibly infinite or NaN; null when the string does not start with one. */
    static Double parse(String s) {
        int n = s.length();
        int i = 0;
        while (i < n && isSpace(s.charAt(i))) {
            i++;
        }
        int start = i;
        boolean negative = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        if (startsWithIgnoreCase(s, i, "inf")) {
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (startsWithIgnoreCase(s, i, "nan")) {
            return Double.NaN;
        }
        if (startsWithIgnoreCase(s, i, "0x") && hexDigitsFollow(s, i + 2)) {
            return hex(s, i + 2, negative);
        }
        int digits = 0;
        while (i < n && isDigit(s.charAt(i))) {
            i++;
            digits++;
        }
        if (i < n && s.charAt(i) == '.') {
            int j = i + 1;
            while (j < n && isDigit(s.charAt(j))) {
                j++;
                digits++;
            }
            if (digits > 0) {
                i = j;
            }
        }
        if (digits == 0) {
            return null;
        }
        i = exponent(s, i, 'e');
        return Double.parseDouble(s.substring(start, i));
    }

    /** Hexadecimal digits, an optional fraction and an optional binary exponent {@code p}. */
    private static double hex(String s, int i, boolean negative) {
        int n = s.length();
        StringBuilder b = new StringBuilder(negative ? "-0x" : "0x");
        while (i < n && Character.digit(s.charAt(i), 16) >= 0 && s.charAt(i) < 128) {
            b.append(s.charAt(i++));
        }
        if (i < n && s.charAt(i) == '.') {
            b.append('.');
            i++;
            while (i < n && Character.digit(s.charAt(i), 16) >= 0 && s.charAt(i) < 128) {
                b.append(s.charAt(i++));
            }
        }
        int end = exponent(s, i, 'p');
        b.append(end > i ? s.substring(i, end) : "p0");
        return Double.parseDouble(b.toString());
    }

    /** The offset after an exponent ({@code e}/{@code p}, optional sign, digits) at {@code i}, or {@code i}. */
    private static int exponent(String s, int i, char letter) {
        int n = s.length();
        if (i < n && Character.toLowerCase(s.charAt(i)) == letter) {
            int j = i + 1;
            if (j < n && (s.charAt(j) == '+' || s.charAt(j) == '-')) {
                j++;
            }
            if (j < n && isDigit(s.charAt(j))) {
                while (j < n && isDigit(s.charAt(j))) {
                    j++;
                }
                return j;
            }
        }
        return i;
    }

    private static boolean hexDigitsFollow(String s, int i) {
        int n = s.length();
        if (i < n && s.charAt(i) == '.') {
            i++;
        }
        return i < n && s.charAt(i) < 128 && Character.digit(s.charAt(i), 16) >= 0;
    }

    private static boolean startsWithIgnoreCase(String s, int at, String prefix) {
        return s.regionMatches(true, at, prefix, 0, prefix.length());
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** C's isspace in the C locale. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0b || c == '\f' || c == '\r';
    }
}
