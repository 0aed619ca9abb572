package org.vmgrid.jdl.internal;

/** The kinds of token the lexer produces. */
enum Token {
    EOF("end of input"), IDENT("a name"), INT("a number"), REAL("a number"), STRING("a string"),
    LBRACKET("'['"), RBRACKET("']'"), LPAREN("'('"), RPAREN("')'"), LBRACE("'{'"), RBRACE("'}'"),
    SEMI("';'"), COMMA("','"), DOT("'.'"), QUESTION("'?'"), COLON("':'"), ASSIGN("'='"),
    OP("an operator"), TRUE("true"), FALSE("false"), UNDEFINED("undefined"), ERROR("error");

    final String description;

    Token(String description) {
        this.description = description;
    }
}
