package dev.grad4j.data;

import dev.grad4j.api.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.grad4j.Grad4j.using;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading CSV files: formats, column and label choices, and every refusal with its one-line message. */
@SuppressWarnings("try") // defaults scopes are opened for their effect on what is made inside them
class CsvTest {

    @TempDir
    Path dir;

    // =================================================================== what loads

    @ParameterizedTest
    @ValueSource(strings = {"ejml", "nd4j", "simd"})
    void irisWithHeaderAndTextLabelsLoadsOnTheScopesBackendAndDtype(String backend) {
        Path file = TestData.irisWithHeader(dir);
        try (var env = using(backend).dtype(DType.FLOAT64)) {
            Dataset d = Csv.read(file).label("species").load();
            assertEquals(150, d.size());
            assertEquals(4, d.numFeatures());
            assertEquals(List.of("sepal_length", "sepal_width", "petal_length", "petal_width"), d.featureNames());
            assertEquals(TestData.IRIS_CLASSES, d.classNames());
            assertEquals(3, d.numClasses());
            assertArrayEquals(new int[]{50, 50, 50}, d.classCounts());
            assertSame(env.backend(), d.backend());
            assertEquals(DType.FLOAT64, d.dtype());
            assertEquals(DType.FLOAT64, d.labels().dtype());
            assertSame(env.backend(), d.labels().backend());
            // first row of iris: 5.1,3.5,1.4,0.2,setosa; last: 5.9,3.0,5.1,1.8,virginica
            assertArrayEquals(new double[]{5.1, 3.5, 1.4, 0.2}, slice(d.features().toDoubleArray(), 0, 4));
            assertArrayEquals(new double[]{5.9, 3.0, 5.1, 1.8}, slice(d.features().toDoubleArray(), 149 * 4, 4));
            assertEquals(0, d.labelIndices()[0]);
            assertEquals(2, d.labelIndices()[149]);
            assertEquals(List.of(150), List.of(d.labels().shape().dim(0)));
            assertEquals(1, d.labels().rank());
        }
    }

    @Test
    void defaultDtypeIsFloat32() {
        try (var env = using("ejml")) {
            Dataset d = Csv.read(TestData.irisWithHeader(dir)).label("species").load();
            assertEquals(DType.FLOAT32, d.dtype());
            assertEquals(5.1f, d.features().toFloatArray()[0]);
        }
    }

    @Test
    void scikitLearnFormatTakesClassNamesFromTheFirstLine() {
        try (var env = using("ejml")) {
            Dataset d = Csv.read(TestData.irisResource()).scikitLearnFormat().load();
            assertEquals(150, d.size());
            assertEquals(TestData.IRIS_CLASSES, d.classNames());
            assertEquals(List.of("0", "1", "2", "3"), d.featureNames());
            assertArrayEquals(new int[]{50, 50, 50}, d.classCounts());
            // the same file as a Path gives the same numbers
            Dataset p = Csv.read(TestData.irisPath()).scikitLearnFormat().load();
            assertArrayEquals(d.features().toFloatArray(), p.features().toFloatArray());
            assertArrayEquals(d.labelIndices(), p.labelIndices());
        }
    }

    @Test
    void scikitLearnFormatChecksTheAnnouncedRowCount() {
        Path f = TestData.write(dir.resolve("short.csv"), "3,2,a,b\n1,2,0\n3,4,1\n");
        var e = assertThrows(DataFileException.class, () -> Csv.read(f).scikitLearnFormat().load());
        assertEquals(f + " line 1 announces 3 rows, the file has 2", e.getMessage());
        Path bad = TestData.write(dir.resolve("bad.csv"), "x,2\n1,2,0\n");
        var e2 = assertThrows(DataFileException.class, () -> Csv.read(bad).scikitLearnFormat().load());
        assertEquals(bad + " line 1: \"x\", \"2\" are not a row and a feature count: scikitLearnFormat() expects a first line"
                + " n_samples,n_features[,class names...]", e2.getMessage());
    }

