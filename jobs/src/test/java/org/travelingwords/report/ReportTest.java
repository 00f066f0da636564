package org.travelingwords.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.travelingwords.analyses.AnalysisRegistry;
import org.travelingwords.catalog.RunRecord;
import org.travelingwords.catalog.TableStore;
import org.travelingwords.cli.ReportCommand;
import org.travelingwords.corpus.CorpusOptions;
import org.travelingwords.exec.ModelSettings;
import org.travelingwords.model.Gpt2Config;
import org.travelingwords.model.RandomGpt2;
import org.travelingwords.pass.CorpusRun;
import org.travelingwords.pass.RunConfig;
import org.travelingwords.pass.WindowSettings;
import org.travelingwords.sphere.SphereOptions;
import org.travelingwords.testing.LocalSpark;
import picocli.CommandLine;

/**
 * The report as a reader gets it: opened in headless Chromium (no console error, every image
 * loaded, every section of the run's tables there, token text shown as text), sections without
 * tables left out with the reason, and the page of a real run written by {@code tw report}.
 */
class ReportTest {

    /** Where the screenshot of the full page lands, for a person to look at. */
    private static final Path SCREENSHOT = Path.of("target", "report-screenshot.png");
    private static final Instant NOON = Instant.parse("2026-03-01T12:00:00Z");
    /** A src, href or CSS url() that is not a data URI or an anchor on the page. */
    private static final Pattern EXTERNAL =
            Pattern.compile("(?i)(?:src|href)\\s*=\\s*\"(?!data:|#)[^\"]*\"|url\\(|@import|https?://");

    private static SparkSession spark;
    @TempDir
    static Path dir;
    private static Path out;

    @BeforeAll
    static void tables() throws IOException {
        spark = LocalSpark.start();
        out = dir.resolve("out");
        TableStore store = new TableStore(spark, out.toString());
        new FixtureRun(spark, store, "r-full", "2026-03-01").sphere(0).travel().rejects().heads().probes().trajectories(out)
                .finish(RunRecord.SUCCEEDED, NOON.plusSeconds(7200));
        new FixtureRun(spark, store, "r-sphere", "2026-03-02").sphere(0.5).travel()
                .finish(RunRecord.SUCCEEDED, NOON.plusSeconds(3600));
        new FixtureRun(spark, store, "r-failed", "2026-03-03").sphere(0)
                .finish(RunRecord.FAILED, NOON.plusSeconds(10_800));
    }

    @AfterAll
    static void stop() {
        LocalSpark.stop();
    }

    @Test
    void fullRunReadsCleanlyInChromium() throws IOException {
        Path page = Path.of(new ReportWriter(spark, out.toString()).write(null, "r-sphere"));
        assertEquals(out.resolve("report").resolve("index.html").toAbsolutePath(), page.toAbsolutePath());
        String html = Files.readString(page, StandardCharsets.UTF_8);
        assertTrue(html.contains("<title>Traveling Words — run r-full</title>"), "the newest succeeded run by default");
        assertNoExternalReference(html);

        try (HeadlessChromium chromium = new HeadlessChromium(dir.resolve("chromium-profile"))) {
            chromium.open(page);
            assertEquals(List.of("run", "sphere", "heads", "probes", "trajectories", "comparison"),
                    chromium.sectionIds());
            assertEquals(List.of(), chromium.consoleErrors(), "console errors");
            assertTrue(chromium.imageCount() >= 10, "charts: " + chromium.imageCount());
            assertEquals(List.of(), chromium.brokenImages(), "images that did not load");
            assertEquals(0, chromium.count("main script, main b"), "token and snippet text stays text");
            String sphere = chromium.textOf("sphere");
            for (String token : List.of("<script>alert(1)</script>", "&amp;", "\"quoted\"", "↵")) {
                assertTrue(sphere.contains(token), "token shown as text: " + token);
            }
            assertTrue(sphere.contains("On the sphere"), "the radius check passes");
            String run = chromium.textOf("run");
            assertTrue(run.contains("invalid_json (malformed at column 3)") && run.contains("<b>bold</b> & broken"),
                    "rejects by reason, with examples");
            assertTrue(run.contains("<not markup>"), "the configuration, escaped");
            assertTrue(chromium.textOf("comparison").contains("Δ log_ratio"), "differences per layer");
            assertTrue(chromium.textOf("trajectories").contains("“Bread & <cheese>”"), "each figure with its phrase");
            assertEquals(2, chromium.count("#trajectories img"));
            chromium.screenshot(SCREENSHOT);
        }
        assertTrue(Files.size(SCREENSHOT) > 10_000);
    }

