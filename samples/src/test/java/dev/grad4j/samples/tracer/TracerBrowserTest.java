package dev.grad4j.samples.tracer;

import dev.grad4j.train.Chromium;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

import javax.imageio.ImageIO;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import static dev.grad4j.Grad4j.backend;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tracer page in a real headless Chromium: the course's first graph forward and backward (49; 42, 28
 * and 14), b's two contributions in {@code (a + b) * b}, the in-place error, a malformed expression;
 * a screenshot of each under {@code samples/target/tracer-screenshots}.
 */
class TracerBrowserTest {

    /** The module's build folder (surefire runs the samples' tests from the repository root). */
    private static final Path SHOTS = Path.of(System.getProperty("basedir", "samples"), "target", "tracer-screenshots");

    @TempDir
    Path tmp;

    private WebDriver driver;

    private WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    private String text(String css) {
        return find(css).getText();
    }

    private void set(String name, String value) {
        WebElement field = find("#value-" + name);
        field.clear();
        field.sendKeys(value);
        assertEquals(value, field.getAttribute("value"));
    }

    /** Polls {@code condition} for up to 30 seconds. */
    private static void until(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited 30 s for " + what);
            }
            Thread.sleep(50);
        }
    }

    /** Waits for the element {@code css} to be there and show {@code text}. */
    private void waitForText(String css, String text) throws InterruptedException {
        until(css + " to show '" + text + "'", () -> driver.findElements(By.cssSelector(css)).stream()
                .anyMatch(e -> e.getText().contains(text)));
    }

    private void waitForVisible(String id) throws InterruptedException {
        until("#" + id + " to be shown", () -> driver.findElement(By.id(id)).isDisplayed());
    }

    private void choose(String select, String value) {
        find(select + " option[value='" + value + "']").click();
        assertEquals(value, find(select).getAttribute("value"));
    }

    private void shot(String name) throws Exception {
        byte[] png = ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
        assertNotNull(ImageIO.read(new ByteArrayInputStream(png)), name + " is a PNG");
        Files.write(Files.createDirectories(SHOTS).resolve(name + ".png"), png);
    }

    @Test
    @Tag("browser")
    void theCoursesGraphsForwardBackwardAndTheInPlaceTrapInHeadlessChromium() throws Exception {
        try (TracerServer server = TracerServer.start("127.0.0.1", 0, backend("ejml"));
             Chromium chromium = Chromium.start(tmp.resolve("chromium-profile"), "1400,1000")) {
            driver = chromium.driver;
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
            driver.get(server.uri().toString());
            assertEquals("Gradient Tracer · grad4j", driver.getTitle());
            until("the page to start", () -> "true".equals(find("body").getAttribute("data-ready")));

            // (x*w + b)^2 at x = 2, w = 3, b = 1
            choose("#example", "linear");
            assertEquals("(x*w + b)^2", find("#expression").getAttribute("value"));
            set("x", "2");
            set("w", "3");
            set("b", "1");
            find("#forward").click();
            waitForText(".node.output .value", "value 49");
            assertEquals(6, driver.findElements(By.cssSelector("#graph .node")).size());
            assertEquals(5, driver.findElements(By.cssSelector("#graph .edge")).size());
            assertEquals("", text(".node[data-label='x'] .grad"), "no gradient before backward");
            shot("1-forward");

            find("#step").click();
            waitForText("#status", "step 1 of 6");
            assertTrue(find(".node.output").getAttribute("class").contains("current"));
            assertEquals("grad 1", text(".node.output .grad"));

            choose("#speed", "150");
            find("#backward").click();
            waitForText("#status", "Backward done");
            assertEquals("value 49", text(".node.output .value"));
            assertEquals("grad 42", text(".node[data-label='x'] .grad"));
            assertEquals("grad 28", text(".node[data-label='w'] .grad"));
            assertEquals("grad 14", text(".node[data-label='b'] .grad"));
            assertEquals("42", text("#inputs tr[data-name='x'] .grad"));
            assertEquals("42", text("#inputs tr[data-name='x'] .numeric"), "central differences, to 6 digits");
            assertTrue(text(".node[data-label='w'] .numeric").startsWith("numeric 28 (Δ "), text(".node[data-label='w'] .numeric"));
            shot("2-backward");

            // (a + b) * b: b's gradient arrives by two paths
            choose("#example", "shared");
            find("#forward").click();
            waitForText(".node.output .value", "value 15");
            find("#backward").click();
            waitForText("#status", "Backward done");
            List<WebElement> parts = driver.findElements(By.cssSelector(".node[data-label='b'] .contribution"));
            assertEquals(2, parts.size());
            assertEquals("3 through a + b", parts.get(0).getText());
            assertEquals("+ 5 through (a + b) * b", parts.get(1).getText());
            assertEquals("grad 3 + 5 = 8", text(".node[data-label='b'] .grad"));
            assertEquals(1, driver.findElements(By.cssSelector(".node[data-label='a'] .contribution")).size());
            shot("3-contributions");

            // the in-place trap
            find("#inplace").click();
            waitForVisible("inplace-panel");
            String error = text("#error");
            assertTrue(error.contains("modified by an in-place operation") && error.contains("Mul"), error);
            assertTrue(text("#inplace-what").startsWith("b was changed in place from 3 to 4"), text("#inplace-what"));
            assertEquals("8", text("#naive tr[data-name='b'] td:nth-child(2)"));
            assertEquals("9", text("#naive tr[data-name='b'] td:nth-child(3)"), "the Mul reads b = 4: 5 + 4");
            assertTrue(find("#naive tr[data-name='a'] td:nth-child(3)").getAttribute("class").contains("wrong"));
            ((JavascriptExecutor) driver).executeScript("document.getElementById('inplace-panel').scrollIntoView()");
            shot("4-inplace");

            // the network draws, and a malformed expression is shown where it breaks
            choose("#example", "network");
            find("#forward").click();
            until("the network's 12 leaves", () -> driver.findElements(By.cssSelector("#graph .node.leaf")).size() == 12);
            find("#backward").click();
            waitForText("#status", "Backward done");
            driver.manage().window().setSize(new Dimension(2400, 2000));   // room for the whole graph
            ((JavascriptExecutor) driver).executeScript("document.body.style.maxWidth = 'none';"
                    + "document.getElementById('canvas').scrollIntoView()");
            shot("5-network");
            ((JavascriptExecutor) driver).executeScript("document.body.style.maxWidth = ''");
            driver.manage().window().setSize(new Dimension(1400, 1000));
            WebElement expression = find("#expression");
            expression.clear();
            expression.sendKeys("(x*w + b");
            find("#forward").click();
            waitForVisible("parse-error");
            assertTrue(text("#parse-message").contains("position 8: expected ')'"), text("#parse-message"));
            assertEquals("(x*w + b\n        ^", find("#parse-where").getAttribute("textContent"));
            shot("6-malformed");
        }
    }
}
