package dev.grad4j.train;

import dev.grad4j.data.Dataset;
import dev.grad4j.data.Split;
import dev.grad4j.nn.Init;
import dev.grad4j.nn.Linear;
import dev.grad4j.nn.Losses;
import dev.grad4j.nn.Sequential;
import dev.grad4j.optim.Adam;
import dev.grad4j.optim.SGD;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static dev.grad4j.Grad4j.tensor;
import static dev.grad4j.Grad4j.using;
import static dev.grad4j.nn.Layers.*;
import static dev.grad4j.train.Training.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The training report: every plot it names is there and decodes at the size the page declares, the
 * page names nothing else and nothing remote, it shows the metrics, warnings (escaped), model and
 * optimizer, for a classification, a regression, a run stopped early and one that failed; and a
 * real headless Chromium renders it from disk.
 */
class ReportTest {

    private static final Pattern REFERENCE = Pattern.compile("\\b(src|href)\\s*=\\s*\"([^\"]*)\"");
    private static final Pattern IMG = Pattern.compile("<img\\b([^>]*)>");
    private static final Pattern ATTRIBUTE = Pattern.compile("([a-z]+)=\"([^\"]*)\"");

    @TempDir
    Path tmp;

    /** The page, checked: every reference is a file in the folder, every image decodes at its declared size. */
    private static String checkedPage(Path dir) throws Exception {
        Path index = dir.resolve("index.html");
        assertTrue(Files.isRegularFile(index), "no index.html in " + dir);
        String html = Files.readString(index, StandardCharsets.UTF_8);
        assertTrue(html.startsWith("<!DOCTYPE html>"), html.substring(0, Math.min(80, html.length())));
        Matcher m = REFERENCE.matcher(html);
        while (m.find()) {
            String ref = m.group(2);
            assertFalse(ref.contains(":") || ref.startsWith("/") || ref.contains(".."),
                    "only files in the report's folder, nothing remote or absolute: " + ref);
            assertTrue(Files.isRegularFile(dir.resolve(ref)), "index.html references " + ref + ", which is not there");
        }
        for (String forbidden : List.of("<script", "<link", "<iframe", "http:", "https:", "url(", "@import")) {
            assertFalse(html.toLowerCase(Locale.ROOT).contains(forbidden), "a static page: no " + forbidden);
        }
        for (Map.Entry<String, int[]> e : images(html).entrySet()) {
            BufferedImage img = ImageIO.read(dir.resolve(e.getKey()).toFile());
            assertNotNull(img, e.getKey() + " does not decode as an image");
            assertEquals(e.getValue()[0], img.getWidth(), e.getKey() + " width");
            assertEquals(e.getValue()[1], img.getHeight(), e.getKey() + " height");
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path png : files.filter(p -> p.toString().endsWith(".png")).toList()) {
                assertTrue(images(html).containsKey(png.getFileName().toString()), "the page shows " + png.getFileName());
            }
        }
        return html;
    }

    /** Each {@code <img>}'s src and declared {width, height}; each has an alt text. */
    private static Map<String, int[]> images(String html) {
        Map<String, int[]> out = new LinkedHashMap<>();
        Matcher m = IMG.matcher(html);
        while (m.find()) {
            Map<String, String> a = new LinkedHashMap<>();
            Matcher am = ATTRIBUTE.matcher(m.group(1));
            while (am.find()) {
                a.put(am.group(1), am.group(2));
            }
            assertTrue(a.containsKey("src") && a.containsKey("width") && a.containsKey("height"), m.group());
            assertFalse(a.getOrDefault("alt", "").isBlank(), "every plot has an alt text: " + m.group());
            out.put(a.get("src"), new int[]{Integer.parseInt(a.get("width")), Integer.parseInt(a.get("height"))});
        }
        return out;
    }

    private static List<String> plots(String html) {
        return new ArrayList<>(images(html).keySet());
    }

    /** A healthy classification: 15 epochs on separable blobs with validation data. */
    private static FitResult blobs(Path report) {
        Split data = Problems.blobs(300, 3, 1).stratifiedSplit(7, 0.8, 0.2);
        Sequential model = sequential(linear(4, 16), relu(), linear(16, 3));
        return fit(model, Adam.of(model.parameters(), 0.01), Losses::crossEntropy, data, epochs(15), batchSize(16),
                report(report), silent());
    }

    @Test
    void aClassificationReportShowsEveryPlotTheMetricsTheModelAndNoWarnings() throws Exception {
        try (var env = using("ejml").seed(0)) {
            Path dir = tmp.resolve("report");
            Split data = Problems.blobs(300, 3, 1).stratifiedSplit(7, 0.8, 0.2);
            Sequential model = sequential(linear(4, 16), relu(), linear(16, 3));
            var opt = Adam.of(model.parameters(), 0.01);
            FitResult r = fit(model, opt, Losses::crossEntropy, data, epochs(15), batchSize(16),
                    report(dir.toString()), silent());
            assertEquals(List.of(), r.warnings());
            String html = checkedPage(dir);
            assertEquals(List.of("loss.png", "accuracy.png", "grad_norm.png", "update_ratio.png", "weights_1.png",
                    "weights_8.png", "weights_15.png", "dead_units.png"), plots(html));
            assertEquals(800, images(html).get("loss.png")[0]);
            assertEquals(500, images(html).get("loss.png")[1]);
            assertTrue(html.contains("No warnings."));
            assertTrue(html.contains("The run completed every epoch."));
            EpochRecord last = r.last();
            assertTrue(html.contains("<td>" + Report.loss(last.trainLoss()) + "</td>"), "the last training loss");
            assertTrue(html.contains("<td>" + Report.loss(last.valLoss()) + "</td>"), "the last validation loss");
            assertTrue(html.contains("<td>" + Report.percent(last.valAccuracy()) + "</td>"), "the last validation accuracy");
            assertTrue(html.contains("last (epoch 15)"));
            assertTrue(html.contains(Report.esc(model.toString())), "the model summary");
            assertTrue(html.contains("<pre>Sequential\n  (0): Linear(in=4, out=16, bias=true)")
                    && html.contains("total parameters: 131</pre>"), "the model summary, as written");
            assertTrue(html.contains("<pre>" + Report.esc(opt.toString()) + "</pre>"), "the optimizer");
            assertTrue(html.contains("training: Dataset(240 rows") && html.contains("validation: Dataset(60 rows"),
                    "the data");
        }
    }

    @Test
    void warningsAreListedAndEveryStringIsEscaped() throws Exception {
        try (var env = using("ejml").seed(0)) {
            Path dir = tmp.resolve("zeros");
            Dataset data = Problems.blobs(90, 3, 4);
            Sequential model = sequential(Linear.builder(4, 8).init(Init.zeros()).build(), relu(),
                    Linear.builder(8, 3).init(Init.zeros()).build());
            String nasty = "loss <b>0.1</b> & \"quoted\" 'single' <script>alert(1)</script>";
            Callback warner = new Callback() {
                @Override
                public void onEpochEnd(FitState run) {
                    run.warn(TrainingWarning.Kind.OTHER, "model <x>", nasty);
                }
            };
            FitResult r = fit(model, SGD.of(model.parameters(), 0.1), Losses::crossEntropy, data, null, epochs(4),
                    callbacks(warner), report(dir), silent());
            String html = checkedPage(dir);
            for (TrainingWarning w : r.warnings()) {
                assertTrue(html.contains(Report.esc(w.message())), "the page lists " + w);
                assertTrue(html.contains(w.kind().name()));
            }
            assertTrue(r.warnings().stream().anyMatch(w -> w.kind() == TrainingWarning.Kind.FLAT_LOSS));
            assertFalse(html.contains("No warnings."));
            assertTrue(html.contains("loss &lt;b&gt;0.1&lt;/b&gt; &amp; &quot;quoted&quot; &#39;single&#39; "
                    + "&lt;script&gt;alert(1)&lt;/script&gt;"), "escaped");
            assertTrue(html.contains("model &lt;x&gt;"), "the place is escaped too");
            assertFalse(html.contains("<b>0.1") || html.contains("<script>") || html.contains("<x>"));
            // no validation data: one column of metrics, "best" by the training loss
            assertTrue(html.contains("<td>–</td>"), "no validation metrics");
            assertTrue(html.contains(Report.loss(r.last().trainLoss())));
            // a zero gradient (the first layer behind dead ReLUs) cannot be drawn on a log axis: the page says so
            assertTrue(plots(html).contains("grad_norm.png"));
            assertTrue(html.contains("(all 0)") || Files.exists(dir.resolve("weights_1.png")));
        }
    }

    @Test
    void aRegressionHasNoAccuracyPlot() throws Exception {
        try (var env = using("ejml").seed(0)) {
            Path dir = tmp.resolve("regression");
            Split data = Problems.linear(200, 0.5, 2).split(3, 0.8, 0.2);
            Sequential model = sequential(linear(4, 8), tanh(), linear(8, 1));
            FitResult r = fit(model, Adam.of(model.parameters(), 0.01), Losses::mse, data, epochs(6), report(dir),
                    silent());
            String html = checkedPage(dir);
            assertEquals(List.of("loss.png", "grad_norm.png", "update_ratio.png", "weights_1.png", "weights_3.png",
                    "weights_6.png"), plots(html), "no accuracy, and no dead units without a ReLU");
            assertFalse(Files.exists(dir.resolve("accuracy.png")));
            assertTrue(html.contains("<td>" + Report.loss(r.last().valLoss()) + "</td>"));
            assertFalse(html.contains("%</td>"), "no accuracy in the table either");
        }
    }

    @Test
    void aRunStoppedEarlyShowsItsBestEpochBesideTheLast() throws Exception {
        try (var env = using("ejml").seed(0)) {
            Path dir = tmp.resolve("early");
            Split data = Problems.noise(80, 8, 3, 6).split(1, 0.5, 0.5);
            Sequential model = sequential(linear(8, 64), relu(), linear(64, 3));
            FitResult r = fit(model, Adam.of(model.parameters(), 0.01), Losses::crossEntropy, data, epochs(100),
                    batchSize(8), earlyStopping("valLoss", 3), report(dir), silent());
            assertNotNull(r.bestEpoch());
            String html = checkedPage(dir);
            assertTrue(html.contains("Stopped early:</strong> " + Report.esc(r.stopReason())), "the reason");
            assertTrue(html.contains("best (epoch " + (r.bestEpoch() + 1) + ", by valLoss)"), "the best column");
            assertTrue(html.contains("Early stopping restored the weights of epoch " + (r.bestEpoch() + 1)));
            assertTrue(html.contains("<td>" + Report.loss(r.best().valLoss()) + "</td>"));
            int n = r.history().size();
            assertTrue(plots(html).contains("weights_" + n + ".png"), plots(html).toString());
        }
    }

    @Test
    void aFailedRunStillWritesItsReport() throws Exception {
        try (var env = using("ejml").seed(0)) {
            Path dir = tmp.resolve("failed");
            Dataset data = Problems.withNanAtRow15();
            Sequential model = sequential(linear(4, 4), relu(), linear(4, 2));
            FitResult r = Trainer.of(model, SGD.of(model.parameters(), 0.1), Losses::crossEntropy).epochs(3).batchSize(5)
                    .noShuffle().silent().report(dir).fit(data);
            assertTrue(r.failed());
            String html = checkedPage(dir);
            assertTrue(html.contains("The run failed:</strong> non-finite loss"), "the failure");
            assertTrue(html.contains("NON_FINITE") && html.contains("the loss is NaN at epoch 1, batch 4"));
            assertTrue(html.contains("No epoch finished"));
            assertEquals(List.of(), plots(html), "no epoch, no plot");
        }
    }

    @Test
    void theFolderIsMadeButNotItsParent() throws Exception {
        try (var env = using("ejml").seed(0)) {
            Path missing = tmp.resolve("no-such-folder");
            Path dir = missing.resolve("report");
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> blobs(dir));
            assertEquals("cannot write the report to " + dir + ": the folder " + missing + " does not exist",
                    e.getMessage());
            assertFalse(Files.exists(missing), "nothing made");

            Path file = Files.writeString(tmp.resolve("a-file"), "x");
            UncheckedIOException f = assertThrows(UncheckedIOException.class, () -> blobs(file));
            assertEquals("cannot write the report to " + file + ": it is a file, not a folder", f.getMessage());

            Path existing = Files.createDirectories(tmp.resolve("existing"));
            Files.writeString(existing.resolve("notes.txt"), "mine");
            blobs(existing);
            checkedPage(existing);
            assertEquals("mine", Files.readString(existing.resolve("notes.txt")), "other files are left alone");
        }
    }

    // ------------------------------------------------------------------ no display

    /** The child: a short fit with a report into {@code args[0]}. */
    public static final class Child {
        public static void main(String[] args) {
            try (var env = using("ejml").seed(0)) {
                Split data = Problems.blobs(120, 3, 1).stratifiedSplit(7, 0.8, 0.2);
                Sequential model = sequential(linear(4, 8), relu(), linear(8, 3));
                fit(model, Adam.of(model.parameters(), 0.01), Losses::crossEntropy, data, epochs(3),
                        report(Path.of(args[0])), silent());
            }
            System.out.println("headless " + System.getProperty("java.awt.headless"));
        }
    }

    @Test
    void theReportDrawsHeadlessEvenWithADisplayThatCannotBeReached() throws Exception {
        Path dir = tmp.resolve("no-display");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-cp",
                System.getProperty("java.class.path"), Child.class.getName(), dir.toString()).redirectErrorStream(true);
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().put("DISPLAY", ":4711");  // no X server there: AWT, if not headless, fails to connect
        Process p = pb.start();
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), printed);
        assertEquals(0, p.exitValue(), printed);
        assertTrue(printed.contains("headless true"), printed);
        assertEquals(List.of("loss.png", "accuracy.png", "grad_norm.png", "update_ratio.png", "weights_1.png",
                "weights_2.png", "weights_3.png", "dead_units.png"), plots(checkedPage(dir)));
    }

    // ------------------------------------------------------------------ a real browser

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    @Test
    @Tag("browser")
    void headlessChromiumRendersEveryPlotFromDisk() throws Exception {
        Path dir = tmp.resolve("browser");
        FitResult r;
        try (var env = using("ejml").seed(0)) {
            r = blobs(dir);
        }
        List<String> plots = plots(checkedPage(dir));

        try (Chromium chromium = Chromium.start(tmp.resolve("chromium-profile"), "1000,6000")) {
            ChromeDriver driver = chromium.driver;
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
            driver.get(dir.resolve("index.html").toUri().toString());
            assertEquals("Training report: Sequential", driver.getTitle());
            List<WebElement> imgs = driver.findElements(By.tagName("img"));
            assertEquals(plots.size(), imgs.size());
            for (WebElement img : imgs) {
                Object natural = ((JavascriptExecutor) driver).executeScript(
                        "return arguments[0].complete ? arguments[0].naturalWidth : -1", img);
                assertTrue(((Number) natural).intValue() > 0, img.getAttribute("src") + " did not render: naturalWidth "
                        + natural);
                assertTrue(img.getSize().getWidth() > 0 && img.getSize().getHeight() > 0, "laid out: " + img.getSize());
            }
            String text = driver.findElement(By.tagName("body")).getText();
            assertTrue(text.contains("Final metrics") && text.contains(Report.loss(r.last().trainLoss()))
                    && text.contains(Report.percent(r.last().valAccuracy())), "the metrics are on the page");
            assertTrue(text.contains("No warnings."));
            Path shots = Files.createDirectories(Path.of("target", "report-screenshots"));
            copy(dir, Files.createDirectories(shots.resolve("report")));
            byte[] png = driver.getScreenshotAs(OutputType.BYTES);
            Files.write(shots.resolve("report.png"), png);
            assertNotNull(ImageIO.read(new ByteArrayInputStream(png)));
        }
    }
}
