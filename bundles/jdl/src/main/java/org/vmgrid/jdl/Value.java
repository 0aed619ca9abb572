package org.vmgrid.jdl;

import java.util.List;
import java.util.Objects;

/**
 * The result of evaluating an expression. {@link Undefined} and {@link Error} are ClassAd's two
 * exceptional values: a missing attribute is undefined, a type mismatch is an error.
 */
public sealed interface Value {

    /** The JDL spelling of this value's type, for messages ("string", "integer", ...). */
    String typeName();

    Value UNDEFINED = new Undefined();
    Value ERROR = new Error();
    Value TRUE = new Bool(true);
    Value FALSE = new Bool(false);

    static Value of(boolean b) {
        return b ? TRUE : FALSE;
    }

    /** An attribute that is not there, or a value that depends on one. */
    record Undefined() implements Value {
        @Override
        public String typeName() {
            return "undefined";
        }
    }

    /** A value that cannot be computed: wrong types, division by zero, an evaluation limit hit. */
    record Error() implements Value {
        @Override
        public String typeName() {
            return "error";
        }
    }

    record Bool(boolean value) implements Value {
        @Override
        public String typeName() {
            return "boolean";
        }
    }

    record Int(long value) implements Value {
        @Override
        public String typeName() {
            return "integer";
        }
    }

    record Real(double value) implements Value {
        @Override
        public String typeName() {
            return "real";
        }
    }

    record Str(String value) implements Value {
        public Str {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String typeName() {
            return "string";
        }
    }

    /**
     * An evaluated list.
     *
     * @param items the elements' values
     * @param written the elements as the JDL wrote them when the list is a list literal (so that
     *     {@code string()} prints them as HTCondor does, unevaluated), else empty; two lists are equal
     *     when their values are, whatever was written
     */
    record ListValue(List<Value> items, List<Expr> written) implements Value {
        public ListValue {
            items = List.copyOf(items);
            written = List.copyOf(written);
            if (!written.isEmpty() && written.size() != items.size()) {
                throw new IllegalArgumentException(items.size() + " values but " + written.size() + " written elements");
            }
        }

        /** A list of values that no JDL wrote as such (a selection over a list, for one). */
        public ListValue(List<Value> items) {
            this(items, List.of());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ListValue other && items.equals(other.items);
        }

        @Override
        public int hashCode() {
            return items.hashCode();
        }

        @Override
        public String typeName() {
            return "list";
        }
    }

    /**
     * An evaluated record: the ad itself, whose attributes are evaluated on demand in its scope.
     *
     * @param ad the record
     * @param scope opaque evaluation scope the record was found in (enclosing records)
     */
    record Record(ClassAd ad, Object scope) implements Value {
        public Record {
            Objects.requireNonNull(ad, "ad");
        }

        @Override
        public String typeName() {
            return "record";
        }
    }
}
