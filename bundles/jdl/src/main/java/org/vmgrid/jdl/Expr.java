package org.vmgrid.jdl;

import java.util.List;
import java.util.Objects;

/** A ClassAd expression as parsed: immutable, compared by structure. */
public sealed interface Expr {

    /** A constant: a string, number, boolean, {@code undefined} or {@code error}. */
    record Literal(Value value) implements Expr {
        public Literal {
            Objects.requireNonNull(value, "value");
            if (value instanceof Value.ListValue || value instanceof Value.Record) {
                throw new IllegalArgumentException("a literal holds a scalar; use ListExpr or RecordExpr");
            }
        }
    }

    /** Where an attribute reference looks: the enclosing records, {@code self.} or {@code other.}. */
    enum Scope { PLAIN, SELF, OTHER }

    /** {@code Name}, {@code self.Name} or {@code other.Name}; names compare case-insensitively when looked up. */
    record AttributeRef(Scope scope, String name) implements Expr {
        public AttributeRef {
            Objects.requireNonNull(scope, "scope");
            Objects.requireNonNull(name, "name");
        }
    }

    /** {@code base.Name}: an attribute of the record {@code base} evaluates to. */
    record Select(Expr base, String name) implements Expr {
        public Select {
            Objects.requireNonNull(base, "base");
            Objects.requireNonNull(name, "name");
        }
    }

    /** {@code base[index]}: a list element (integer index) or a record attribute (string index). */
    record Subscript(Expr base, Expr index) implements Expr {
        public Subscript {
            Objects.requireNonNull(base, "base");
            Objects.requireNonNull(index, "index");
        }
    }

    record Unary(Operator op, Expr operand) implements Expr {
        public Unary {
            if (!op.isUnary()) {
                throw new IllegalArgumentException(op + " is not a unary operator");
            }
            Objects.requireNonNull(operand, "operand");
        }
    }

    record Binary(Operator op, Expr left, Expr right) implements Expr {
        public Binary {
            if (op.isUnary()) {
                throw new IllegalArgumentException(op + " is not a binary operator");
            }
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }
    }

    /** {@code condition ? then : otherwise}. */
    record Conditional(Expr condition, Expr then, Expr otherwise) implements Expr {
        public Conditional {
            Objects.requireNonNull(condition, "condition");
            Objects.requireNonNull(then, "then");
            Objects.requireNonNull(otherwise, "otherwise");
        }
    }

    /** A function call; the name keeps its spelling, functions are looked up case-insensitively. */
    record Call(String name, List<Expr> args) implements Expr {
        public Call {
            Objects.requireNonNull(name, "name");
            args = List.copyOf(args);
        }
    }

    /** {@code { a, b, ... }}. */
    record ListExpr(List<Expr> items) implements Expr {
        public ListExpr {
            items = List.copyOf(items);
        }
    }

    /** A nested record {@code [ Name = expr; ... ]}. */
    record RecordExpr(ClassAd ad) implements Expr {
        public RecordExpr {
            Objects.requireNonNull(ad, "ad");
        }
    }
}