    @Test
    void aScikitLearnFileReadWithAHeaderGetsAHint() {
        var e = assertThrows(DataFileException.class, () -> Csv.read(TestData.irisPath()).label("species").load());
        assertEquals(TestData.irisPath() + " has no label column 'species' (columns: 150, 4, setosa, versicolor, virginica);"
                + " the first line looks like scikit-learn's \"n_samples,n_features,class names\": read the file with"
                + " Csv.read(path).scikitLearnFormat()", e.getMessage());
    }

    @Test
    void gzipIsRecognisedByItsBytes() {
        String text = TestData.IRIS_HEADER + "\n5.1,3.5,1.4,0.2,setosa\n7.0,3.2,4.7,1.4,versicolor\n";
        Path gz = TestData.gzip(dir.resolve("iris.csv.gz"), text);
        Path plain = TestData.gzip(dir.resolve("no-extension"), text);
        try (var env = using("ejml")) {
            Dataset d = Csv.read(gz).label("species").load();
            assertEquals(2, d.size());
            assertEquals(List.of("setosa", "versicolor"), d.classNames());
            assertArrayEquals(new float[]{5.1f, 3.5f, 1.4f, 0.2f, 7.0f, 3.2f, 4.7f, 1.4f}, d.features().toFloatArray());
            assertEquals(2, Csv.read(plain).label(-1).load().size());
        }
    }

    @Test
    void aTruncatedGzipFileIsNamed() throws Exception {
        Path gz = TestData.gzip(dir.resolve("t.csv.gz"), "a,b\n" + "1,2\n".repeat(5000));
        byte[] all = Files.readAllBytes(gz);
        Files.write(gz, java.util.Arrays.copyOf(all, all.length / 2));
        var e = assertThrows(DataFileException.class, () -> Csv.read(gz).load());
        assertTrue(e.getMessage().startsWith("cannot read " + gz + ": corrupt or truncated gzip data"), e.getMessage());
        assertOneLine(e);
    }

    @Test
    void quotedFieldsHoldDelimitersQuotesAndLineBreaks() {
        Path f = TestData.write(dir.resolve("quoted.csv"), "\"width, cm\",height,\"kind\"\n"
                + "1.5,2,\"a, b\"\n"
                + "\"2.5\",3,\"say \"\"hi\"\"\"\n"
                + "3.5,4,\"two\nlines\"\n");
        try (var env = using("ejml")) {
            Dataset d = Csv.read(f).label("kind").load();
            assertEquals(List.of("width, cm", "height"), d.featureNames());
            assertEquals(List.of("a, b", "say \"hi\"", "two\nlines"), d.classNames());
            assertArrayEquals(new int[]{0, 1, 2}, d.labelIndices());
            assertArrayEquals(new float[]{1.5f, 2, 2.5f, 3, 3.5f, 4}, d.features().toFloatArray());
        }
    }

    @Test
    void aByteOrderMarkAndBlankLinesAndWindowsLineEndsAreFine() throws Exception {
        Path f = dir.resolve("bom.csv");
        Files.write(f, "\uFEFFx,y\r\n1,0\r\n\r\n2,1\r\n\r\n".getBytes(StandardCharsets.UTF_8));
        try (var env = using("ejml")) {
            Dataset d = Csv.read(f).label("y").load();
            assertEquals(List.of("x"), d.featureNames());
            assertArrayEquals(new int[]{0, 1}, d.labelIndices());
        }
    }

    @Test
    void columnsByNameOrIndexAndLabelByIndex() {
        Path file = TestData.irisWithHeader(dir);
        try (var env = using("ejml")) {
            Dataset byName = Csv.read(file).columns("petal_width", "sepal_length").label("species").load();
            assertEquals(List.of("petal_width", "sepal_length"), byName.featureNames());
            assertArrayEquals(new float[]{0.2f, 5.1f}, slice(byName.features().toFloatArray(), 0, 2));
            Dataset byIndex = Csv.read(file).columns(3, 0).label(-1).load();
            assertArrayEquals(byName.features().toFloatArray(), byIndex.features().toFloatArray());
            assertArrayEquals(byName.labelIndices(), byIndex.labelIndices());
            assertEquals(byName.classNames(), Csv.read(file).label(4).load().classNames());
        }
    }

