package org.vmgrid.jdl.internal;

import org.vmgrid.jdl.Operator;
import org.vmgrid.jdl.Value;

/** ClassAd's strict operators on evaluated values: UNDEFINED propagates, type mismatches are ERROR. */
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
                return v instanceof Value.Bool b ? Value.of(!b.value()) : Value.ERROR;
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

    static Value binary(Operator op, Value l, Value r) {
        if (op == Operator.IS || op == Operator.ISNT) {
            return Value.of(identical(l, r) == (op == Operator.IS));
        }
        if (l instanceof Value.Error || r instanceof Value.Error) {
            return Value.ERROR;
        }
        if (l instanceof Value.Undefined || r instanceof Value.Undefined) {
            return Value.UNDEFINED;
        }
        switch (op) {
            case PLUS: case MINUS: case TIMES: case DIVIDE: case MODULO:
                return arithmetic(op, l, r);
            case EQ: case NE: case LT: case LE: case GT: case GE:
                return compare(op, l, r);
            default:
                return Value.ERROR;
        }
    }

    /** {@code =?=}: same type and same value; strings compared case-sensitively; never undefined. */
    static boolean identical(Value l, Value r) {
        if (l instanceof Value.Str a && r instanceof Value.Str b) {
            return a.value().equals(b.value());
        }
        return l.getClass() == r.getClass() && l.equals(r);
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
            double x = number(l);
            double y = number(r);
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
        if (isNumber(l) && isNumber(r)) {
            c = l instanceof Value.Int a && r instanceof Value.Int b ? Long.compare(a.value(), b.value())
                    : Double.compare(number(l), number(r));
        } else if (l instanceof Value.Str a && r instanceof Value.Str b) {
            c = a.value().compareToIgnoreCase(b.value());
        } else if (l instanceof Value.Bool a && r instanceof Value.Bool b && (op == Operator.EQ || op == Operator.NE)) {
            c = Boolean.compare(a.value(), b.value());
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

    static double number(Value v) {
        return v instanceof Value.Int i ? i.value() : ((Value.Real) v).value();
    }
}
