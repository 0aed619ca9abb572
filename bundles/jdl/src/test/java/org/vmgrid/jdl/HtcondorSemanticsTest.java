package org.vmgrid.jdl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What HTCondor's ClassAd library does beyond the cases of its own tests (read from its sources:
 * value.cpp's conversions, sink.cpp's unparser, fnCall.cpp's functions, operators.cpp), and what
 * vmgrid does where that library would make a value vmgrid does not have (infinite reals, strings
 * that are not UTF-8).
 */
class HtcondorSemanticsTest {

    static String eval(String expr) {
        Value v = Jdl.evaluate(Jdl.parseExpression(expr), Jdl.parse("[ L = { A, 1 + 1 }; A = 1; R = [ x = A * 2 ] ]"), null);
        return show(v);
    }

    static String show(Value v) {
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
        if (v instanceof Value.ListValue l) {
            return l.items().stream().map(HtcondorSemanticsTest::show).toList().toString();
        }
        return v.typeName();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
        // int() and real() read a string as C's strtod: leading space, partial numbers, hex, exponents
        "int(\" 42\") => 42", "int(\"12abc\") => 12", "int(\"1e3\") => 1000", "int(\"-0.5\") => 0", "int(\"\") => error",
        "int(\"+7\") => 7", "real(\"0x10\") => 16.0", "real(\"0x1p-2\") => 0.25", "real(\".5x\") => 0.5", "real(\"0x\") => 0.0",
        "real(\"1e\") => 1.0", "real(\"-\") => error", "real(\" \") => error",
        // vmgrid keeps reals finite: what HTCondor would read as infinity or NaN is error
        "real(\"inf\") => error", "real(\"nan\") => error", "real(\"1e400\") => error", "int(\"1e30\") => error",
        "int(1e30) => error", "real(\"1e-400\") => 0.0", "-1.0 / 0 => error", "9223372036854775807 * 2 => error",
        // a record's attribute is looked up in that record only
        "[a = 1; r = [b = 2]].r.a => undefined", "[a = 1; r = [b = a]].r.b => 1",
        // string() as HTCondor's unparser writes values
        "string(0.1) => '1.000000000000000E-01'", "string(-2.5) => '-2.500000000000000E+00'", "string(-0.0) => '-0.0'",
        "string(1e300) => '1.000000000000000E+300'", "string(123456789012345678.0) => '1.234567890123457E+17'",
        "string(L) => '{ A,1 + 1 }'", "string({}) => '{  }'", "string(R) => '[ x = A * 2 ]'", "string([]) => '[  ]'",
        "string({ -3, - 2.5, \"q\\\"\", {true} }) => '{ -3,-2.500000000000000E+00,\"q\\\"\",{ true } }'",
        "string({ a =?= b, !x, f(1, 2), s.t, u[0], (1 + 2) * 3, c ? d : e }) => '{ a is b, !x,f(1,2),s.t,u[0],(1 + 2) * 3,c ? d : e }'",
        "string({ \"é\\t\" }) => '{ \"\\303\\251\\t\" }'", "string(L.x) => '{ error,error }'",
        "strcat(1.5, \"|\", {1}) => '1.500000000000000E+00|{ 1 }'", "toUpper(R) => '[ X = A * 2 ]'", "toLower(1e3) => '1.000000000000000e+03'",
        // strings are bytes: size and substr count UTF-8 bytes, case is ASCII-only, == ignores ASCII case only
        "size(\"é\") => 2", "size(\"€\") => 3", "size(\"😀\") => 4", "substr(\"héllo\", 3) => 'llo'",
        "substr(\"héllo\", 0, 3) => 'hé'", "substr(\"héllo\", 2) => error", "substr(\"héllo\", 0, 2) => error",
        "toUpper(\"héllo\") => 'HéLLO'", "\"É\" == \"é\" => false", "\"Straße\" == \"STRAßE\" => true", "\"é\" > \"z\" => true",
        "\"\\303\\251\" == \"é\" => true",
        // selection over lists
        "{ [a = 1], [b = 2] }.a => [1, undefined]", "{ 1, [a = 1], undefined }.a => [error, 1, undefined]",
        "{ { [a = 1] }, {} }.a => [[1], []]", "L.x => [error, error]",
        // booleans as numbers and numbers as booleans
        "true + 1 => 2", "true * 2.5 => 2.5", "false < true => true", "!0.0 => true", "-true => error",
        "true =?= 1 => false", "member(true, { 1 }) => true", "identicalMember(true, { 1 }) => false",
        "0 || undefined => undefined", "2 && \"x\" => error",
        // member and identicalMember follow HTCondor's order of checks
        "identicalMember(undefined, { undefined }) => true", "identicalMember(error, { error }) => true",
        "member(error, undefined) => undefined", "member(error, { 1 }) => error", "member({ 1 }, { 1 }) => error",
        // =?= compares no lists and no records
        "L =?= L => error", "R =!= R => error", "0.0 =?= -0.0 => true", "0.0 == -0.0 => true",
        // stringListMember is case-sensitive; stringListIMember is not; undefined counts as ""
        "stringListMember(\"A\", \"a, b\") => false", "stringListIMember(\"A\", \"a, b\") => true",
        "stringListMember(\"b\", \" a ,\\t b \") => true", "stringListMember(\"a b\", \"a b, c\") => false",
        "stringListMember(\"b\", \"a;b\", \";\") => true", "stringListMember(\"\", \"a,,b\") => false",
        "stringListMember(undefined, \"a\") => false", "stringListMember(undefined, undefined) => undefined",
        "stringListMember(1, \"1\") => error",
        // regexp: options are lower-case letters; caseless is ASCII only; error wins over undefined
        "regexp(\"A\", \"a\", \"I\") => false", "regexp(\"É\", \"é\", \"i\") => false", "regexp(1, undefined) => undefined",
        "regexp(error, undefined) => error",
        // reals written .5
        ".5 * 4 => 2.0", "-.25 => -0.25", "1.5e1 => 15.0"})
    void followsHtcondorsLibrary(String expr, String expected) {
        assertEquals(expected.trim(), eval(expr));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
        "[ a = 5. ] => number 5. ends in '.'; write 5.0 for a real",
        "[ a = 1.e3 ] => number 1. ends in '.'",
        "[ a = b ?: 7 ] => '?:' (x ?: y, current HTCondor's default operator) is not JDL",
        "[ a = \"\\351\" ] => octal escapes from \\200 up are bytes and must spell UTF-8 characters",
        "[ a = \"\\303\" ] => must spell UTF-8"})
    void refusesWhatJdlDoesNotRead(String jdl, String message) {
        JdlSyntaxException e = assertThrows(JdlSyntaxException.class, () -> Jdl.parse(jdl));
        assertTrue(e.getMessage().contains(message.trim()), e.getMessage());
    }

    @Test
    void escapesHtcondorWritesParseBack() {
        ClassAd ad = Jdl.parse("[ a = \"\\a\\v\\303\\251\\101\"; s = string({ a }) ]");
        assertEquals(new Value.Str("\u0007\u000béA"), Jdl.evaluate(ad, "a"));
        assertEquals(new Value.Str("{ a }"), Jdl.evaluate(ad, "s"));
        ClassAd text = Jdl.parse("[ l = { \"\\a\\v\\303\\251\\\"\" }; t = string(l) ]");
        String printed = ((Value.Str) Jdl.evaluate(text, "t")).value();
        assertEquals("{ \"\\a\\v\\303\\251\\\"\" }", printed);
        assertEquals(Jdl.evaluate(text, "l"), Jdl.evaluate(Jdl.parse("[ l = " + printed + " ]"), "l"),
                "what string() writes reads back as the same list");
    }

    @Test
    void printerWritesANumberBeforeASelectionSoThatItParsesBack() {
        Expr e = new Expr.Select(new Expr.Literal(new Value.Int(5)), "a");
        assertEquals("(5).a", Jdl.print(e));
        assertEquals(e, Jdl.parseExpression(Jdl.print(e)));
    }

    @Test
    void aStringOfAListLongerThanAFunctionMayBuildIsError() {
        String jdl = "[ s = strcat(" + "\"0123456789abcdef\", ".repeat(4096) + "\"\"); l = { " + "[a = s], ".repeat(2000)
                + "[a = s] }; t = string(l.a); n = size(strcat(l.a)) ]";
        ClassAd ad = Jdl.parse(jdl);
        assertEquals(Value.ERROR, Jdl.evaluate(ad, "t"), "longer than a function may build");
        assertEquals(Value.ERROR, Jdl.evaluate(ad, "n"));
    }
}
