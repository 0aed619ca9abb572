package org.vmgrid.jdl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SyntaxErrorTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
        "[ Executable = \"a\" Arguments = \"b\"; ] => 1 => 20 => expected ';' or ']' after the value of Executable",
        "[\\n  Executable = ;\\n] => 2 => 16 => expected a value, found ';'",
        "[ a = \"unterminated ] => 1 => 7 => string is never closed",
        "[ a = 1; A = 2 ] => 1 => 10 => attribute A is defined twice",
        "[ a = 1 + ; ] => 1 => 11 => expected a value",
        "[ a = 1 => 1 => 8 => expected ';' or ']' after the value of a",
        "[ a = 'x' ] => 1 => 7 => strings are written in double quotes",
        "[ a = \"\\q\" ] => 1 => 8 => unknown escape",
        "[ a = 1 & 2 ] => 1 => 9 => write '&&'",
        "[ a = 123abc ] => 1 => 10 => a number runs into a name",
        "[ a = 99999999999999999999 ] => 1 => 7 => too large",
        "[ a = f(1 2) ] => 1 => 11 => expected ',' or ')' in the call of f",
        "[ a = { 1 2 } ] => 1 => 11 => expected ',' or '}' in the list",
        "[ true = 1 ] => 1 => 3 => reserved word",
        "[ a = 1 ] b = 2 => 1 => 11 => expected the end of the JDL",
        "[ a = 1 /* never closed ] => 1 => 9 => comment '/*' is never closed",
        "[ a = other. ] => 1 => 14 => expected an attribute name after 'other.'",
        "[ a = 1 ? 2 ] => 1 => 13 => expected ':'"})
    void errorsNameLineColumnAndProblem(String jdl, int line, int column, String problem) {
        JdlSyntaxException e = assertThrows(JdlSyntaxException.class, () -> Jdl.parse(jdl.replace("\\n", "\n")));
        assertTrue(e.problem().contains(problem), e.getMessage());
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(column, e.column(), e.getMessage());
        assertTrue(e.getMessage().startsWith("line " + line + ", column " + column + ": "), e.getMessage());
    }

    @Test
    void snippetShowsTheLineWithACaretUnderTheColumn() {
        JdlSyntaxException e = assertThrows(JdlSyntaxException.class,
                () -> Jdl.parse("[\n  Executable = \"/bin/sh\";\n  Arguments = \"-c\" \"x\";\n]"));
        assertEquals("    Arguments = \"-c\" \"x\";\n                     ^", e.snippet());
    }

    @Test
    void expressionErrorsCanBeNumberedFromTheLineTheyCameFrom() {
        JdlSyntaxException e = assertThrows(JdlSyntaxException.class, () -> Jdl.parseExpression("a &&", 7));
        assertEquals(7, e.line());
        assertEquals(5, e.column());
    }
}
