package dev.grad4j.samples.tracer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The expression language: precedence and associativity, numbers, functions, every error with its position, the limits. */
class ParserTest {

    @Test
    void precedenceIsAdditiveThenMultiplicativeThenUnaryMinusThenPower() {
        Expr e = Parser.parse("a + b * c");
        Expr.Binary sum = assertInstanceOf(Expr.Binary.class, e);
        assertEquals('+', sum.op());
        assertEquals('*', assertInstanceOf(Expr.Binary.class, sum.right()).op());

        Expr.Neg neg = assertInstanceOf(Expr.Neg.class, Parser.parse("-x^2"));      // -(x^2)
        assertEquals('^', assertInstanceOf(Expr.Binary.class, neg.operand()).op());

        Expr.Binary pow = assertInstanceOf(Expr.Binary.class, Parser.parse("a^b^c"));  // a^(b^c)
        assertInstanceOf(Expr.Name.class, pow.left());
        assertEquals('^', assertInstanceOf(Expr.Binary.class, pow.right()).op());

        Expr.Binary diff = assertInstanceOf(Expr.Binary.class, Parser.parse("a - b - c"));  // (a - b) - c
        assertInstanceOf(Expr.Binary.class, diff.left());
        assertInstanceOf(Expr.Name.class, diff.right());

        Expr.Binary quotient = assertInstanceOf(Expr.Binary.class, Parser.parse("a / b * c"));  // (a / b) * c
        assertEquals('*', quotient.op());
        assertEquals('/', assertInstanceOf(Expr.Binary.class, quotient.left()).op());

        Expr.Binary negativeExponent = assertInstanceOf(Expr.Binary.class, Parser.parse("2^-x"));
        assertInstanceOf(Expr.Neg.class, negativeExponent.right());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "(x*w + b)^2          | (x * w + b)^2",
            "(a + b) * b          | (a + b) * b",
            "x*x + x              | x * x + x",
            "a - (b - c)          | a - (b - c)",
            "(a - b) - c          | a - b - c",
            "(a^b)^c              | (a^b)^c",
            "a^(b^c)              | a^b^c",
            "-(x^2)               | -x^2",
            "(-x)^2               | (-x)^2",
            "--x                  | --x",
            "exp(log(tanh(sigmoid(relu(x))))) | exp(log(tanh(sigmoid(relu(x)))))",
            "  .5 * x_1 + 1e-3 / 2.5E+2 | 0.5 * x_1 + 0.001 / 250",
            "((((x))))            | x",
    })
    void writesBackWithTheFewestParenthesesAndReadsBackTheSame(String text, String canonical) {
        Expr e = Parser.parse(text);
        assertEquals(canonical, e.toString());
        assertEquals(canonical, Parser.parse(canonical).toString(), "the canonical form reads back as itself");
    }

    @Test
    void nodesRememberWhereTheyAre() {
        Expr.Binary e = assertInstanceOf(Expr.Binary.class, Parser.parse("(x*w + b)^2"));
        assertEquals(9, e.position());
        Expr.Binary sum = assertInstanceOf(Expr.Binary.class, e.left());
        assertEquals(5, sum.position());
        assertEquals(7, sum.right().position());
        assertEquals(1, assertInstanceOf(Expr.Binary.class, sum.left()).left().position());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''              | 0  | the expression is empty",
            "'   '           | 0  | the expression is empty",
            "x +             | 3  | the expression ends too early",
            "(x*w + b        | 8  | expected ')' to close the '(' at 0",
            "(x*w + b]       | 8  | expected ')' to close the '(' at 0, found ']'",
            "x)              | 1  | unmatched ')'",
            "2x              | 1  | expected an operator (+ - * / ^), found 'x'",
            "x * * y         | 4  | expected a number, a name or '(', found '*'",
            "x $ y           | 2  | expected an operator (+ - * / ^), found '$'",
            "foo(x)          | 0  | unknown function 'foo'",
            "exp x           | 4  | expected '(' after the function exp",
            "exp             | 3  | expected '(' after the function exp",
            "tanh()          | 5  | expected a number, a name or '(', found ')'",
            "1e              | 1  | expected the digits of an exponent after '1e'",
            "1e+ 2           | 1  | expected the digits of an exponent",
            ".               | 0  | expected digits around '.'",
            "1e999           | 0  | the number 1e999 is too large for float64",
            "x + ٣           | 4  | expected a number, a name or '(', found U+0663",
            "x = 1           | 2  | expected an operator (+ - * / ^), found '='",
            "x; y            | 1  | expected an operator",
            "System.exit(1)  | 6  | expected an operator (+ - * / ^), found '.'",
    })
    void malformedExpressionsAreRefusedWithTheirPosition(String text, int position, String message) {
        ParseException e = assertThrows(ParseException.class, () -> Parser.parse(text));
        assertEquals(position, e.position(), e.getMessage());
        assertTrue(e.reason().startsWith(message), e.getMessage());
        assertTrue(e.getMessage().startsWith("position " + position + ": "), e.getMessage());
    }

    @Test
    void anExpressionOverFiveHundredCharactersIsRefusedAtTheLimit() {
        String ok = "x" + " + x".repeat(99);   // 397 characters, 199 nodes
        Parser.parse(ok);
        String tooLong = "x" + " ".repeat(Parser.MAX_LENGTH);
        ParseException e = assertThrows(ParseException.class, () -> Parser.parse(tooLong));
        assertEquals(Parser.MAX_LENGTH, e.position());
        assertEquals("position 500: the expression is 501 characters long; the limit is 500", e.getMessage());
    }

    @Test
    void nestingDeeperThanFiftyIsRefused() {
        Parser.parse("(".repeat(49) + "x" + ")".repeat(49));    // 50 levels with the top one
        ParseException parens = assertThrows(ParseException.class,
                () -> Parser.parse("(".repeat(50) + "x" + ")".repeat(50)));
        assertEquals(50, parens.position());
        assertTrue(parens.reason().startsWith("the expression is nested more than 50 levels deep"), parens.getMessage());
        for (String deep : new String[]{"-".repeat(60) + "x", "x^".repeat(60) + "x", "exp(".repeat(60) + "x" + ")".repeat(60),
                "(".repeat(240) + "x" + ")".repeat(240)}) {
            ParseException e = assertThrows(ParseException.class, () -> Parser.parse(deep));
            assertTrue(e.getMessage().contains("nested more than 50 levels deep"), e.getMessage());
        }
    }

    @Test
    void moreThanTwoHundredNodesAreRefused() {
        Parser.parse("x" + "+x".repeat(99));             // 100 names + 99 sums = 199 nodes
        ParseException e = assertThrows(ParseException.class, () -> Parser.parse("x" + "+x".repeat(100)));
        assertTrue(e.reason().startsWith("the expression has more than 200 nodes"), e.getMessage());
        assertEquals(199, e.position(), "the position of the 201st node, the last sum");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Runtime.getRuntime()", "java.lang.System", "x.getClass()", "'x'", "\"x\"", "x[0]", "{x}",
            "x, y", "new Object()", "x // y", "x ** y", "1__2", "x\u0000"})
    void itIsNotJavaOrJavaScript(String text) {
        assertThrows(ParseException.class, () -> Parser.parse(text));
    }

    @Test
    void randomTextIsParsedOrRefusedWithAPositionNeverAnythingElse() {
        Random random = new Random(12);
        String alphabet = "xyab_01239.eE+-*/^() \t expltanhsigmoidrelu$#";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(40);
            for (int k = 0; k < n; k++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String text = sb.toString();
            try {
                Expr e = Parser.parse(text);
                assertEquals(e.toString(), Parser.parse(e.toString()).toString(), text);
            } catch (ParseException e) {
                assertTrue(e.position() >= 0 && e.position() <= text.length(), text + ": " + e.getMessage());
            }
        }
    }
}