    @Test
    void noLabelGivesAnUnlabeledDatasetOfEveryColumn() {
        Path f = TestData.write(dir.resolve("x.csv"), "a,b\n1,2\n3,4\n");
        try (var env = using("ejml")) {
            Dataset d = Csv.read(f).load();
            assertFalse(d.hasLabels());
            assertEquals(2, d.numFeatures());
            var e = assertThrows(IllegalStateException.class, d::labels);
            assertTrue(e.getMessage().startsWith("this dataset has no labels (2 rows, 2 features)"), e.getMessage());
        }
    }

    @Test
    void noHeaderNamesColumnsByIndex() {
        Path f = TestData.write(dir.resolve("plain.tsv"), "1\t2\t0\n3\t4\t1\n");
        try (var env = using("ejml")) {
            Dataset d = Csv.read(f).noHeader().delimiter('\t').label(2).load();
            assertEquals(List.of("0", "1"), d.featureNames());
            assertEquals(List.of("0", "1"), d.classNames());
            assertEquals(2, d.size());
        }
        var e = assertThrows(DataFileException.class, () -> Csv.read(f).noHeader().delimiter('\t').label("y").load());
        assertEquals(f + ": cannot find label column 'y' by name: noHeader() means the file names no columns;"
                + " select it by index, e.g. label(2)", e.getMessage());
    }

    @Test
    void semicolonDelimiter() {
        Path f = TestData.write(dir.resolve("semi.csv"), "a;b;y\n1,5;2;cat\n3;4;dog\n");
        var e = assertThrows(DataFileException.class, () -> Csv.read(f).delimiter(';').label("y").load());
        assertEquals(f + " line 2, column 'a' (index 0): \"1,5\" is not a number", e.getMessage());
        Path g = TestData.write(dir.resolve("semi2.csv"), "a;b;y\n1.5;2;cat\n3;4;dog\n");
        try (var env = using("ejml")) {
            assertEquals(List.of("cat", "dog"), Csv.read(g).delimiter(';').label("y").load().classNames());
        }
        assertThrows(IllegalArgumentException.class, () -> Csv.read(g).delimiter('"'));
    }

    // =================================================================== labels: classes or targets

    @Test
    void textLabelsAreNumberedInSortedOrderWhateverTheRowOrder() {
        Path f = TestData.write(dir.resolve("t.csv"), "x,y\n1,zebra\n2,ant\n3,mole\n4,ant\n");
        try (var env = using("ejml")) {
            Dataset d = Csv.read(f).label("y").load();
            assertEquals(List.of("ant", "mole", "zebra"), d.classNames());
            assertArrayEquals(new int[]{2, 0, 1, 0}, d.labelIndices());
            assertArrayEquals(new float[]{2, 0, 1, 0}, d.labels().toFloatArray());
        }
    }

    @Test
    void classNamesFixTheNumberingOfTextLabels() {
        Path f = TestData.write(dir.resolve("t.csv"), "x,y\n1,zebra\n2,ant\n3,mole\n");
        try (var env = using("ejml")) {
            Dataset d = Csv.read(f).label("y").classNames("zebra", "mole", "ant").load();
            assertArrayEquals(new int[]{0, 2, 1}, d.labelIndices());
            var e = assertThrows(DataFileException.class, () -> Csv.read(f).label("y").classNames("zebra", "ant").load());
            assertEquals(f + " line 4, column 'y' (index 1): label \"mole\" is not one of the class names [zebra, ant]",
                    e.getMessage());
        }
    }

    @Test
    void wholeNumberLabelsAreClassIndicesAsWritten() {
        Path f = TestData.write(dir.resolve("n.csv"), "x,y\n1,2\n2,0\n3,2.0\n");
        try (var env = using("ejml")) {
            Dataset d = Csv.read(f).label("y").load();
            assertTrue(d.isClassification());
            assertArrayEquals(new int[]{2, 0, 2}, d.labelIndices());
            assertEquals(List.of("0", "1", "2"), d.classNames());
            Dataset named = Csv.read(f).label("y").classNames("a", "b", "c").load();
            assertEquals(List.of("a", "b", "c"), named.classNames());
            var e = assertThrows(DataFileException.class, () -> Csv.read(f).label("y").classNames("a", "b").load());
            assertEquals(f + " line 2, column 'y' (index 1): label 2 is out of range for the 2 class names [a, b] (valid 0..1)",
                    e.getMessage());
        }
    }

