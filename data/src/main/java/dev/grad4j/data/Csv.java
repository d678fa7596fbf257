package dev.grad4j.data;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.grad4j.api.Backend;
import dev.grad4j.api.DType;
import dev.grad4j.api.Defaults;
import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Variable;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a CSV file into a {@link Dataset}: say which column is the label, then load, split or scale.
 *
 * <pre>{@code
 * var data = Csv.read(path).label("species").split(0.8, 0.2).standardize();
 * Dataset d = Csv.read("houses.csv.gz").columns("rooms", "area").label("price").regression().load();
 * }</pre>
 *
 * <ul>
 *   <li><b>Format</b>: RFC 4180 (quoted fields may hold the delimiter, quotes doubled as
 *       {@code ""}, and line breaks), UTF-8 with or without a byte-order mark, {@code ,} unless
 *       {@link #delimiter(char)}; blank lines are skipped. A gzip file ({@code .csv.gz}) is
 *       recognised by its first bytes and read as it is.</li>
 *   <li><b>Header</b>: the first line names the columns unless {@link #noHeader()} (a first line
 *       of numbers only is refused rather than taken for names: say {@link #noHeader()} or
 *       {@link #header()});
 *       {@link #scikitLearnFormat()} reads the {@code n_samples,n_features,class names...} first
 *       line of scikit-learn's bundled CSV files.</li>
 *   <li><b>Columns</b>: every column but the label is a feature unless {@link #columns(String...)}
 *       picks them. Feature values must be numbers: a missing value, {@code NaN}, {@code inf} or
 *       text is refused with its line and column.</li>
 *   <li><b>Labels</b> ({@link #label(String)}): a column holding any text is a class label, its
 *       distinct values numbered in sorted order ({@link Dataset#classNames()}); a numeric column of
 *       whole numbers {@code >= 0} holds class indices as written (numbers {@code 0..max}); any other
 *       numeric column holds regression targets. {@link #classification()} and
 *       {@link #regression()} say which instead of inferring it; mind that a numeric target that
 *       happens to hold only whole numbers (an age, a count) needs {@link #regression()}. Without a
 *       label column the dataset is unlabeled.</li>
 *   <li><b>Tensors</b>: features {@code (N, F)} and labels are made on the defaults scope's backend,
 *       in its dtype ({@code using("simd")}, {@code using(DType.FLOAT64)}), when the file is
 *       loaded.</li>
 * </ul>
 *
 * <p>A problem stops the load with a {@link DataFileException} whose one-line message names the
 * file, the line (from 1) and the column (header name and index from 0):
 * {@code iris.csv line 12: 4 values, expected 5 (the header has 5 columns)},
 * {@code iris.csv line 7, column 'sepal_length' (index 0): "abc" is not a number}.
 *
 * <p>A {@code Csv} is an immutable description of how to read: each option returns a new one, and
 * {@link #load()} reads the file each time it is called.
 */
public final class Csv {

    private enum Header { NAMES, NONE, SCIKIT_LEARN }

    private enum Task { INFER, CLASSIFICATION, REGRESSION }

    /** Largest number of classes a whole-number label column is taken to have (guards against an ID column read as labels). */
    static final int MAX_CLASSES = 1 << 16;

    private static final Pattern STARTED_IN_LINE = Pattern.compile("started in line (\\d+)");

    /** Where the bytes come from and what to call them in messages. */
    private interface Source {
        String name();

        InputStream open() throws IOException;
    }

    private final Source source;
    private Header header = Header.NAMES;
    private boolean headerAsked;
    private char delimiter = ',';
    private List<String> columnNames;
    private int[] columnIndices;
    private String labelName;
    private Integer labelIndex;
    private Task task = Task.INFER;
    private List<String> classNames;

    private Csv(Source source) {
        this.source = source;
    }

    private Csv copy() {
        Csv c = new Csv(source);
        c.header = header;
        c.headerAsked = headerAsked;
        c.delimiter = delimiter;
        c.columnNames = columnNames;
        c.columnIndices = columnIndices;
        c.labelName = labelName;
        c.labelIndex = labelIndex;
        c.task = task;
        c.classNames = classNames;
        return c;
    }

    // =================================================================== sources

    /** A reader of the CSV (or gzip-compressed CSV) file at {@code file}; nothing is read until {@link #load()}. */
    public static Csv read(Path file) {
        Objects.requireNonNull(file, "file must not be null");
        String name = file.toString();
        return new Csv(new Source() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public InputStream open() throws IOException {
                if (!Files.exists(file)) {
                    throw new DataFileException(name, "cannot read " + name + ": no such file"
                            + (file.isAbsolute() ? "" : " (looked for " + file.toAbsolutePath() + ")"));
                }
                if (Files.isDirectory(file)) {
                    throw new DataFileException(name, "cannot read " + name + ": it is a directory, not a CSV file");
                }
                try {
                    return Files.newInputStream(file);
                } catch (NoSuchFileException e) {
                    throw new DataFileException(name, "cannot read " + name + ": no such file", e);
                } catch (AccessDeniedException e) {
                    throw new DataFileException(name, "cannot read " + name + ": permission denied", e);
                }
            }
        });
    }

    /** A reader of the file at path {@code file} ({@code Csv.read("data/iris.csv")}). */
    public static Csv read(String file) {
        Objects.requireNonNull(file, "file must not be null");
        return read(Path.of(file));
    }

    /**
     * A reader of the CSV at {@code url}, typically a resource shipped in a jar:
     * {@code Csv.read(MyApp.class.getResource("/data/iris.csv"))}.
     *
     * @throws NullPointerException for a null URL (what {@code getResource} returns for a resource it did not find)
     */
    public static Csv read(URL url) {
        Objects.requireNonNull(url, "url is null (did getResource find the resource? it returns null when not)");
        String name = url.toString();
        return new Csv(new Source() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public InputStream open() throws IOException {
                try {
                    return url.openStream();
                } catch (FileNotFoundException e) {
                    throw new DataFileException(name, "cannot read " + name + ": no such file or resource", e);
                }
            }
        });
    }

    // =================================================================== options

    /**
     * The first line names the columns. That is the default; say it to accept a header whose names
     * are all numbers ({@code 400,410,420} for wavelengths), which is otherwise refused as a data
     * line read as a header (it would lose a row silently).
     */
    public Csv header() {
        Csv c = copy();
        c.header = Header.NAMES;
        c.headerAsked = true;
        return c;
    }

    /** The first line is data, not column names; columns are then selected by index and named {@code "0", "1", ...}. */
    public Csv noHeader() {
        Csv c = copy();
        c.header = Header.NONE;
        return c;
    }

    /**
     * The file is in the format of scikit-learn's bundled CSV files (and of this project's
     * {@code shared/data}): its first line is {@code n_samples,n_features} followed by the class
     * names, if any ({@code 150,4,setosa,versicolor,virginica}); then each row holds
     * {@code n_features} features and the label, last. The label is the last column unless
     * {@link #label(int)} says otherwise, the class names come from the first line, and the row and
     * column counts are checked against it.
     */
    public Csv scikitLearnFormat() {
        Csv c = copy();
        c.header = Header.SCIKIT_LEARN;
        return c;
    }

    /**
     * Fields are separated by {@code delimiter} ({@code ';'}, {@code '\t'}, ...) instead of {@code ','}.
     *
     * @throws IllegalArgumentException for a quote or a line break
     */
    public Csv delimiter(char delimiter) {
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
            throw new IllegalArgumentException("the delimiter cannot be " + printable(delimiter)
                    + " (quotes and line breaks have their own meaning in CSV)");
        }
        Csv c = copy();
        c.delimiter = delimiter;
        return c;
    }

    /**
     * The feature columns, by header name, in this order (by default every column but the label).
     *
     * @throws IllegalArgumentException for no names or a repeated name
     */
    public Csv columns(String... names) {
        Objects.requireNonNull(names, "names must not be null");
        List<String> list = List.of(names);
        if (list.isEmpty()) {
            throw new IllegalArgumentException("columns needs at least one column name");
        }
        if (new TreeSet<>(list).size() != list.size()) {
            throw new IllegalArgumentException("columns names a column twice: " + list);
        }
        Csv c = copy();
        c.columnNames = list;
        c.columnIndices = null;
        return c;
    }

    /**
     * The feature columns, by index from 0 ({@code -1} is the last column), in this order.
     *
     * @throws IllegalArgumentException for no indices
     */
    public Csv columns(int... indices) {
        Objects.requireNonNull(indices, "indices must not be null");
        if (indices.length == 0) {
            throw new IllegalArgumentException("columns needs at least one column index");
        }
        Csv c = copy();
        c.columnIndices = indices.clone();
        c.columnNames = null;
        return c;
    }

    /** The label column, by header name. */
    public Csv label(String name) {
        Csv c = copy();
        c.labelName = Objects.requireNonNull(name, "name must not be null");
        c.labelIndex = null;
        return c;
    }

    /** The label column, by index from 0; {@code -1} is the last column, {@code -2} the one before. */
    public Csv label(int index) {
        Csv c = copy();
        c.labelIndex = index;
        c.labelName = null;
        return c;
    }

    /**
     * The label column holds class labels: text (numbered in sorted order, or by
     * {@link #classNames}) or whole numbers {@code >= 0} (class indices). A fractional number is then
     * an error instead of making the column a regression target.
     */
    public Csv classification() {
        Csv c = copy();
        c.task = Task.CLASSIFICATION;
        return c;
    }

    /** The label column holds numeric regression targets (even when they are all whole numbers); the labels are {@code (N, 1)}. */
    public Csv regression() {
        Csv c = copy();
        c.task = Task.REGRESSION;
        return c;
    }

    /**
     * Names the classes, index {@code i} being {@code names[i]}: text labels are numbered by their
     * position here (a label not listed is an error), whole-number labels are indices into it.
     * Implies {@link #classification()}.
     *
     * @throws IllegalArgumentException for no names or a repeated name
     */
    public Csv classNames(String... names) {
        Objects.requireNonNull(names, "names must not be null");
        List<String> list = List.of(names);
        if (list.isEmpty() || new TreeSet<>(list).size() != list.size()) {
            throw new IllegalArgumentException("classNames needs distinct names, got " + list);
        }
        Csv c = copy();
        c.classNames = list;
        c.task = Task.CLASSIFICATION;
        return c;
    }

    // =================================================================== loading

    /** {@code load().split(fractions)}: see {@link Dataset#split(double...)}. */
    public Split split(double... fractions) {
        return load().split(fractions);
    }

    /** {@code load().split(seed, fractions)}: see {@link Dataset#split(long, double...)}. */
    public Split split(long seed, double... fractions) {
        return load().split(seed, fractions);
    }

    /** {@code load().stratifiedSplit(fractions)}: see {@link Dataset#stratifiedSplit(double...)}. */
    public Split stratifiedSplit(double... fractions) {
        return load().stratifiedSplit(fractions);
    }

    /** {@code load().stratifiedSplit(seed, fractions)}: see {@link Dataset#stratifiedSplit(long, double...)}. */
    public Split stratifiedSplit(long seed, double... fractions) {
        return load().stratifiedSplit(seed, fractions);
    }

    /**
     * Reads the file into a dataset on the defaults scope's backend, in its dtype.
     *
     * @throws DataFileException for a missing file, a directory, a file that is empty, not UTF-8
     *         text, badly quoted, ragged or holds a value that does not fit its column; for an
     *         unknown column
     * @throws UncheckedIOException for another I/O error, naming the file
     */
    public Dataset load() {
        Backend backend = Defaults.backend();
        DType dtype = Defaults.dtype();
        String name = source.name();
        Loader loader = new Loader(name);
        try (InputStream raw = source.open();
             Reader text = textOf(raw);
             CsvReader<CsvRecord> csv = CsvReader.builder()
                     .fieldSeparator(delimiter)
                     .skipEmptyLines(true)
                     .allowExtraFields(true)
                     .allowMissingFields(true)
                     .ofCsvRecord(text)) {
            for (CsvRecord r : csv) {
                loader.accept(r);
            }
        } catch (CsvParseException e) {
            throw parseProblem(name, e);
        } catch (UncheckedIOException e) {
            throw ioProblem(name, e.getCause());
        } catch (IOException e) {
            throw ioProblem(name, e);
        }
        return loader.finish(backend, dtype);
    }

    private static Reader textOf(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        InputStream bytes = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
        // A new decoder reports malformed input (an InputStreamReader given a Charset replaces it silently).
        PushbackReader r = new PushbackReader(new InputStreamReader(bytes, StandardCharsets.UTF_8.newDecoder()), 1);
        int first = r.read();
        if (first != -1 && first != '\uFEFF') {
            r.unread(first);
        }
        return r;
    }

    /** FastCSV's "Exception when reading record that started in line 2" with its cause, as "f.csv line 2: cause". */
    private static DataFileException parseProblem(String name, CsvParseException e) {
        String cause = e.getCause() != null && e.getCause() != e ? e.getCause().getMessage() : null;
        Matcher m = STARTED_IN_LINE.matcher(String.valueOf(e.getMessage()));
        if (m.find() && cause != null) {
            long line = Long.parseLong(m.group(1));
            String what = cause.isEmpty() ? cause : Character.toLowerCase(cause.charAt(0)) + cause.substring(1);
            return new DataFileException(name, line, -1, name + " line " + line + ": " + oneLine(what));
        }
        return new DataFileException(name, name + ": " + oneLine(e.getMessage() + (cause != null ? " (" + cause + ")" : "")));
    }

    private static RuntimeException ioProblem(String name, IOException e) {
        if (e instanceof CharacterCodingException) {
            return new DataFileException(name, "cannot read " + name + ": it is not UTF-8 text (" + e + ")", e);
        }
        if (e instanceof ZipException || e instanceof EOFException) {
            return new DataFileException(name, "cannot read " + name + ": corrupt or truncated gzip data ("
                    + e.getMessage() + ")", e);
        }
        return new UncheckedIOException("cannot read " + name + ": " + e, e);
    }

    // =================================================================== the work of one load

    /** One pass over the records: header, column resolution, values; then the labels and tensors. */
    private final class Loader {

        private final String file;
        private boolean started;
        private String[] headerNames;
        private long headerLine;
        private int expected;
        private String expectedWhy;
        private int[] featureCols;
        private int labelCol = -1;
        private long announcedRows = -1;
        private List<String> lineOneClassNames = List.of();
        private boolean scikitLearnLike;

        private double[] values = new double[1024];
        private int count;
        private final List<String> labelValues = new ArrayList<>();
        private long[] lines = new long[256];
        private int rows;

        Loader(String file) {
            this.file = file;
        }

        void accept(CsvRecord r) {
            long line = r.getStartingLineNumber();
            if (!started) {
                started = true;
                switch (header) {
                    case NAMES -> {
                        headerNames = new String[r.getFieldCount()];
                        for (int i = 0; i < headerNames.length; i++) {
                            headerNames[i] = r.getField(i).strip();
                        }
                        headerLine = line;
                        expected = headerNames.length;
                        expectedWhy = "the header has " + plural(expected, "column");
                        scikitLearnLike = headerNames.length >= 2 && isCount(headerNames[0]) && isCount(headerNames[1]);
                        if (!headerAsked && allNumbers(headerNames)) {
                            throw new DataFileException(file, line, -1, file + " line " + line + ": every column name is a number ("
                                    + abbreviate(String.join(",", headerNames)) + "): the file seems to have no header; read it with"
                                    + " .noHeader(), or with .header() if these are the names" + scikitLearnHint());
                        }
                        resolve();
                        return;
                    }
                    case SCIKIT_LEARN -> {
                        readScikitLearnLine(r, line);
                        resolve();
                        return;
                    }
                    case NONE -> {
                        expected = r.getFieldCount();
                        expectedWhy = "line " + line + " has " + expected;
                        resolve();
                    }
                }
            }
            if (r.getFieldCount() != expected) {
                throw new DataFileException(file, line, -1, file + " line " + line + ": " + plural(r.getFieldCount(), "value")
                        + ", expected " + expected + " (" + expectedWhy + ")" + scikitLearnHint());
            }
            for (int c : featureCols) {
                if (count == values.length) {
                    values = Arrays.copyOf(values, values.length * 2);
                }
                values[count++] = number(r.getField(c), line, c);
            }
            if (labelCol >= 0) {
                String v = r.getField(labelCol).strip();
                if (v.isEmpty()) {
                    throw problem(line, labelCol, "empty label (missing values are not supported: fill them in or drop the row)");
                }
                labelValues.add(v);
            }
            if (rows == lines.length) {
                lines = Arrays.copyOf(lines, lines.length * 2);
            }
            lines[rows++] = line;
        }

        private void readScikitLearnLine(CsvRecord r, long line) {
            String usage = ": scikitLearnFormat() expects a first line n_samples,n_features[,class names...]";
            if (r.getFieldCount() < 2) {
                throw new DataFileException(file, line, -1, file + " line " + line + ": " + plural(r.getFieldCount(), "value")
                        + usage);
            }
            String n = r.getField(0).strip();
            String f = r.getField(1).strip();
            if (!isCount(n) || !isCount(f)) {
                throw new DataFileException(file, line, -1, file + " line " + line + ": \"" + abbreviate(n) + "\", \""
                        + abbreviate(f) + "\" are not a row and a feature count" + usage);
            }
            announcedRows = Long.parseLong(n);
            int features = Integer.parseInt(f);
            List<String> names = new ArrayList<>();
            for (int i = 2; i < r.getFieldCount(); i++) {
                names.add(r.getField(i).strip());
            }
            lineOneClassNames = List.copyOf(names);
            headerLine = line;
            expected = features + 1;
            expectedWhy = "line " + line + " announces " + plural(features, "feature") + " and a label";
        }

        /** Finds the label and feature columns once the number of columns is known. */
        private void resolve() {
            if (labelName != null) {
                labelCol = find(labelName, "label column");
            } else if (labelIndex != null) {
                labelCol = index(labelIndex, "label column");
            } else if (header == Header.SCIKIT_LEARN) {
                labelCol = expected - 1;
            }
            if (columnNames != null) {
                featureCols = new int[columnNames.size()];
                for (int i = 0; i < featureCols.length; i++) {
                    featureCols[i] = find(columnNames.get(i), "column");
                }
            } else if (columnIndices != null) {
                featureCols = new int[columnIndices.length];
                for (int i = 0; i < featureCols.length; i++) {
                    featureCols[i] = index(columnIndices[i], "column");
                    for (int j = 0; j < i; j++) {
                        if (featureCols[j] == featureCols[i]) {
                            throw new DataFileException(file, 0, featureCols[i], file + ": columns selects "
                                    + describe(featureCols[i]) + " twice (as " + columnIndices[j] + " and " + columnIndices[i] + ")");
                        }
                    }
                }
            } else {
                featureCols = new int[labelCol >= 0 ? expected - 1 : expected];
                for (int i = 0, k = 0; i < expected; i++) {
                    if (i != labelCol) {
                        featureCols[k++] = i;
                    }
                }
            }
            for (int c : featureCols) {
                if (c == labelCol) {
                    throw new DataFileException(file, 0, c, file + ": " + describe(c) + " is the label, it cannot also be a feature");
                }
            }
            if (featureCols.length == 0) {
                throw new DataFileException(file, file + ": no feature columns (the only column, " + describe(labelCol)
                        + ", is the label)");
            }
        }

        private int find(String name, String what) {
            if (headerNames == null) {
                throw new DataFileException(file, file + ": cannot find " + what + " '" + name + "' by name: "
                        + (header == Header.NONE ? "noHeader()" : "scikitLearnFormat()")
                        + " means the file names no columns; select it by index, e.g. label(" + (expected - 1) + ")");
            }
            int found = -1;
            for (int i = 0; i < headerNames.length; i++) {
                if (headerNames[i].equals(name)) {
                    if (found >= 0) {
                        throw new DataFileException(file, headerLine, i, file + " line " + headerLine + ": the header names '"
                                + name + "' twice (index " + found + " and " + i + "); select the column by index");
                    }
                    found = i;
                }
            }
            if (found < 0) {
                String near = "";
                for (String h : headerNames) {
                    if (h.equalsIgnoreCase(name) || h.replace("_", "").replace(" ", "").equalsIgnoreCase(name.replace("_", "").replace(" ", ""))) {
                        near = "; did you mean '" + h + "'?";
                        break;
                    }
                }
                throw new DataFileException(file, file + " has no " + what + " '" + name + "' (columns: "
                        + String.join(", ", headerNames) + ")" + near + scikitLearnHint());
            }
            return found;
        }

        private int index(int i, String what) {
            int n = expected;
            if (i < -n || i >= n) {
                throw new DataFileException(file, file + ": " + what + " index " + i + " is out of range for "
                        + plural(n, "column") + " (0.." + (n - 1) + ", or -" + n + "..-1 from the end)");
            }
            return i < 0 ? i + n : i;
        }

        private String scikitLearnHint() {
            return scikitLearnLike ? "; the first line looks like scikit-learn's \"n_samples,n_features,class names\": "
                    + "read the file with Csv.read(path).scikitLearnFormat()" : "";
        }

        private String describe(int col) {
            return headerNames != null ? "column '" + headerNames[col] + "' (index " + col + ")" : "column " + col;
        }

        private DataFileException problem(long line, int col, String what) {
            return new DataFileException(file, line, col, file + " line " + line + ", " + describe(col) + ": " + what);
        }

        /** A feature value: a finite decimal number, nothing else. */
        private double number(String raw, long line, int col) {
            String s = raw.strip();
            if (s.isEmpty()) {
                throw problem(line, col, "empty value (missing values are not supported: fill them in or drop the row)");
            }
            double v = Csv.parse(s);
            if (Double.isNaN(v)) {
                throw problem(line, col, missing(s)
                        ? "missing value \"" + abbreviate(s) + "\" (missing values are not supported: fill them in or drop the row)"
                        : "\"" + abbreviate(raw) + "\" is not a number"
                        + (raw.indexOf('\n') >= 0 ? " (a quote left open on line " + line + "?)" : ""));
            }
            if (Double.isInfinite(v)) {
                throw problem(line, col, "\"" + abbreviate(raw) + "\" is not a finite number");
            }
            return v;
        }

        Dataset finish(Backend backend, DType dtype) {
            if (!started) {
                throw new DataFileException(file, "cannot read " + file + ": the file is empty (no header, no rows)");
            }
            if (rows == 0) {
                throw new DataFileException(file, headerLine, -1, "cannot read " + file + ": it has a "
                        + (header == Header.SCIKIT_LEARN ? "first line" : "header") + " (line " + headerLine + ") but no data rows");
            }
            if (announcedRows >= 0 && announcedRows != rows) {
                throw new DataFileException(file, headerLine, -1, file + " line " + headerLine + " announces " + announcedRows
                        + " rows, the file has " + rows);
            }
            int f = featureCols.length;
            Tensor x = tensor(values, rows, f, backend, dtype);
            List<String> featureNames = new ArrayList<>(f);
            for (int c : featureCols) {
                featureNames.add(headerNames != null ? headerNames[c] : Integer.toString(c));
            }
            Variable features = Variable.of(x);
            if (labelCol < 0) {
                return Dataset.unlabeled(features).withFeatureNames(featureNames);
            }
            String labelColumnName = headerNames != null ? headerNames[labelCol] : Integer.toString(labelCol);
            Labels labels = labels();
            if (labels.classes == null) {
                Tensor y = tensor(labels.targets, rows, 1, backend, dtype);
                return Dataset.regression(features, Variable.of(y)).withFeatureNames(featureNames)
                        .withTargetNames(List.of(labelColumnName));
            }
            return Dataset.classification(features, labels.classes, labels.names).withFeatureNames(featureNames);
        }

        /** Class indices and names, or regression targets, from the label column's text. */
        private Labels labels() {
            int n = labelValues.size();
            double[] numbers = new double[n];
            int firstText = -1;
            int firstFraction = -1;
            boolean negative = false;
            for (int i = 0; i < n; i++) {
                double v = Csv.parse(labelValues.get(i));
                numbers[i] = v;
                if (!Double.isFinite(v)) {
                    if (firstText < 0) {
                        firstText = i;
                    }
                } else if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
                    if (firstFraction < 0) {
                        firstFraction = i;
                    }
                } else if (v < 0) {
                    negative = true;
                }
            }
            List<String> names = classNames != null ? classNames : lineOneClassNames.isEmpty() ? null : lineOneClassNames;
            if (task == Task.REGRESSION) {
                if (firstText >= 0) {
                    String v = labelValues.get(firstText);
                    throw problem(lines[firstText], labelCol, "label \"" + abbreviate(v) + "\" is not a "
                            + (Double.isInfinite(numbers[firstText]) ? "finite number" : "number")
                            + " (regression() reads the label column as numeric targets)");
                }
                return new Labels(null, null, numbers);
            }
            if (firstText >= 0) {
                return byName(names);
            }
            if (firstFraction >= 0) {
                if (task == Task.CLASSIFICATION) {
                    throw problem(lines[firstFraction], labelCol, "label \"" + abbreviate(labelValues.get(firstFraction))
                            + "\" is not a whole number: class labels are text or whole numbers >= 0");
                }
                return new Labels(null, null, numbers);
            }
            int[] classes = new int[n];
            if (names != null) {
                for (int i = 0; i < n; i++) {
                    if (numbers[i] < 0 || numbers[i] >= names.size()) {
                        throw problem(lines[i], labelCol, "label " + (long) numbers[i] + " is out of range for the "
                                + plural(names.size(), "class name") + " " + names + " (valid 0.." + (names.size() - 1) + ")");
                    }
                    classes[i] = (int) numbers[i];
                }
                return new Labels(classes, names, null);
            }
            if (negative) {
                // Whole numbers with negatives (-1/1 labels): each distinct value a class, in numeric order.
                TreeMap<Long, Integer> distinct = new TreeMap<>();
                for (double v : numbers) {
                    distinct.put((long) v, 0);
                }
                List<String> sorted = new ArrayList<>();
                for (Map.Entry<Long, Integer> e : distinct.entrySet()) {
                    e.setValue(sorted.size());
                    sorted.add(Long.toString(e.getKey()));
                }
                for (int i = 0; i < n; i++) {
                    classes[i] = distinct.get((long) numbers[i]);
                }
                return new Labels(classes, List.copyOf(sorted), null);
            }
            int max = 0;
            int at = 0;
            for (int i = 0; i < n; i++) {
                classes[i] = (int) numbers[i];
                if (classes[i] > max) {
                    max = classes[i];
                    at = i;
                }
            }
            if (max >= MAX_CLASSES) {
                throw problem(lines[at], labelCol, "label " + max + " would make " + (max + 1L) + " classes (at most "
                        + MAX_CLASSES + "): for numeric targets use regression()");
            }
            return new Labels(classes, Dataset.indexNames(max + 1), null);
        }

        private Labels byName(List<String> names) {
            int n = labelValues.size();
            int[] classes = new int[n];
            if (names != null) {
                Map<String, Integer> index = new HashMap<>();
                for (int i = 0; i < names.size(); i++) {
                    index.put(names.get(i), i);
                }
                for (int i = 0; i < n; i++) {
                    Integer c = index.get(labelValues.get(i));
                    if (c == null) {
                        throw problem(lines[i], labelCol, "label \"" + abbreviate(labelValues.get(i))
                                + "\" is not one of the class names " + names);
                    }
                    classes[i] = c;
                }
                return new Labels(classes, names, null);
            }
            TreeMap<String, Integer> distinct = new TreeMap<>();
            for (String v : labelValues) {
                distinct.put(v, 0);
            }
            if (distinct.size() > MAX_CLASSES) {
                throw new DataFileException(file, 0, labelCol, file + ", " + describe(labelCol) + ": "
                        + distinct.size() + " distinct labels (at most " + MAX_CLASSES + " classes)");
            }
            List<String> sorted = new ArrayList<>(distinct.size());
            for (Map.Entry<String, Integer> e : distinct.entrySet()) {
                e.setValue(sorted.size());
                sorted.add(e.getKey());
            }
            for (int i = 0; i < n; i++) {
                classes[i] = distinct.get(labelValues.get(i));
            }
            return new Labels(classes, List.copyOf(sorted), null);
        }
    }

    private record Labels(int[] classes, List<String> names, double[] targets) {
    }

    private static Tensor tensor(double[] values, int rows, int cols, Backend backend, DType dtype) {
        int n = rows * cols;
        if (dtype == DType.FLOAT32) {
            float[] f = new float[n];
            for (int i = 0; i < n; i++) {
                f[i] = (float) values[i];
            }
            return backend.fromArray(f, rows, cols);
        }
        Tensor t = backend.fromArray(values.length == n ? values : Arrays.copyOf(values, n), rows, cols);
        return t.dtype() == dtype ? t : t.to(dtype);
    }

    /**
     * A decimal number written with digits, sign, point and exponent only (so {@code NaN},
     * {@code Infinity}, hexadecimal and Java's {@code 1f}/{@code 1d} suffixes are not numbers
     * here); {@code NaN} if it is not one, an infinity if it overflows.
     */
    static double parse(String s) {
        if (s.isEmpty()) {
            return Double.NaN;
        }
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (!(ch >= '0' && ch <= '9' || ch == '.' || ch == '-' || ch == '+' || ch == 'e' || ch == 'E')) {
                return Double.NaN;
            }
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static boolean missing(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "nan", "na", "n/a", "null", "none", "?", "-" -> true;
            default -> false;
        };
    }

    private static boolean allNumbers(String[] fields) {
        for (String f : fields) {
            if (!Double.isFinite(parse(f))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isCount(String s) {
        if (s.isEmpty() || s.length() > 9) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static String plural(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** A value as it can be quoted on one line of a message: line breaks shown as \n, at most 40 characters. */
    static String abbreviate(String s) {
        String one = oneLine(s);
        return one.length() <= 40 ? one : one.substring(0, 37) + "...";
    }

    private static String oneLine(String s) {
        return s.replace("\r", "\\r").replace("\n", "\\n");
    }

    private static String printable(char c) {
        return switch (c) {
            case '\n' -> "'\\n'";
            case '\r' -> "'\\r'";
            default -> "'" + c + "'";
        };
    }

    /** {@code Csv(iris.csv, label 'species')}. */
    @Override
    public String toString() {
        return "Csv(" + source.name() + (labelName != null ? ", label '" + labelName + "'"
                : labelIndex != null ? ", label " + labelIndex : "") + ")";
    }
}
