package org.vmgrid.jdl.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.vmgrid.jdl.ClassAd;
import org.vmgrid.jdl.Expr;
import org.vmgrid.jdl.Operator;
import org.vmgrid.jdl.Value;

/**
 * Recursive-descent ClassAd parser with precedence climbing for binary operators. Recursion and
 * tree depth are both capped at {@link #MAX_DEPTH}, so that neither parsing nor later printing or
 * evaluation can exhaust the stack; long operator chains are built in loops.
 */
public final class Parser {

    /** The deepest nesting of records, lists, parentheses and operators accepted. */
    public static final int MAX_DEPTH = 200;

    private final Lexer lex;
    private int nesting;
    /** The tree depth of the expression the last parse method returned. */
    private int lastDepth;

    private Parser(SourceText source) {
        this.lex = new Lexer(source);
        lex.next();
    }

    /** A whole JDL: {@code [ attributes ]} or the bare attribute list, then the end of input. */
    public static ClassAd parseDocument(SourceText source) {
        Parser p = new Parser(source);
        ClassAd ad;
        if (p.lex.kind == Token.LBRACKET) {
            p.lex.next();
            ad = p.attributes(Token.RBRACKET);
            p.expect(Token.RBRACKET, "']' to close the JDL, or ';' between attributes");
            if (p.lex.kind == Token.SEMI) {
                p.lex.next();
            }
        } else {
            ad = p.attributes(Token.EOF);
        }
        p.expect(Token.EOF, "the end of the JDL after its closing ']'");
        return ad;
    }

    /** One expression, then the end of input. */
    public static Expr parseExpression(SourceText source) {
        Parser p = new Parser(source);
        Expr e = p.expression();
        p.expect(Token.EOF, "the end of the expression (an operator is missing?)");
        return e;
    }

    private ClassAd attributes(Token close) {
        List<ClassAd.Attribute> attrs = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        int depth = 0;
        while (lex.kind != close) {
            if (lex.kind != Token.IDENT) {
                String hint = lex.kind == Token.EOF ? "; is a ']' missing?" : isReserved() ? " (" + lex.describe()
                        + " is a reserved word)" : "";
                throw lex.source().error(lex.start, "expected an attribute name, found " + lex.describe() + hint);
            }
            String name = lex.text;
            int at = lex.start;
            Integer first = seen.putIfAbsent(name.toLowerCase(java.util.Locale.ROOT), at);
            if (first != null) {
                throw lex.source().error(at, "attribute " + name + " is defined twice (names ignore case); keep one");
            }
            lex.next();
            expect(Token.ASSIGN, "'=' after the attribute name " + name);
            attrs.add(new ClassAd.Attribute(name, expression()));
            depth = Math.max(depth, lastDepth);
            if (lex.kind == Token.SEMI) {
                lex.next();
            } else if (lex.kind != close) {
                String expected = close == Token.RBRACKET ? "';' or ']'" : "';'";
                throw lex.source().error(lex.start, "expected " + expected + " after the value of " + name + ", found "
                        + lex.describe());
            }
        }
        lastDepth = depth;
        return ClassAd.of(attrs);
    }

    private boolean isReserved() {
        return lex.kind == Token.TRUE || lex.kind == Token.FALSE || lex.kind == Token.UNDEFINED
                || lex.kind == Token.ERROR;
    }

    private void expect(Token kind, String what) {
        if (lex.kind != kind) {
            throw lex.source().error(lex.start, "expected " + what + ", found " + lex.describe());
        }
        lex.next();
    }

    private void enter() {
        if (++nesting > MAX_DEPTH) {
            throw lex.source().error(lex.start, "expression nested more than " + MAX_DEPTH
                    + " levels deep; JDL accepts at most " + MAX_DEPTH);
        }
    }

    private int deeper(int depth) {
        if (depth > MAX_DEPTH) {
            throw lex.source().error(lex.start, "expression nested more than " + MAX_DEPTH
                    + " levels deep (long operator chains count too); JDL accepts at most " + MAX_DEPTH);
        }
        return depth;
    }

    private Expr expression() {
        enter();
        Expr cond = binary(1);
        if (lex.kind == Token.QUESTION) {
            int d = lastDepth;
            int at = lex.start;
            lex.next();
            if (lex.kind == Token.COLON) {
                throw lex.source().error(at, "'?:' (x ?: y, current HTCondor's default operator) is not JDL: the "
                        + "ClassAd parsers of CREAM and the WMS do not read it; write ifThenElse(isUndefined(x), y, x)");
            }
            Expr then = expression();
            d = Math.max(d, lastDepth);
            expect(Token.COLON, "':' of the '?:' operator");
            Expr otherwise = expression();
            lastDepth = deeper(Math.max(d, lastDepth) + 1);
            cond = new Expr.Conditional(cond, then, otherwise);
        }
        nesting--;
        return cond;
    }

