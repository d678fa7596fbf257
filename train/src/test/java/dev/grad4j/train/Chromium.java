package dev.grad4j.train;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Debian's headless Chromium driven through Debian's chromedriver, for every browser test of the
 * project (the report here, the samples' Gradient Tracer through this module's test-jar): the
 * driver's path is given, so Selenium Manager never runs or downloads anything; a fresh profile; no
 * network chatter. A missing browser fails the test, saying how to install it.
 */
public final class Chromium implements AutoCloseable {

    /** Selenium looks for DevTools classes matching Chromium's version; the tests drive it through WebDriver alone. */
    private static final Logger CDP = Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");
    private static final Path CHROMIUM = Path.of(System.getProperty("grad4j.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("grad4j.chromedriver", "/usr/bin/chromedriver"));

    /** The driver of the running browser. */
    public final ChromeDriver driver;
    private final ChromeDriverService service;

    private Chromium(ChromeDriverService service, ChromeDriver driver) {
        this.service = service;
        this.driver = driver;
    }

    /** Starts a headless Chromium with its profile in {@code profile} (a folder that does not exist yet). */
    public static Chromium start(Path profile, String windowSize) throws IOException {
        for (Path p : List.of(CHROMIUM, CHROMEDRIVER)) {
            assertTrue(Files.isExecutable(p), p + " is missing: this test drives Debian's headless Chromium. Install it "
                    + "with `apt-get install -y chromium chromium-driver` (.ci/run does), or point -Dgrad4j.chromium and "
                    + "-Dgrad4j.chromedriver at a Chromium and its matching chromedriver");
        }
        CDP.setLevel(Level.SEVERE);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())  // the system driver: Selenium Manager never runs
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
                "--window-size=" + windowSize, "--user-data-dir=" + Files.createDirectory(profile));
        try {
            return new Chromium(service, new ChromeDriver(service, options));
        } catch (RuntimeException e) {
            service.stop();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
        }
    }
}