    @Test
    void negativeWholeNumberLabelsAreClassesInNumericOrder() {
        Path f = TestData.write(dir.resolve("n.csv"), "x,y\n1,1\n2,-1\n3,1\n");
        try (var env = using("ejml")) {
            Dataset d = Csv.read(f).label("y").load();
            assertEquals(List.of("-1", "1"), d.classNames());
            assertArrayEquals(new int[]{1, 0, 1}, d.labelIndices());
        }
    }

    @Test
    void fractionalLabelsAreRegressionTargetsAndRegressionCanBeAsked() {
        Path f = TestData.write(dir.resolve("r.csv"), "x,price\n1,2.5\n2,3\n");
        Path whole = TestData.write(dir.resolve("w.csv"), "x,age\n1,30\n2,41\n");
        try (var env = using("ejml")) {
            Dataset d = Csv.read(f).label("price").load();
            assertTrue(d.isRegression());
            assertEquals(List.of(2, 1), List.of(d.labels().shape().dim(0), d.labels().shape().dim(1)));
            assertArrayEquals(new float[]{2.5f, 3}, d.labels().toFloatArray());
            assertEquals(List.of("price"), d.targetNames());
            Dataset ages = Csv.read(whole).label("age").regression().load();
            assertTrue(ages.isRegression());
            assertArrayEquals(new float[]{30, 41}, ages.labels().toFloatArray());
            // inferred, 30 and 41 would be class indices of 42 classes: what regression() is for
            assertEquals(42, Csv.read(whole).label("age").load().numClasses());
            var e = assertThrows(DataFileException.class, () -> Csv.read(f).label("price").classification().load());
            assertEquals(f + " line 2, column 'price' (index 1): label \"2.5\" is not a whole number: class labels are text"
                    + " or whole numbers >= 0", e.getMessage());
            var t = assertThrows(DataFileException.class,
                    () -> Csv.read(TestData.irisWithHeader(dir)).label("species").regression().load());
            assertEquals(dir.resolve("iris.csv") + " line 2, column 'species' (index 4): label \"setosa\" is not a number"
                    + " (regression() reads the label column as numeric targets)", t.getMessage());
        }
    }

    @Test
    void anIdColumnTakenForLabelsIsRefused() {
        Path f = TestData.write(dir.resolve("id.csv"), "x,id\n1,7\n2,1000000\n");
        var e = assertThrows(DataFileException.class, () -> Csv.read(f).label("id").load());
        assertEquals(f + " line 3, column 'id' (index 1): label 1000000 would make 1000001 classes (at most 65536):"
                + " for numeric targets use regression()", e.getMessage());
    }

    // =================================================================== refusals, one line each

    @Test
    void raggedRowNamesLineAndCounts() {
        Path f = TestData.write(dir.resolve("iris.csv"), TestData.IRIS_HEADER + "\n5.1,3.5,1.4,0.2,setosa\n4.9,3.0,1.4,setosa\n");
        var e = assertThrows(DataFileException.class, () -> Csv.read(f).label("species").load());
        assertEquals(f + " line 3: 4 values, expected 5 (the header has 5 columns)", e.getMessage());
        assertEquals(3, e.line().orElseThrow());
        assertTrue(e.column().isEmpty());
        assertEquals(f.toString(), e.file());
        Path noHeader = TestData.write(dir.resolve("nh.csv"), "1,2,3\n4,5\n");
        var e2 = assertThrows(DataFileException.class, () -> Csv.read(noHeader).noHeader().load());
        assertEquals(noHeader + " line 2: 2 values, expected 3 (line 1 has 3)", e2.getMessage());
        Path longer = TestData.write(dir.resolve("long.csv"), "a,b\n1,2,3\n");
        var e3 = assertThrows(DataFileException.class, () -> Csv.read(longer).load());
        assertEquals(longer + " line 2: 3 values, expected 2 (the header has 2 columns)", e3.getMessage());
    }

