package org.vmgrid.jdl.internal;

import org.vmgrid.jdl.Operator;
import org.vmgrid.jdl.Value;

/**
 * ClassAd's strict operators on evaluated values, with the type rules of HTCondor's current library:
 * ERROR wins over UNDEFINED, which propagates; booleans count as the numbers 0 and 1 in arithmetic and
 * comparisons, and numbers as booleans (non-zero is true) in {@code && || ! ?:}; strings compare with
 * each other only, ignoring the case of ASCII letters; lists and records compare with nothing, not
 * even by {@code =?=}. Whole numbers that overflow, and reals that would be infinite or NaN, are ERROR.
 */
final class Operations {

    private Operations() {
    }

    static Value unary(Operator op, Value v) {
        if (v instanceof Value.Error) {
            return Value.ERROR;
        }
        if (v instanceof Value.Undefined) {
            return Value.UNDEFINED;
        }
        switch (op) {
            case NOT:
                return truth(v) instanceof Value.Bool b ? Value.of(!b.value()) : Value.ERROR;
            case NEGATE:
                if (v instanceof Value.Int i) {
                    return i.value() == Long.MIN_VALUE ? Value.ERROR : new Value.Int(-i.value());
                }
                return v instanceof Value.Real r ? new Value.Real(-r.value()) : Value.ERROR;
            case UNARY_PLUS:
                return v instanceof Value.Int || v instanceof Value.Real ? v : Value.ERROR;
            default:
                return Value.ERROR;
        }
    }

    /** A number as a boolean (non-zero is true); any other value as it is. */
    static Value truth(Value v) {
        if (v instanceof Value.Int i) {
            return Value.of(i.value() != 0);
        }
        if (v instanceof Value.Real r) {
            return Value.of(r.value() != 0);
        }
        return v;
    }

    static Value binary(Operator op, Value l, Value r) {
        if (op == Operator.IS || op == Operator.ISNT) {
            Value same = identical(l, r);
            return same instanceof Value.Bool b ? Value.of(b.value() == (op == Operator.IS)) : same;
        }
        if (l instanceof Value.Error || r instanceof Value.Error) {
            return Value.ERROR;
        }
        if (l instanceof Value.Undefined || r instanceof Value.Undefined) {
            return Value.UNDEFINED;
        }
        switch (op) {
            case PLUS: case MINUS: case TIMES: case DIVIDE: case MODULO:
                return arithmetic(op, number(l), number(r));
            case EQ: case NE: case LT: case LE: case GT: case GE:
                return compare(op, l, r);
            default:
                return Value.ERROR;
        }
    }

    /**
     * {@code =?=}: same type and same value, strings compared case-sensitively, UNDEFINED and ERROR
     * each identical to itself; lists and records are ERROR, as in HTCondor.
     */
    static Value identical(Value l, Value r) {
        if (l.getClass() != r.getClass()) {
            return Value.FALSE;
        }
        if (l instanceof Value.ListValue || l instanceof Value.Record) {
            return Value.ERROR;
        }
        if (l instanceof Value.Real a) {
            return Value.of(a.value() == ((Value.Real) r).value());
        }
        return Value.of(l.equals(r));
    }

    /** A boolean as the whole number 0 or 1; any other value as it is. */
    private static Value number(Value v) {
        return v instanceof Value.Bool b ? new Value.Int(b.value() ? 1 : 0) : v;
    }

    private static Value arithmetic(Operator op, Value l, Value r) {
        if (l instanceof Value.Int a && r instanceof Value.Int b) {
            long x = a.value();
            long y = b.value();
            try {
                switch (op) {
                    case PLUS: return new Value.Int(Math.addExact(x, y));
                    case MINUS: return new Value.Int(Math.subtractExact(x, y));
                    case TIMES: return new Value.Int(Math.multiplyExact(x, y));
                    case DIVIDE: return y == 0 || (x == Long.MIN_VALUE && y == -1) ? Value.ERROR : new Value.Int(x / y);
                    default: return y == 0 ? Value.ERROR : new Value.Int(x % y);
                }
            } catch (ArithmeticException overflow) {
                return Value.ERROR;
            }
        }
        if (isNumber(l) && isNumber(r) && op != Operator.MODULO) {
            double x = toDouble(l);
            double y = toDouble(r);
            double z = switch (op) {
                case PLUS -> x + y;
                case MINUS -> x - y;
                case TIMES -> x * y;
                default -> y == 0 ? Double.NaN : x / y;
            };
            return Double.isNaN(z) || Double.isInfinite(z) ? Value.ERROR : new Value.Real(z);
        }
        return Value.ERROR;
    }

    private static Value compare(Operator op, Value l, Value r) {
        int c;
        Value x = number(l);
        Value y = number(r);
        if (isNumber(x) && isNumber(y)) {
            if (x instanceof Value.Int a && y instanceof Value.Int b) {
                c = Long.compare(a.value(), b.value());
            } else {
                double dx = toDouble(x);
                double dy = toDouble(y);
                c = dx < dy ? -1 : dx > dy ? 1 : 0; // C's comparison: 0.0 equals -0.0
            }
        } else if (l instanceof Value.Str a && r instanceof Value.Str b) {
            c = StringFunctions.compareIgnoreAsciiCase(a.value(), b.value());
        } else {
            return Value.ERROR;
        }
        return Value.of(switch (op) {
            case EQ -> c == 0;
            case NE -> c != 0;
            case LT -> c < 0;
            case LE -> c <= 0;
            case GT -> c > 0;
            default -> c >= 0;
        });
    }

    static boolean isNumber(Value v) {
        return v instanceof Value.Int || v instanceof Value.Real;
    }

    static double toDouble(Value v) {
        return v instanceof Value.Int i ? i.value() : ((Value.Real) v).value();
    }
}