    @Test
    void sectionsWithoutTablesAreLeftOutSayingWhy() throws IOException {
        String html = Files.readString(Path.of(new ReportWriter(spark, out.toString()).write("r-sphere", null)));
        assertTrue(html.contains("<section id=\"sphere\">"));
        assertFalse(html.contains("<section id=\"heads\">"), "no heads tables, no heads section");
        assertTrue(html.contains("<li id=\"omitted-heads\"><strong>Heads</strong>: "
                        + "no rows of this run in head_stats, qk_pairs, head_subjects, head_clusters"),
                "says why the heads section is not there");
        assertTrue(html.contains("<p>From probe run r-full of the same model.</p>"), "the model's probes, from its probe run");
        assertTrue(html.contains("<li id=\"omitted-comparison\">"));
        assertTrue(html.contains("No input was rejected."));
    }

    @Test
    void failedRunIsReportedWithItsError() throws IOException {
        String html = Files.readString(Path.of(new ReportWriter(spark, out.toString()).write("r-failed", null)));
        assertTrue(html.contains("boom &lt;simulated&gt;"), "the error, escaped");
        assertTrue(html.contains("<li id=\"omitted-sphere\"><strong>The sphere</strong>: "
                + "no rows of this run in sphere_stats"));
    }

    @Test
    void unknownRunNamesTheRunsThere() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ReportWriter(spark, out.toString()).write("r-nope", null));
        assertTrue(e.getMessage().contains("r-failed, r-full, r-sphere"), e.getMessage());
    }

    /** tw report over the tables of a real run: a tiny random model over a small generated corpus. */
    @Test
    void reportCommandWritesThePageOfARealRun() throws Exception {
        Path model = dir.resolve("model");
        RandomGpt2.generate(Gpt2Config.of(2, 2, 16, 50257, 32), 5, 0.2).writeFolder(model);
        Path corpus = dir.resolve("corpus.jsonl");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            lines.append("{\"text\": \"Document ").append(i)
                    .append(" talks about rivers and mountains, then about bread and cheese, number ")
                    .append(i * 7).append(".\"}\n");
        }
        lines.append("not json\n");
        Files.writeString(corpus, lines);
        Path realOut = dir.resolve("real-out");
        new CorpusRun(spark, new RunConfig(new CorpusOptions(List.of(corpus.toString()), null, "text", null, 1000),
                new ModelSettings(model.toString(), "cpu", 1, "fp32"), new WindowSettings(0, 0, true, 2, 256),
                AnalysisRegistry.of(List.of("sphere"), new AnalysisRegistry.Options(new SphereOptions(0.2, false), null)),
                "2026-03-04", realOut.toString()), "real", "test").run();

        StringWriter printed = new StringWriter();
        int exit = new CommandLine(new ReportCommand()).setOut(new PrintWriter(printed))
                .execute("--out", realOut.toString());
        assertEquals(0, exit);
        Path page = realOut.resolve("report").resolve("index.html");
        assertEquals("report: " + page.toAbsolutePath(), printed.toString().strip());
        String html = Files.readString(page);
        assertTrue(html.contains("<section id=\"run\">") && html.contains("<section id=\"sphere\">"));
        assertTrue(count(html, "<img src=\"data:image/png;base64,") >= 6, "the sphere's charts");
        assertTrue(html.contains("invalid_json"), "the reject");
        assertNoExternalReference(html);
    }

    private static void assertNoExternalReference(String html) {
        Matcher external = EXTERNAL.matcher(html);
        assertFalse(external.find(), () -> "external reference: " + external.group());
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            n++;
        }
        return n;
    }
}