    @Test
    void aScikitLearnFileWithAHeaderReadAsNamesGetsTheHintOnARaggedRow() {
        // breast_cancer.csv's shape: "569,30,malignant,benign" then 31 values per row
        Path g = TestData.write(dir.resolve("bc2.csv"), "2,3,malignant,benign\n1,2,3,0\n4,5,6,1\n");
        try (var env = using("ejml")) {
            assertEquals(List.of("malignant", "benign"), Csv.read(g).scikitLearnFormat().load().classNames());
        }
        Path h = TestData.write(dir.resolve("bc3.csv"), "2,4,malignant,benign\n1,2,3,4,0\n5,6,7,8,1\n");
        var e2 = assertThrows(DataFileException.class, () -> Csv.read(h).label(-1).load());
        assertEquals(h + " line 2: 5 values, expected 4 (the header has 4 columns); the first line looks like scikit-learn's"
                + " \"n_samples,n_features,class names\": read the file with Csv.read(path).scikitLearnFormat()", e2.getMessage());
    }

    @Test
    void aFirstLineOfNumbersIsNotSilentlyTakenForAHeader() {
        // digits.csv.gz has no header: read with the default, its first row would be lost as names
        Path f = TestData.gzip(dir.resolve("digits.csv.gz"), "0,0,5,13,9,0\n0,0,0,12,13,1\n");
        var e = assertThrows(DataFileException.class, () -> Csv.read(f).label(-1).load());
        assertEquals(f + " line 1: every column name is a number (0,0,5,13,9,0): the file seems to have no header; read it"
                + " with .noHeader(), or with .header() if these are the names; the first line looks like scikit-learn's"
                + " \"n_samples,n_features,class names\": read the file with Csv.read(path).scikitLearnFormat()", e.getMessage());
        try (var env = using("ejml")) {
            Dataset d = Csv.read(f).noHeader().label(-1).load();
            assertEquals(2, d.size());
            assertArrayEquals(new int[]{0, 1}, d.labelIndices());
            Path wavelengths = TestData.write(dir.resolve("w.csv"), "400,410.5,420\n1,2,0\n");
            assertThrows(DataFileException.class, () -> Csv.read(wavelengths).label(-1).load());
            assertEquals(List.of("400", "410.5"), Csv.read(wavelengths).header().label(-1).load().featureNames());
        }
    }

    @Test
    void textInANumericColumnNamesLineColumnAndValue() {
        Path f = TestData.write(dir.resolve("iris.csv"), TestData.IRIS_HEADER + "\n5.1,3.5,1.4,0.2,setosa\nabc,3.0,1.4,0.2,setosa\n");
        var e = assertThrows(DataFileException.class, () -> Csv.read(f).label("species").load());
        assertEquals(f + " line 3, column 'sepal_length' (index 0): \"abc\" is not a number", e.getMessage());
        assertEquals(3, e.line().orElseThrow());
        assertEquals(0, e.column().orElseThrow());
    }

