package dev.grad4j.samples.tracer;

import java.util.Locale;

/**
 * The syntax tree of a tracer expression. Each node remembers where it is in the text
 * ({@code position}: where a number, name or call starts, where an operation's operator is), so
 * later messages can point at it; {@code toString} writes it back with the fewest parentheses that
 * keep its meaning.
 */
public sealed interface Expr {

    /** Where this node is in the expression, counted from 0. */
    int position();

    /** A number literal, {@code 2.5}. */
    record Num(double value, int position) implements Expr {
        @Override
        public String toString() {
            return format(value);
        }
    }

    /** A name, {@code x}: an input of the expression. */
    record Name(String name, int position) implements Expr {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Unary minus, {@code -x}. */
    record Neg(Expr operand, int position) implements Expr {
        @Override
        public String toString() {
            return "-" + wrap(operand, 3);
        }
    }

    /** {@code a + b}, {@code a - b}, {@code a * b}, {@code a / b} or {@code a ^ b}. */
    record Binary(char op, Expr left, Expr right, int position) implements Expr {
        @Override
        public String toString() {
            int p = precedence(this);
            // ^ is right-associative; + - * / are left-associative
            String l = op == '^' ? wrap(left, p + 1) : wrap(left, p);
            String r = op == '^' ? wrap(right, p) : wrap(right, p + 1);
            return op == '^' ? l + "^" + r : l + " " + op + " " + r;
        }
    }

    /** One of the functions {@code exp log tanh sigmoid relu} applied to an argument. */
    record Call(String function, Expr argument, int position) implements Expr {
        @Override
        public String toString() {
            return function + "(" + argument + ")";
        }
    }

    /** 1 for + -, 2 for * /, 3 for unary minus, 4 for ^, 5 for atoms. */
    private static int precedence(Expr e) {
        if (e instanceof Binary b) {
            return switch (b.op()) {
                case '+', '-' -> 1;
                case '*', '/' -> 2;
                default -> 4;
            };
        }
        return e instanceof Neg ? 3 : 5;
    }

    private static String wrap(Expr e, int atLeast) {
        return precedence(e) < atLeast ? "(" + e + ")" : e.toString();
    }

    /** A number as it would be typed: {@code 2}, {@code 0.5}, {@code 1.0E-6}. */
    static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v).toLowerCase(Locale.ROOT);
    }
}
