package org.travelingwords.report;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's chromium, headless, through Debian's chromedriver: both paths are given, so Selenium
 * never looks for (or downloads) a browser or a driver. CI installs them (.ci/run); without them the
 * test fails saying so rather than skipping.
 */
final class HeadlessChromium implements AutoCloseable {

    static final File BROWSER = new File("/usr/bin/chromium");
    static final File DRIVER = new File("/usr/bin/chromedriver");

    private final ChromeDriver driver;

    HeadlessChromium(Path profile) {
        if (!BROWSER.canExecute() || !DRIVER.canExecute()) {
            throw new IllegalStateException("the report test needs " + BROWSER + " and " + DRIVER
                    + " (apt-get install -y chromium chromium-driver; .ci/run installs them)");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--hide-scrollbars", "--user-data-dir=" + profile.toAbsolutePath());
        LoggingPreferences logging = new LoggingPreferences();
        logging.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logging);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER).build();
        driver = new ChromeDriver(service, options);
    }

    void open(Path page) {
        driver.manage().window().setSize(new Dimension(1280, 900));
        driver.get(page.toUri().toString());
    }

    /** The page's console messages at SEVERE: script errors, failed loads, blocked requests. */
    List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::toString)
                .toList();
    }

    /** Each image's source (cut short) that did not load: not complete or no natural width. */
    @SuppressWarnings("unchecked")
    List<String> brokenImages() {
        return (List<String>) script("return Array.from(document.images)"
                + ".filter(img => !(img.complete && img.naturalWidth > 0))"
                + ".map(img => (img.getAttribute('src') || '').slice(0, 60));");
    }

    long imageCount() {
        return (Long) script("return document.images.length;");
    }

    @SuppressWarnings("unchecked")
    List<String> sectionIds() {
        return (List<String>) script("return Array.from(document.querySelectorAll('main > section')).map(s => s.id);");
    }

    /** The visible text of the element with this id, empty when there is none. */
    String textOf(String id) {
        Object text = script("const e = document.getElementById(arguments[0]); return e ? e.innerText : '';", id);
        return (String) text;
    }

    long count(String selector) {
        return (Long) script("return document.querySelectorAll(arguments[0]).length;", selector);
    }

    /** The whole page, top to bottom, as a PNG. */
    void screenshot(Path file) throws IOException {
        long height = (Long) script("return document.documentElement.scrollHeight;");
        driver.manage().window().setSize(new Dimension(1280, (int) Math.min(height + 120, 16_000)));
        Files.createDirectories(file.getParent());
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    }

    private Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
