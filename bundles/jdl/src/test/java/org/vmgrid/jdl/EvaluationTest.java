package org.vmgrid.jdl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EvaluationTest {

    static String eval(String expr) {
        Value v = Jdl.evaluate(Jdl.parseExpression(expr), Jdl.parse("[ u = undefined; s = \"Abc\"; n = 3; r = 1.5 ]"), null);
        if (v instanceof Value.Str s) {
            return "'" + s.value() + "'";
        }
        if (v instanceof Value.Int i) {
            return Long.toString(i.value());
        }
        if (v instanceof Value.Real r) {
            return Double.toString(r.value());
        }
        if (v instanceof Value.Bool b) {
            return Boolean.toString(b.value());
        }
        return v.typeName();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
        // three-valued logic
        "true && undefined => undefined", "false && undefined => false", "undefined && false => false",
        "true || undefined => true", "undefined || true => true", "undefined || false => undefined",
        "false || error => error", "true || error => true", "false && error => false", "!undefined => undefined",
        "!1 => false", "1 && true => true", "undefined ? 1 : 2 => undefined", "3 ? 1 : 2 => 1", "\"x\" ? 1 : 2 => error",
        // arithmetic
        "7 / 2 => 3", "7 % 3 => 1", "7.0 / 2 => 3.5", "1 / 0 => error", "1.0 / 0 => error", "1 + r => 2.5",
        "9223372036854775807 + 1 => error", "\"a\" + 1 => error", "n + u => undefined", "-(2 - 5) => 3",
        // comparison
        "s == \"ABC\" => true", "s =?= \"ABC\" => false", "s =?= \"Abc\" => true", "u == 1 => undefined",
        "u =?= undefined => true", "u =!= undefined => false", "1 == 1.0 => true", "1 =?= 1.0 => false",
        "\"a\" < \"B\" => true", "true == false => false", "true < false => false", "1 == \"1\" => error",
        "error =?= error => true",
        // functions
        "member(\"abc\", { \"x\", s }) => true", "member(4, { 1, 2, n }) => false", "member(u, { 1 }) => undefined",
        "member(1, 2) => error", "identicalMember(\"abc\", { s }) => false", "isUndefined(u) => true",
        "isUndefined(s) => false", "IsString(s) => true", "isInteger(n) => true", "isReal(r) => true",
        "isBoolean(true) => true", "isList({}) => true", "isClassAd([a=1]) => true", "isError(1/0) => true",
        "strcat(s, 1, true) => 'Abc1true'", "strcat(s, u) => undefined", "toLower(s) => 'abc'", "TOUPPER(s) => 'ABC'",
        "size(s) => 3", "size({1,2}) => 2", "size([a=1;b=2]) => 2", "substr(s, 1) => 'bc'", "substr(s, -2, 1) => 'b'",
        "regexp(\"^a.c$\", s, \"i\") => true", "regexp(\"^a.c$\", s) => false", "regexp(\"(\", s) => error",
        "stringListMember(\"b\", \"a, b,c\") => true", "int(\"42\") => 42", "int(2.9) => 2", "real(2) => 2.0",
        "string(5) => '5'", "ifThenElse(n > 2, \"big\", \"small\") => 'big'", "noSuchFunction(1) => error",
        // selection and subscripts
        "[a = 1; b = [c = a + 1]].b.c => 2", "{10, 20}[1] => 20", "{10}[5] => error", "[a = 1][\"A\"] => 1",
        "u.x => undefined", "n.x => error"})
    void evaluatesLikeClassAds(String expr, String expected) {
        assertEquals(expected.trim(), eval(expr));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
        "[ a = b; b = a ] => a", "[ a = a + 1 ] => a", "[ a = strcat(b, b); b = strcat(c, c); c = strcat(d, d); d = \"x\" ] => a"})
    void cyclesAndSelfReferenceEndInError(String jdl, String attr) {
        Value v = Jdl.evaluate(Jdl.parse(jdl), attr.trim());
        if (jdl.contains("d = ")) {
            assertEquals(new Value.Str("xxxxxxxx"), v);
        } else {
            assertEquals(Value.ERROR, v);
        }
    }
}
