package org.vmgrid.testing;

import java.util.List;
import java.util.Random;

/** Generates fuzz inputs from a seeded {@link Random}: mutations of a corpus and random text. */
public final class Fuzz {

    private final Random random;
    private final String alphabet;
    private final List<String> tokens;
    private final String open;
    private final String close;

    /** @param open, close the grammar's nesting brackets, for deeply nested inputs */
    public Fuzz(Random random, String alphabet, List<String> tokens, String open, String close) {
        this.random = random;
        this.alphabet = alphabet;
        this.tokens = tokens;
        this.open = open;
        this.close = close;
    }

    /** One to six edits of {@code seed}; {@code corpus} gives slices to splice in. */
    public String mutate(String seed, List<String> corpus) {
        StringBuilder b = new StringBuilder(seed);
        int edits = 1 + random.nextInt(6);
        for (int k = 0; k < edits; k++) {
            int at = b.length() == 0 ? 0 : random.nextInt(b.length() + 1);
            switch (random.nextInt(10)) {
                case 0, 1 -> {
                    if (at < b.length()) {
                        b.deleteCharAt(at);
                    }
                }
                case 2, 3 -> b.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                case 4 -> {
                    if (at < b.length()) {
                        b.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    }
                }
                case 5, 6 -> b.insert(at, tokens.get(random.nextInt(tokens.size())));
                case 7 -> { // a slice of this or another input, duplicated in
                    String from = random.nextBoolean() ? b.toString() : corpus.get(random.nextInt(corpus.size()));
                    int s = random.nextInt(from.length() + 1);
                    int e = Math.min(from.length(), s + random.nextInt(40));
                    b.insert(at, from, s, e);
                }
                case 8 -> b.setLength(at); // cut, as a truncated upload
                default -> { // nesting, shallow or deep
                    int depth = random.nextInt(20) == 0 ? 5_000 : 1 + random.nextInt(8);
                    b.insert(at, open.repeat(depth));
                    b.append(close.repeat(random.nextInt(depth + 1)));
                }
            }
        }
        return b.toString();
    }

    /** Random text from the alphabet and the tokens, up to {@code max} pieces. */
    public String random(int max) {
        StringBuilder b = new StringBuilder();
        int n = random.nextInt(max);
        for (int k = 0; k < n; k++) {
            if (random.nextInt(8) == 0) {
                b.append(tokens.get(random.nextInt(tokens.size())));
            } else {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
        }
        return b.toString();
    }

    /** An input for a failure message: escaped, and cut when long. */
    public static String show(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length() && i < 600; i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append(s.length() > 600 ? "\"... (" + s.length() + " chars)" : "\"").toString();
    }
}