    @Test
    void missingAndNonFiniteValuesAreRefused() {
        Path empty = TestData.write(dir.resolve("e.csv"), "a,b\n1,\n");
        assertEquals(empty + " line 2, column 'b' (index 1): empty value (missing values are not supported: fill them in or"
                + " drop the row)", assertThrows(DataFileException.class, () -> Csv.read(empty).load()).getMessage());
        Path nan = TestData.write(dir.resolve("n.csv"), "a,b\n1,NaN\n");
        assertEquals(nan + " line 2, column 'b' (index 1): missing value \"NaN\" (missing values are not supported: fill them"
                + " in or drop the row)", assertThrows(DataFileException.class, () -> Csv.read(nan).load()).getMessage());
        Path inf = TestData.write(dir.resolve("i.csv"), "a,b\n1,1e999\n");
        assertEquals(inf + " line 2, column 'b' (index 1): \"1e999\" is not a finite number",
                assertThrows(DataFileException.class, () -> Csv.read(inf).load()).getMessage());
        Path javaSuffix = TestData.write(dir.resolve("j.csv"), "a,b\n1,2f\n");
        assertEquals(javaSuffix + " line 2, column 'b' (index 1): \"2f\" is not a number",
                assertThrows(DataFileException.class, () -> Csv.read(javaSuffix).load()).getMessage());
        Path emptyLabel = TestData.write(dir.resolve("l.csv"), "a,y\n1,\n");
        assertEquals(emptyLabel + " line 2, column 'y' (index 1): empty label (missing values are not supported: fill them in"
                + " or drop the row)", assertThrows(DataFileException.class, () -> Csv.read(emptyLabel).label("y").load()).getMessage());
    }

    @Test
    void aMultiLineValueIsQuotedOnOneLine() {
        Path f = TestData.write(dir.resolve("m.csv"), "a,b\n1,\"x\ny\"\n");
        var e = assertThrows(DataFileException.class, () -> Csv.read(f).load());
        assertEquals(f + " line 2, column 'b' (index 1): \"x\\ny\" is not a number (a quote left open on line 2?)",
                e.getMessage());
        assertOneLine(e);
    }

    @Test
    void emptyFile() {
        Path f = TestData.write(dir.resolve("empty.csv"), "");
        var e = assertThrows(DataFileException.class, () -> Csv.read(f).label("y").load());
        assertEquals("cannot read " + f + ": the file is empty (no header, no rows)", e.getMessage());
        Path blank = TestData.write(dir.resolve("blank.csv"), "\n\n");
        assertEquals("cannot read " + blank + ": the file is empty (no header, no rows)",
                assertThrows(DataFileException.class, () -> Csv.read(blank).load()).getMessage());
    }

    @Test
    void headerOnly() {
        Path f = TestData.write(dir.resolve("h.csv"), TestData.IRIS_HEADER + "\n");
        var e = assertThrows(DataFileException.class, () -> Csv.read(f).label("species").load());
        assertEquals("cannot read " + f + ": it has a header (line 1) but no data rows", e.getMessage());
    }

    @Test
    void missingLabelColumnListsTheColumns() {
        Path f = TestData.irisWithHeader(dir);
        var e = assertThrows(DataFileException.class, () -> Csv.read(f).label("specis").load());
        assertEquals(f + " has no label column 'specis' (columns: sepal_length, sepal_width, petal_length, petal_width,"
                + " species)", e.getMessage());
        var near = assertThrows(DataFileException.class, () -> Csv.read(f).label("Species").load());
        assertTrue(near.getMessage().endsWith("; did you mean 'species'?"), near.getMessage());
        var col = assertThrows(DataFileException.class, () -> Csv.read(f).columns("sepal_length", "petal").label("species").load());
        assertTrue(col.getMessage().startsWith(f + " has no column 'petal' (columns: "), col.getMessage());
        var idx = assertThrows(DataFileException.class, () -> Csv.read(f).label(5).load());
        assertEquals(f + ": label column index 5 is out of range for 5 columns (0..4, or -5..-1 from the end)", idx.getMessage());
    }

    @Test
    void theLabelCannotAlsoBeAFeature() {
        Path f = TestData.irisWithHeader(dir);
        var e = assertThrows(DataFileException.class, () -> Csv.read(f).columns("sepal_length", "species").label("species").load());
        assertEquals(f + ": column 'species' (index 4) is the label, it cannot also be a feature", e.getMessage());
        Path one = TestData.write(dir.resolve("one.csv"), "y\n1\n");
        assertEquals(one + ": no feature columns (the only column, column 'y' (index 0), is the label)",
                assertThrows(DataFileException.class, () -> Csv.read(one).label("y").load()).getMessage());
    }

