package org.vmgrid.jdl.internal;

import java.util.List;
import java.util.Locale;
import org.vmgrid.jdl.Operator;
import org.vmgrid.jdl.Value;

/**
 * The ClassAd functions JDL uses, looked up ignoring case, with the meaning HTCondor's ClassAd library
 * gives them. An unknown function, a wrong argument count or type gives ERROR; an UNDEFINED argument
 * gives UNDEFINED where ClassAd says so. The string functions are in {@link StringFunctions}.
 */
final class Functions {

    private Functions() {
    }

    static Value call(String name, List<Value> a, Evaluator ev) {
        String f = name.toLowerCase(Locale.ROOT);
        switch (f) {
            case "isundefined": return one(a) ? Value.of(a.get(0) instanceof Value.Undefined) : Value.ERROR;
            case "iserror": return one(a) ? Value.of(a.get(0) instanceof Value.Error) : Value.ERROR;
            case "isstring": return one(a) ? Value.of(a.get(0) instanceof Value.Str) : Value.ERROR;
            case "isinteger": return one(a) ? Value.of(a.get(0) instanceof Value.Int) : Value.ERROR;
            case "isreal": return one(a) ? Value.of(a.get(0) instanceof Value.Real) : Value.ERROR;
            case "isboolean": return one(a) ? Value.of(a.get(0) instanceof Value.Bool) : Value.ERROR;
            case "islist": return one(a) ? Value.of(a.get(0) instanceof Value.ListValue) : Value.ERROR;
            case "isclassad": return one(a) ? Value.of(a.get(0) instanceof Value.Record) : Value.ERROR;
            case "member": return member(a, false);
            case "identicalmember": return member(a, true);
            case "regexp": return StringFunctions.regexp(a, ev);
            case "strcat": return StringFunctions.strcat(a, ev);
            case "tolower": return one(a) ? StringFunctions.changeCase(a.get(0), false, ev) : Value.ERROR;
            case "toupper": return one(a) ? StringFunctions.changeCase(a.get(0), true, ev) : Value.ERROR;
            case "size": return one(a) ? size(a.get(0)) : Value.ERROR;
            case "substr": return StringFunctions.substr(a);
            case "stringlistmember": return StringFunctions.stringListMember(a, false, ev);
            case "stringlistimember": return StringFunctions.stringListMember(a, true, ev);
            case "ifthenelse": return a.size() == 3 ? ifThenElse(a) : Value.ERROR;
            case "int": return one(a) ? toInt(a.get(0)) : Value.ERROR;
            case "real": return one(a) ? toReal(a.get(0)) : Value.ERROR;
            case "string": return one(a) ? StringFunctions.toStr(a.get(0), ev) : Value.ERROR;
            default: return Value.ERROR;
        }
    }

    private static boolean one(List<Value> a) {
        return a.size() == 1;
    }

    /**
     * {@code member(x, list)} compares with {@code ==}, {@code identicalMember} with {@code =?=}; an
     * UNDEFINED list, or an UNDEFINED {@code x} for {@code member}, gives UNDEFINED.
     */
    private static Value member(List<Value> a, boolean identical) {
        if (a.size() != 2) {
            return Value.ERROR;
        }
        Value x = a.get(0);
        Value list = a.get(1);
        if (list instanceof Value.Undefined || (!identical && x instanceof Value.Undefined)) {
            return Value.UNDEFINED;
        }
        if (!(list instanceof Value.ListValue l) || x instanceof Value.ListValue || x instanceof Value.Record
                || (!identical && x instanceof Value.Error)) {
            return Value.ERROR;
        }
        for (Value item : l.items()) {
            if (Operations.binary(identical ? Operator.IS : Operator.EQ, item, x).equals(Value.TRUE)) {
                return Value.TRUE;
            }
        }
        return Value.FALSE;
    }

    private static Value size(Value v) {
        if (v instanceof Value.Str s) {
            return new Value.Int(StringFunctions.byteLength(s.value()));
        }
        if (v instanceof Value.ListValue l) {
            return new Value.Int(l.items().size());
        }
        if (v instanceof Value.Record r) {
            return new Value.Int(r.ad().size());
        }
        return v instanceof Value.Undefined ? Value.UNDEFINED : Value.ERROR;
    }

    /** The condition may be a boolean or a number (non-zero is true), as for {@code ?:}. */
    private static Value ifThenElse(List<Value> a) {
        Value c = Operations.truth(a.get(0));
        if (c instanceof Value.Bool b) {
            return b.value() ? a.get(1) : a.get(2);
        }
        return c instanceof Value.Undefined ? Value.UNDEFINED : Value.ERROR;
    }

    /** Reals are cut toward zero, booleans are 0 and 1, strings are read as C's strtod reads them. */
    private static Value toInt(Value v) {
        if (v instanceof Value.Int) {
            return v;
        }
        if (v instanceof Value.Bool b) {
            return new Value.Int(b.value() ? 1 : 0);
        }
        double d;
        if (v instanceof Value.Real r) {
            d = r.value();
        } else if (v instanceof Value.Str s) {
            Double parsed = LeadingNumber.parse(s.value());
            if (parsed == null) {
                return Value.ERROR;
            }
            d = parsed;
        } else {
            return v instanceof Value.Undefined ? Value.UNDEFINED : Value.ERROR;
        }
        // beyond a long (or NaN), C's conversion is undefined: ERROR here
        return d >= -0x1p63 && d < 0x1p63 ? new Value.Int((long) d) : Value.ERROR;
    }

    /** Booleans are 0.0 and 1.0, strings are read as C's strtod reads them; infinities and NaN are ERROR. */
    private static Value toReal(Value v) {
        if (v instanceof Value.Real) {
            return v;
        }
        if (v instanceof Value.Int i) {
            return new Value.Real(i.value());
        }
        if (v instanceof Value.Bool b) {
            return new Value.Real(b.value() ? 1 : 0);
        }
        if (v instanceof Value.Str s) {
            Double d = LeadingNumber.parse(s.value());
            return d == null || d.isNaN() || d.isInfinite() ? Value.ERROR : new Value.Real(d);
        }
        return v instanceof Value.Undefined ? Value.UNDEFINED : Value.ERROR;
    }
}
