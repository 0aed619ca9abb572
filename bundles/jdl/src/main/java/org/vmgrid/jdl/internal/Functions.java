package org.vmgrid.jdl.internal;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.vmgrid.jdl.Operator;
import org.vmgrid.jdl.Value;

/**
 * The ClassAd functions JDL uses, looked up ignoring case. An unknown function, a wrong argument
 * count or type gives ERROR; an UNDEFINED argument gives UNDEFINED where ClassAd says so.
 */
final class Functions {

    /** Longest string a function may build. */
    static final int MAX_STRING = 1 << 20;
    /** Longest regular expression accepted. */
    static final int MAX_PATTERN = 1024;

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
            case "regexp": return regexp(a, ev);
            case "strcat": return strcat(a, ev);
            case "tolower": return one(a) ? caseOf(a.get(0), false) : Value.ERROR;
            case "toupper": return one(a) ? caseOf(a.get(0), true) : Value.ERROR;
            case "size": return one(a) ? size(a.get(0)) : Value.ERROR;
            case "substr": return substr(a);
            case "stringlistmember": return stringListMember(a, ev);
            case "ifthenelse": return a.size() == 3 ? ifThenElse(a) : Value.ERROR;
            case "int": return one(a) ? toInt(a.get(0)) : Value.ERROR;
            case "real": return one(a) && Operations.isNumber(a.get(0)) ? new Value.Real(Operations.number(a.get(0)))
                    : undefinedOrError(a);
            case "string": return one(a) ? toStr(a.get(0)) : Value.ERROR;
            default: return Value.ERROR;
        }
    }

    private static boolean one(List<Value> a) {
        return a.size() == 1;
    }

    private static Value undefinedOrError(List<Value> a) {
        return a.size() == 1 && a.get(0) instanceof Value.Undefined ? Value.UNDEFINED : Value.ERROR;
    }

    private static Value member(List<Value> a, boolean identical) {
        if (a.size() != 2) {
            return Value.ERROR;
        }
        Value x = a.get(0);
        Value list = a.get(1);
        if (x instanceof Value.Error || list instanceof Value.Error) {
            return Value.ERROR;
        }
        if (x instanceof Value.Undefined || list instanceof Value.Undefined) {
            return identical ? Value.FALSE : Value.UNDEFINED;
        }
        if (!(list instanceof Value.ListValue l) || x instanceof Value.ListValue || x instanceof Value.Record) {
            return Value.ERROR;
        }
        for (Value item : l.items()) {
            boolean hit = identical ? Operations.identical(x, item)
                    : Operations.binary(Operator.EQ, x, item).equals(Value.TRUE);
            if (hit) {
                return Value.TRUE;
            }
        }
        return Value.FALSE;
    }

    private static Value regexp(List<Value> a, Evaluator ev) {
        if (a.size() < 2 || a.size() > 3) {
            return Value.ERROR;
        }
        for (Value v : a) {
            if (v instanceof Value.Undefined) {
                return Value.UNDEFINED;
            }
            if (!(v instanceof Value.Str)) {
                return Value.ERROR;
            }
        }
        String pattern = ((Value.Str) a.get(0)).value();
        String target = ((Value.Str) a.get(1)).value();
        int flags = 0;
        if (a.size() == 3) {
            for (char o : ((Value.Str) a.get(2)).value().toCharArray()) {
                flags |= switch (Character.toLowerCase(o)) {
                    case 'i' -> Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
                    case 'm' -> Pattern.MULTILINE;
                    case 's' -> Pattern.DOTALL;
                    case 'x' -> Pattern.COMMENTS;
                    default -> 0;
                };
            }
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

    private static Value strcat(List<Value> a, Evaluator ev) {
        StringBuilder b = new StringBuilder();
        for (Value v : a) {
            Value s = toStr(v);
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

    private static Value caseOf(Value v, boolean upper) {
        if (v instanceof Value.Str s) {
            return new Value.Str(upper ? s.value().toUpperCase(Locale.ROOT) : s.value().toLowerCase(Locale.ROOT));
        }
        return v instanceof Value.Undefined ? Value.UNDEFINED : Value.ERROR;
    }

    private static Value size(Value v) {
        if (v instanceof Value.Str s) {
            return new Value.Int(s.value().length());
        }
        if (v instanceof Value.ListValue l) {
            return new Value.Int(l.items().size());
        }
        if (v instanceof Value.Record r) {
            return new Value.Int(r.ad().size());
        }
        return v instanceof Value.Undefined ? Value.UNDEFINED : Value.ERROR;
    }

    private static Value substr(List<Value> a) {
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
        int n = s.value().length();
        long from = off.value() < 0 ? Math.max(0, n + off.value()) : Math.min(n, off.value());
        long len = a.size() == 3 ? ((Value.Int) a.get(2)).value() : n - from;
        long to = len < 0 ? Math.max(from, n + len) : Math.min(n, from + len);
        return new Value.Str(s.value().substring((int) from, (int) to));
    }

    private static Value stringListMember(List<Value> a, Evaluator ev) {
        if (a.size() < 2 || a.size() > 3) {
            return Value.ERROR;
        }
        if (a.stream().anyMatch(v -> v instanceof Value.Undefined)) {
            return Value.UNDEFINED;
        }
        if (a.stream().anyMatch(v -> !(v instanceof Value.Str))) {
            return Value.ERROR;
        }
        String item = ((Value.Str) a.get(0)).value();
        String list = ((Value.Str) a.get(1)).value();
        String delims = a.size() == 3 ? ((Value.Str) a.get(2)).value() : " ,";
        ev.charge(list.length());
        int start = 0;
        for (int i = 0; i <= list.length(); i++) {
            if (i == list.length() || delims.indexOf(list.charAt(i)) >= 0) {
                if (i > start && list.substring(start, i).equalsIgnoreCase(item)) {
                    return Value.TRUE;
                }
                start = i + 1;
            }
        }
        return Value.FALSE;
    }

    private static Value ifThenElse(List<Value> a) {
        if (a.get(0) instanceof Value.Bool b) {
            return b.value() ? a.get(1) : a.get(2);
        }
        return a.get(0) instanceof Value.Undefined ? Value.UNDEFINED : Value.ERROR;
    }

    private static Value toInt(Value v) {
        if (v instanceof Value.Int) {
            return v;
        }
        if (v instanceof Value.Real r) {
            double d = r.value();
            return d >= Long.MIN_VALUE && d <= Long.MAX_VALUE ? new Value.Int((long) d) : Value.ERROR;
        }
        if (v instanceof Value.Bool b) {
            return new Value.Int(b.value() ? 1 : 0);
        }
        if (v instanceof Value.Str s) {
            try {
                return new Value.Int(Long.parseLong(s.value().trim()));
            } catch (NumberFormatException e) {
                return Value.ERROR;
            }
        }
        return v instanceof Value.Undefined ? Value.UNDEFINED : Value.ERROR;
    }

    private static Value toStr(Value v) {
        if (v instanceof Value.Str) {
            return v;
        }
        if (v instanceof Value.Int i) {
            return new Value.Str(Long.toString(i.value()));
        }
        if (v instanceof Value.Real r) {
            return new Value.Str(Double.toString(r.value()));
        }
        if (v instanceof Value.Bool b) {
            return new Value.Str(Boolean.toString(b.value()));
        }
        return v instanceof Value.Undefined ? Value.UNDEFINED : Value.ERROR;
    }
}
