package org.vmgrid.jdl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Random expression trees: printing and parsing back gives the same tree, and evaluation never throws. */
class RoundTripPropertyTest {

    private final Random random = new Random(42);

    private Expr expr(int depth) {
        int pick = depth <= 0 ? random.nextInt(5) : random.nextInt(14);
        return switch (pick) {
            case 0 -> new Expr.Literal(new Value.Int(random.nextInt(1000)));
            case 1 -> new Expr.Literal(new Value.Real(random.nextInt(100000) / 64.0));
            case 2 -> new Expr.Literal(new Value.Str(randomString()));
            case 3 -> new Expr.Literal(List.of(Value.TRUE, Value.FALSE, Value.UNDEFINED, Value.ERROR).get(random.nextInt(4)));
            case 4 -> new Expr.AttributeRef(Expr.Scope.values()[random.nextInt(3)], "A" + random.nextInt(5));
            case 5, 6, 7 -> {
                Operator[] binary = {Operator.OR, Operator.AND, Operator.EQ, Operator.NE, Operator.IS, Operator.ISNT,
                    Operator.LT, Operator.LE, Operator.GT, Operator.GE, Operator.PLUS, Operator.MINUS, Operator.TIMES,
                    Operator.DIVIDE, Operator.MODULO};
                yield new Expr.Binary(binary[random.nextInt(binary.length)], expr(depth - 1), expr(depth - 1));
            }
            case 8 -> new Expr.Unary(List.of(Operator.NOT, Operator.NEGATE, Operator.UNARY_PLUS).get(random.nextInt(3)),
                    expr(depth - 1));
            case 9 -> new Expr.Conditional(expr(depth - 1), expr(depth - 1), expr(depth - 1));
            case 10 -> new Expr.Call(List.of("member", "strcat", "isUndefined", "size", "regexp").get(random.nextInt(5)),
                    items(depth));
            case 11 -> new Expr.ListExpr(items(depth));
            case 12 -> new Expr.Select(expr(depth - 1), "B" + random.nextInt(3));
            default -> {
                List<ClassAd.Attribute> attrs = new ArrayList<>();
                int n = random.nextInt(3);
                for (int i = 0; i < n; i++) {
                    attrs.add(new ClassAd.Attribute("B" + i, expr(depth - 1)));
                }
                yield new Expr.RecordExpr(ClassAd.of(attrs));
            }
        };
    }

    private List<Expr> items(int depth) {
        List<Expr> items = new ArrayList<>();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
            items.add(expr(depth - 1));
        }
        return items;
    }

    private String randomString() {
        StringBuilder b = new StringBuilder();
        int n = random.nextInt(6);
        for (int i = 0; i < n; i++) {
            b.append("aZ \"\\\n\t\u0007é€$`;'/*#".charAt(random.nextInt(17)));
        }
        return b.toString();
    }

    @Test
    void printedExpressionsParseBackToTheSameTree() {
        for (int i = 0; i < 5000; i++) {
            Expr e = expr(5);
            String text = Jdl.print(e);
            assertEquals(e, Jdl.parseExpression(text), text);
            Jdl.evaluate(e, ClassAd.of(List.of(new ClassAd.Attribute("A1", e))), ClassAd.empty());
        }
    }

    @Test
    void printedAdsParseBackToTheSameAd() {
        for (int i = 0; i < 500; i++) {
            List<ClassAd.Attribute> attrs = new ArrayList<>();
            for (int k = 0; k < 1 + random.nextInt(6); k++) {
                attrs.add(new ClassAd.Attribute("A" + k, expr(4)));
            }
            ClassAd ad = ClassAd.of(attrs);
            String text = Jdl.print(ad);
            assertEquals(ad, Jdl.parse(text), text);
            for (ClassAd.Attribute a : attrs) {
                Jdl.evaluate(ad, a.name());
            }
        }
    }
}
