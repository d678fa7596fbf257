package dev.grad4j.data;

import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A data file that cannot be read as asked: missing, a directory, empty, not text, or with a value
 * that does not fit (a ragged row, text in a numeric column, an unknown column). The message is one
 * line naming the file and, where they apply, the line (counted from 1, as editors do) and the
 * column (its header name and its index, counted from 0 as {@link Csv#label(int)} counts):
 *
 * <pre>
 * iris.csv line 7, column 'sepal_length' (index 0): "abc" is not a number
 * </pre>
 *
 * It is an {@link IllegalArgumentException}: the path (or what it holds) is a bad argument.
 */
public final class DataFileException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final long line;
    private final int column;

    DataFileException(String file, long line, int column, String message) {
        super(message);
        this.file = file;
        this.line = line;
        this.column = column;
    }

    DataFileException(String file, String message) {
        this(file, 0, -1, message);
    }

    DataFileException(String file, String message, Throwable cause) {
        this(file, 0, -1, message);
        initCause(cause);
    }

    /** The file (or resource) as the caller named it. */
    public String file() {
        return file;
    }

    /** The line of the file the problem is on, counted from 1; empty when it concerns the whole file. */
    public OptionalLong line() {
        return line > 0 ? OptionalLong.of(line) : OptionalLong.empty();
    }

    /** The column the problem is in, counted from 0; empty when it concerns a whole line or the file. */
    public OptionalInt column() {
        return column >= 0 ? OptionalInt.of(column) : OptionalInt.empty();
    }
}
