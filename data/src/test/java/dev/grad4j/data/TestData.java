package dev.grad4j.data;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Fixtures: the shipped iris copy, and iris rewritten with a header and text labels. */
final class TestData {

    static final List<String> IRIS_CLASSES = List.of("setosa", "versicolor", "virginica");
    static final String IRIS_HEADER = "sepal_length,sepal_width,petal_length,petal_width,species";

    private TestData() {
    }

    /** The test resource iris.csv (scikit-learn's format: a counts line, then numeric rows). */
    static URL irisResource() {
        URL url = TestData.class.getResource("/iris.csv");
        if (url == null) {
            throw new IllegalStateException("test resource /iris.csv is missing");
        }
        return url;
    }

    static Path irisPath() {
        try {
            return Path.of(irisResource().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Iris with a header line and the species as text, as most CSV files in the wild have it. */
    static Path irisWithHeader(Path dir) {
        try {
            List<String> lines = Files.readAllLines(irisPath());
            StringBuilder sb = new StringBuilder(IRIS_HEADER).append('\n');
            for (String line : lines.subList(1, lines.size())) {
                if (line.isBlank()) {
                    continue;
                }
                int cut = line.lastIndexOf(',');
                sb.append(line, 0, cut + 1).append(IRIS_CLASSES.get(Integer.parseInt(line.substring(cut + 1).strip()))).append('\n');
            }
            return write(dir.resolve("iris.csv"), sb.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path gzip(Path file, String text) {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
