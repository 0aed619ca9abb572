package org.vmgrid.jdl.internal;

/**
 * A string a regular expression matches against, charging every character read to the evaluation's
 * budget: a pathological pattern (catastrophic backtracking) ends in ERROR instead of hanging.
 */
final class BudgetedChars implements CharSequence {

    /** Thrown out of the matcher when the budget runs out. */
    static final class Exhausted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Exhausted() {
            super("regular expression evaluation budget exhausted", null, false, false);
        }
    }

    private static final int CHARGE_EVERY = 4096;

    private final String s;
    private final Evaluator ev;
    private int reads;

    BudgetedChars(String s, Evaluator ev) {
        this.s = s;
        this.ev = ev;
    }

    @Override
    public char charAt(int index) {
        if (++reads == CHARGE_EVERY) {
            reads = 0;
            if (!ev.charge(CHARGE_EVERY)) {
                throw new Exhausted();
            }
        }
        return s.charAt(index);
    }

    @Override
    public int length() {
        return s.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return new BudgetedChars(s.substring(start, end), ev);
    }

    @Override
    public String toString() {
        return s;
    }
}