    @Test
    void aDuplicateHeaderNameMustBeSelectedByIndex() {
        Path f = TestData.write(dir.resolve("d.csv"), "a,x,x\n1,2,3\n");
        assertEquals(f + " line 1: the header names 'x' twice (index 1 and 2); select the column by index",
                assertThrows(DataFileException.class, () -> Csv.read(f).label("x").load()).getMessage());
        try (var env = using("ejml")) {
            assertEquals(3, Csv.read(f).label(2).load().labelIndices()[0]);
        }
    }

    @Test
    void missingFile() {
        Path f = dir.resolve("nope.csv");
        var e = assertThrows(DataFileException.class, () -> Csv.read(f).load());
        assertEquals("cannot read " + f + ": no such file", e.getMessage());
        var rel = assertThrows(DataFileException.class, () -> Csv.read("no/such/iris.csv").load());
        assertEquals("cannot read no/such/iris.csv: no such file (looked for " + Path.of("no/such/iris.csv").toAbsolutePath()
                + ")", rel.getMessage());
    }

    @Test
    void aDirectory() {
        var e = assertThrows(DataFileException.class, () -> Csv.read(dir).load());
        assertEquals("cannot read " + dir + ": it is a directory, not a CSV file", e.getMessage());
    }

    @Test
    void notUtf8Text() throws Exception {
        Path f = dir.resolve("latin1.csv");
        Files.write(f, "a,y\n1,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        var e = assertThrows(DataFileException.class, () -> Csv.read(f).label("y").load());
        assertTrue(e.getMessage().startsWith("cannot read " + f + ": it is not UTF-8 text"), e.getMessage());
        assertOneLine(e);
    }

    @Test
    void badQuotingIsReportedWithTheFile() {
        Path f = TestData.write(dir.resolve("q.csv"), "a,b\n1,\"2\"x\n");
        var e = assertThrows(DataFileException.class, () -> Csv.read(f).load());
        assertEquals(f + " line 2: unexpected character after closing quote: 'x' (0x78)", e.getMessage());
        assertEquals(2, e.line().orElseThrow());
        Path open = TestData.write(dir.resolve("open.csv"), "a,b\n1,\"2\n3,4\n");
        var o = assertThrows(DataFileException.class, () -> Csv.read(open).load());
        assertEquals(open + " line 2, column 'b' (index 1): \"2\\n3,4\\n\" is not a number (a quote left open on line 2?)",
                o.getMessage());
        assertOneLine(e);
    }

    @Test
    void optionsAreChecked() {
        Csv c = Csv.read(dir.resolve("x.csv"));
        assertThrows(IllegalArgumentException.class, () -> c.columns(new String[0]));
        assertThrows(IllegalArgumentException.class, () -> c.columns(new int[0]));
        assertThrows(IllegalArgumentException.class, () -> c.columns("a", "a"));
        assertThrows(IllegalArgumentException.class, () -> c.classNames("a", "a"));
        assertThrows(NullPointerException.class, () -> Csv.read((java.net.URL) null));
        Path f = TestData.write(dir.resolve("c.csv"), "a,b,y\n1,2,0\n");
        assertEquals(f + ": columns selects column 'a' (index 0) twice (as 0 and -3)",
                assertThrows(DataFileException.class, () -> Csv.read(f).columns(0, -3).load()).getMessage());
    }

    @Test
    void aCsvIsImmutableAndLoadsEachTime() {
        Path f = TestData.write(dir.resolve("c.csv"), "a,y\n1,0\n");
        Csv base = Csv.read(f);
        Csv labelled = base.label("y");
        try (var env = using("ejml")) {
            assertFalse(base.load().hasLabels());
            assertTrue(labelled.load().hasLabels());
            TestData.write(f, "a,y\n1,0\n2,1\n");
            assertEquals(2, labelled.load().size());
        }
    }

    // =================================================================== helpers

    static double[] slice(double[] v, int from, int n) {
        return java.util.Arrays.copyOfRange(v, from, from + n);
    }

    static float[] slice(float[] v, int from, int n) {
        return java.util.Arrays.copyOfRange(v, from, from + n);
    }

    static void assertOneLine(Exception e) {
        assertFalse(e.getMessage().contains("\n"), "message has a line break: " + e.getMessage());
    }
}
