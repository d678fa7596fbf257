package dev.grad4j.samples.tracer;

/**
 * An expression the tracer refuses, with the position (0-based, in characters) where it went wrong:
 * {@code position 8: expected ')' to close the '(' at 0}. Too long, too deep and too big are parse
 * errors too.
 */
public final class ParseException extends RuntimeException {

    private final int position;
    private final String reason;

    public ParseException(int position, String reason) {
        super("position " + position + ": " + reason);
        this.position = position;
        this.reason = reason;
    }

    /** What is wrong, without the position. */
    public String reason() {
        return reason;
    }

    /** Where in the expression, counted in characters from 0. */
    public int position() {
        return position;
    }
}