    private Expr binary(int minPrecedence) {
        Expr left = unary();
        int leftDepth = lastDepth;
        while (lex.kind == Token.OP && !lex.op.isUnary() && lex.op.precedence() >= minPrecedence) {
            Operator op = lex.op;
            lex.next();
            enter();
            Expr right = binary(op.precedence() + 1);
            nesting--;
            leftDepth = deeper(Math.max(leftDepth, lastDepth) + 1);
            left = new Expr.Binary(op, left, right);
        }
        lastDepth = leftDepth;
        return left;
    }

    private Expr unary() {
        List<Operator> ops = null;
        while (lex.kind == Token.OP && (lex.op == Operator.NOT || lex.op == Operator.MINUS || lex.op == Operator.PLUS)) {
            if (ops == null) {
                ops = new ArrayList<>(2);
            }
            ops.add(lex.op == Operator.NOT ? Operator.NOT : lex.op == Operator.MINUS ? Operator.NEGATE : Operator.UNARY_PLUS);
            deeper(ops.size() + nesting);
            lex.next();
        }
        Expr e = postfix();
        if (ops != null) {
            int d = deeper(lastDepth + ops.size());
            for (int i = ops.size() - 1; i >= 0; i--) {
                e = new Expr.Unary(ops.get(i), e);
            }
            lastDepth = d;
        }
        return e;
    }

    private Expr postfix() {
        Expr e = primary();
        int d = lastDepth;
        while (lex.kind == Token.DOT || lex.kind == Token.LBRACKET) {
            if (lex.kind == Token.DOT) {
                lex.next();
                if (lex.kind != Token.IDENT) {
                    throw lex.source().error(lex.start, "expected an attribute name after '.', found " + lex.describe());
                }
                e = new Expr.Select(e, lex.text);
                lex.next();
            } else {
                lex.next();
                Expr index = expression();
                d = Math.max(d, lastDepth);
                expect(Token.RBRACKET, "']' to close the subscript");
                e = new Expr.Subscript(e, index);
            }
            d = deeper(d + 1);
        }
        lastDepth = d;
        return e;
    }

    private Expr primary() {
        lastDepth = 1;
        switch (lex.kind) {
            case INT -> {
                return literal(new Value.Int(lex.intValue));
            }
            case REAL -> {
                return literal(new Value.Real(lex.realValue));
            }
            case STRING -> {
                return literal(new Value.Str(lex.text));
            }
            case TRUE -> {
                return literal(Value.TRUE);
            }
            case FALSE -> {
                return literal(Value.FALSE);
            }
            case UNDEFINED -> {
                return literal(Value.UNDEFINED);
            }
            case ERROR -> {
                return literal(Value.ERROR);
            }
            case IDENT -> {
                return name();
            }
            case LPAREN -> {
                lex.next();
                Expr e = expression();
                expect(Token.RPAREN, "')'");
                return e;
            }
            case LBRACE -> {
                return list();
            }
            case LBRACKET -> {
                lex.next();
                ClassAd ad = attributes(Token.RBRACKET);
                expect(Token.RBRACKET, "']' to close the record, or ';' between attributes");
                lastDepth = deeper(lastDepth + 1);
                return new Expr.RecordExpr(ad);
            }
            default -> throw lex.source().error(lex.start, "expected a value, found " + lex.describe());
        }
    }

    private Expr literal(Value v) {
        lex.next();
        return new Expr.Literal(v);
    }

    private Expr name() {
        String name = lex.text;
        lex.next();
        if (lex.kind == Token.LPAREN) {
            lex.next();
            List<Expr> args = new ArrayList<>();
            int d = 0;
            while (lex.kind != Token.RPAREN) {
                args.add(expression());
                d = Math.max(d, lastDepth);
                if (lex.kind == Token.COMMA) {
                    lex.next();
                } else if (lex.kind != Token.RPAREN) {
                    throw lex.source().error(lex.start, "expected ',' or ')' in the call of " + name + ", found "
                            + lex.describe());
                }
            }
            lex.next();
            lastDepth = deeper(d + 1);
            return new Expr.Call(name, args);
        }
        if (lex.kind == Token.DOT && (name.equalsIgnoreCase("other") || name.equalsIgnoreCase("self"))) {
            lex.next();
            if (lex.kind != Token.IDENT) {
                throw lex.source().error(lex.start, "expected an attribute name after '" + name + ".', found "
                        + lex.describe());
            }
            Expr.Scope scope = name.equalsIgnoreCase("other") ? Expr.Scope.OTHER : Expr.Scope.SELF;
            Expr ref = new Expr.AttributeRef(scope, lex.text);
            lex.next();
            lastDepth = 1;
            return ref;
        }
        lastDepth = 1;
        return new Expr.AttributeRef(Expr.Scope.PLAIN, name);
    }

    private Expr list() {
        lex.next();
        List<Expr> items = new ArrayList<>();
        int d = 0;
        while (lex.kind != Token.RBRACE) {
            items.add(expression());
            d = Math.max(d, lastDepth);
            if (lex.kind == Token.COMMA) {
                lex.next();
            } else if (lex.kind != Token.RBRACE) {
                throw lex.source().error(lex.start, "expected ',' or '}' in the list, found " + lex.describe());
            }
        }
        lex.next();
        lastDepth = deeper(d + 1);
        return new Expr.ListExpr(items);
    }
}
