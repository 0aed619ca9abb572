package org.vmgrid.itests;

import java.util.List;
import java.util.Locale;

/** Small figures of a benchmark's runs: medians and spans, formatted as the tables print them. */
final class BenchFigures {

    private BenchFigures() {
    }

    /** The median of the values (the mean of the two middle ones for an even count). */
    static double median(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("the median of no values");
        }
        List<Double> s = values.stream().sorted().toList();
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    }

    static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    }

    /** "median (min-max)" with two decimals. */
    static String spread(List<Double> values) {
        return String.format(Locale.ROOT, "%.2f (%.2f-%.2f)", median(values), min(values), max(values));
    }

    /** KiB as MiB with one decimal. */
    static String mib(long kib) {
        return kib < 0 ? "-" : String.format(Locale.ROOT, "%.1f", kib / 1024.0);
    }

    /** The text's last non-blank line, for a failure's reason. */
    static String lastLine(String text) {
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1).strip();
    }
}
