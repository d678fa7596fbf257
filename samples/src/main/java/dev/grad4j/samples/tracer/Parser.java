package dev.grad4j.samples.tracer;

import java.util.Set;

/**
 * A hand-written recursive-descent parser for the tracer's expressions. It builds a syntax tree
 * and evaluates nothing: the text never runs as code.
 *
 * <pre>
 * expression := term (('+' | '-') term)*
 * term       := unary (('*' | '/') unary)*
 * unary      := '-' unary | power
 * power      := primary ('^' unary)?            right-associative: a^b^c = a^(b^c), 2^-x
 * primary    := number | name | function '(' expression ')' | '(' expression ')'
 * function   := exp | log | tanh | sigmoid | relu
 * number     := digits ['.' digits] [('e' | 'E') ['+' | '-'] digits]   (or '.' digits ...)
 * name       := letter (letter | digit | '_')*
 * </pre>
 *
 * So {@code -x^2} is {@code -(x^2)} and {@code a - b - c} is {@code (a - b) - c}. Spaces are
 * ignored. Every error is a {@link ParseException} with its position; so are the limits: at most
 * {@value #MAX_LENGTH} characters, {@value #MAX_DEPTH} levels of nesting (parentheses, calls, unary
 * minus, exponents) and {@value #MAX_NODES} nodes.
 */
public final class Parser {

    /** Longest expression accepted, in characters. */
    public static final int MAX_LENGTH = 500;
    /** Deepest nesting accepted. */
    public static final int MAX_DEPTH = 50;
    /** Most nodes (numbers, names, operations, calls) in one expression. */
    public static final int MAX_NODES = 200;
    /** The functions the language knows. */
    public static final Set<String> FUNCTIONS = Set.of("exp", "log", "tanh", "sigmoid", "relu");

    private final String text;
    private int pos;
    private int depth;
    private int nodes;

    private Parser(String text) {
        this.text = text;
    }

    /** Parses {@code text} into its syntax tree. */
    public static Expr parse(String text) {
        if (text == null) {
            throw new ParseException(0, "no expression");
        }
        if (text.length() > MAX_LENGTH) {
            throw new ParseException(MAX_LENGTH, "the expression is " + text.length() + " characters long; the limit is "
                    + MAX_LENGTH);
        }
        Parser p = new Parser(text);
        p.skipSpaces();
        if (p.pos == text.length()) {
            throw new ParseException(0, "the expression is empty");
        }
        Expr e = p.expression();
        if (p.pos < text.length()) {
            char c = text.charAt(p.pos);
            throw new ParseException(p.pos, c == ')' ? "unmatched ')'" : "expected an operator (+ - * / ^), found " + show(c));
        }
        return e;
    }

    private Expr expression() {
        Expr left = term();
        while (peek('+') || peek('-')) {
            int at = pos;
            char op = text.charAt(pos++);
            left = count(new Expr.Binary(op, left, term(), at));
        }
        return left;
    }

    private Expr term() {
        Expr left = unary();
        while (peek('*') || peek('/')) {
            int at = pos;
            char op = text.charAt(pos++);
            left = count(new Expr.Binary(op, left, unary(), at));
        }
        return left;
    }

    private Expr unary() {
        if (++depth > MAX_DEPTH) {
            throw new ParseException(pos, "the expression is nested more than " + MAX_DEPTH + " levels deep");
        }
        Expr e;
        if (peek('-')) {
            int at = pos++;
            e = count(new Expr.Neg(unary(), at));
        } else {
            e = power();
        }
        depth--;
        return e;
    }

    private Expr power() {
        Expr base = primary();
        if (peek('^')) {
            int at = pos++;
            return count(new Expr.Binary('^', base, unary(), at));
        }
        return base;
    }

    private Expr primary() {
        skipSpaces();
        if (pos == text.length()) {
            throw new ParseException(pos, "the expression ends too early: expected a number, a name or '('");
        }
        int at = pos;
        char c = text.charAt(pos);
        if (c == '(') {
            pos++;
            Expr inner = expression();
            expect(')', at);
            return inner;
        }
        if (isDigit(c) || c == '.') {
            return count(number());
        }
        if (isLetter(c)) {
            while (pos < text.length() && (isLetter(text.charAt(pos)) || isDigit(text.charAt(pos)))) {
                pos++;
            }
            String name = text.substring(at, pos);
            if (peek('(')) {
                if (!FUNCTIONS.contains(name)) {
                    throw new ParseException(at, "unknown function '" + name + "'; the functions are exp, log, tanh, sigmoid "
                            + "and relu");
                }
                int open = pos++;
                Expr argument = expression();
                expect(')', open);
                return count(new Expr.Call(name, argument, at));
            }
            if (FUNCTIONS.contains(name)) {
                throw new ParseException(pos, "expected '(' after the function " + name);
            }
            return count(new Expr.Name(name, at));
        }
        throw new ParseException(at, "expected a number, a name or '(', found " + show(c));
    }

    private Expr.Num number() {
        int at = pos;
        digits();
        if (pos < text.length() && text.charAt(pos) == '.') {
            pos++;
            digits();
        }
        if (pos - at == 1 && text.charAt(at) == '.') {
            throw new ParseException(at, "expected digits around '.'");
        }
        if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            int e = pos++;
            if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
                pos++;
            }
            if (pos == text.length() || !isDigit(text.charAt(pos))) {
                throw new ParseException(e, "expected the digits of an exponent after '" + text.substring(at, pos) + "'");
            }
            digits();
        }
        double v = Double.parseDouble(text.substring(at, pos));
        if (!Double.isFinite(v)) {
            throw new ParseException(at, "the number " + text.substring(at, pos) + " is too large for float64");
        }
        return new Expr.Num(v, at);
    }

    private void digits() {
        while (pos < text.length() && isDigit(text.charAt(pos))) {
            pos++;
        }
    }

    private void expect(char c, int opened) {
        skipSpaces();
        if (pos == text.length()) {
            throw new ParseException(pos, "expected '" + c + "' to close the '(' at " + opened);
        }
        if (text.charAt(pos) != c) {
            throw new ParseException(pos, "expected '" + c + "' to close the '(' at " + opened + ", found "
                    + show(text.charAt(pos)));
        }
        pos++;
    }

    /** True if the next non-space character is {@code c} (and stops in front of it). */
    private boolean peek(char c) {
        skipSpaces();
        return pos < text.length() && text.charAt(pos) == c;
    }

    private void skipSpaces() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private <T extends Expr> T count(T e) {
        if (++nodes > MAX_NODES) {
            throw new ParseException(e.position(), "the expression has more than " + MAX_NODES + " nodes");
        }
        return e;
    }

    /** ASCII letters and '_' only: names stay plain identifiers. */
    private static boolean isLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String show(char c) {
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }
}
