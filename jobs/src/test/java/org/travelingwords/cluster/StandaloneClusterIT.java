package org.travelingwords.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.travelingwords.testing.SketchAssertions.assertWithinRank;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.travelingwords.catalog.TableStore;
import org.travelingwords.exec.ExecutorJvm;
import org.travelingwords.model.Gpt2Config;
import org.travelingwords.model.RandomGpt2;
import org.travelingwords.testing.LocalSpark;

/**
 * {@code tw run} submitted to a real standalone cluster (a Master and three Workers, separate JVMs
 * on 127.0.0.1) with the application jar, against the same run in local mode: the executors are
 * distinct JVMs, each loaded the model once, and every table is the same, although one executor JVM
 * dies (halted as under kill -9) at the start of its first model task and the Worker replaces it.
 *
 * <p>Which executors end up serving the model tasks is the scheduler's business: after the halt, the
 * survivors' shuffle fetches from the lost JVM may fail and their stage re-run, and CI has seen one
 * executor serve every task. So the test asserts what holds whatever the timing: the application had
 * an executor on every Worker; each JVM that served reported one load of the model, as its own count
 * of loads says (not the size of a set, which could not show a second load), although it served
 * several of the four model tasks: three JVMs at most serve them, the halted one none.
 */
class StandaloneClusterIT {

    private static final Path TARGET = Path.of("target").toAbsolutePath();
    private static final int WORKERS = 3;

    @TempDir
    static Path dir;
    private static StandaloneCluster cluster;
    private static SparkSession spark;

    @BeforeAll
    static void start() throws Exception {
        cluster = StandaloneCluster.start(TARGET.resolve("spark-classpath.txt"), TARGET, WORKERS);
        spark = LocalSpark.start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        LocalSpark.stop();
    }

    @Test
    void clusterRunEqualsLocalRunWithOneModelLoadPerExecutor() throws Exception {
        Path model = dir.resolve("model");
        RandomGpt2.generate(Gpt2Config.of(2, 2, 16, 50257, 32), 5, 0.2).writeFolder(model);
        Path corpus = dir.resolve("corpus.jsonl");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            lines.append("{\"id\": \"d").append(i).append("\", \"text\": \"Document ").append(i)
                    .append(" walks along the river to the market, buys bread and cheese, and returns home before the ")
                    .append("evening train; the next morning it climbs the mountain and counts ").append(i * 3)
                    .append(" birds.\"}\n");
        }
        lines.append("not json\n");
        Files.writeString(corpus, lines, StandardCharsets.UTF_8);

        Path clusterOut = dir.resolve("out-cluster");
        Path localOut = dir.resolve("out-local");
        Path appJar = TARGET.resolve("traveling-words-app.jar");
        List<String> runArgs = List.of("--corpus", corpus.toString(), "--model", model.toString(), "--partitions", "4",
                "--block-size", "16", "--batch-tokens", "128", "--torch-threads", "1", "--run-date", "2026-01-01",
                "--no-report");
        // The cluster run goes through spark-submit with the application jar, as a user submits it; the
        // master comes from spark-submit, not from tw's --master.
        List<String> submit = new ArrayList<>(List.of("org.apache.spark.deploy.SparkSubmit",
                "--master", cluster.masterUrl(), "--deploy-mode", "client", "--class", "org.travelingwords.cli.TwCommand",
                "--conf", "spark.executor.memory=1g", "--conf", "spark.executor.cores=1",
                "--conf", "spark.scheduler.minRegisteredResourcesRatio=1.0",
                "--conf", "spark.scheduler.maxRegisteredResourcesWaitingTime=180s",
                "--conf", "spark.locality.wait=0s",
                "--conf", "spark.executor.extraJavaOptions=-Dai.djl.offline=true -D" + ExecutorJvm.HALT_ONCE + "="
                        + dir.resolve("executor-halted"),
                appJar.toString(), "run", "--out", clusterOut.toString(), "--run-id", "cluster"));
        submit.addAll(runArgs);
        runDriver("cluster", sparkClasspath(), submit);
        // The local run is what bin/tw does: the CLI itself with the application on its classpath.
        List<String> local = new ArrayList<>(List.of("org.travelingwords.cli.TwCommand", "run", "--master", "local[2]",
                "--out", localOut.toString(), "--run-id", "local"));
        local.addAll(runArgs);
        runDriver("local", appJar + ":" + sparkClasspath(), local);

        assertTrue(Files.exists(dir.resolve("executor-halted")), "an executor was lost mid-job");
        Row run = new TableStore(spark, clusterOut.toString()).read("runs").first();
        assertEquals("succeeded", run.getAs("status"));
        Row localRun = new TableStore(spark, localOut.toString()).read("runs").first();
        assertEquals((long) localRun.getAs("tokens"), (long) run.getAs("tokens"), "tokens of the plan, none counted twice");
        assertTrue(run.<String>getAs("spark_app_id").startsWith("app-"), "a standalone application id: " + run);
        assertTrue(executorFolders() >= WORKERS, "an executor on every Worker: " + executorFolders());
        List<String> executors = run.getList(run.fieldIndex("executors"));
        assertTrue(executors.size() >= 1, "model tasks ran on executors: " + executors);
        assertEquals(executors.size(), (long) run.getAs("model_loads"), "one load per executor: " + executors);
        Set<String> ids = new HashSet<>();
        Set<String> pids = new HashSet<>();
        for (String executor : executors) {
            ids.add(executor.substring(0, executor.indexOf('@')));
            pids.add(executor.substring(executor.lastIndexOf(':') + 1));
        }
        assertEquals(executors.size(), ids.size(), "distinct executor ids: " + executors);
        assertEquals(executors.size(), pids.size(), "distinct executor JVMs: " + executors);
        assertTrue(ids.stream().noneMatch("driver"::equals), "tasks ran on executors, not in the driver: " + executors);

        for (String table : List.of("sphere_stats", "token_travel", "rejects", "corpus_files")) {
            assertSameRows(table, clusterOut, localOut);
        }
    }

    /**
     * Same rows; moments equal to 1e-9 relative (only the merge order differs); quantiles, which a
     * KLL sketch gives only within its rank error, checked against the other run's sketch.
     */
    private static void assertSameRows(String table, Path a, Path b) throws IOException {
        List<Row> left = rows(table, a);
        List<Row> right = rows(table, b);
        assertEquals(right.size(), left.size(), table + " row count");
        assertTrue(left.size() > 0, table + " is empty");
        for (int i = 0; i < left.size(); i++) {
            Row l = left.get(i);
            Row r = right.get(i);
            for (int c = 0; c < l.size(); c++) {
                Object x = l.get(c);
                Object y = r.get(c);
                String column = l.schema().fields()[c].name();
                if (column.matches("p\\d\\d")) {
                    assertWithinRank(r.getAs("sketch"), Integer.parseInt(column.substring(1)) / 100.0, (Double) x,
                            table + " " + column + " of " + l);
                } else if (x instanceof Double dx && y instanceof Double dy) {
                    assertEquals(dy, dx, 1e-9 * Math.max(1, Math.abs(dy)), table + " row " + l);
                } else if (!(x instanceof byte[])) {
                    assertEquals(y, x, table + " column " + c);
                }
            }
        }
    }

    private static List<Row> rows(String table, Path out) throws IOException {
        var ds = new TableStore(spark, out.toString()).read(table).drop("run_id", "model_id", "run_date");
        String[] columns = ds.columns();
        List<String> sortable = new ArrayList<>();
        for (var field : ds.schema().fields()) {
            if (!(field.dataType() instanceof org.apache.spark.sql.types.BinaryType)) {
                sortable.add(field.name());
            }
        }
        return ds.select(columns[0], java.util.Arrays.copyOfRange(columns, 1, columns.length))
                .orderBy(sortable.stream().map(org.apache.spark.sql.functions::col)
                        .toArray(org.apache.spark.sql.Column[]::new))
                .collectAsList();
    }

    /** Executor folders the Workers made for the application (worker-w/app-id/executor-id), replacements included. */
    private static long executorFolders() throws IOException {
        try (var paths = Files.find(TARGET.resolve("cluster-work"), 3,
                (p, attributes) -> attributes.isDirectory() && p.getParent().getFileName().toString().startsWith("app-"))) {
            return paths.count();
        }
    }

    private static String sparkClasspath() {
        return cluster.home().resolve("conf") + ":" + cluster.home().resolve("jars") + "/*";
    }

    /** Runs a driver JVM (spark-submit, or the CLI itself) with the cluster's environment and waits for it. */
    private static void runDriver(String runId, String classpath, List<String> mainAndArgs)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(JavaCommand.base());
        command.add("-Xmx1g");
        command.add("-cp");
        command.add(classpath);
        command.addAll(mainAndArgs);
        Path log = TARGET.resolve("cluster-logs").resolve("driver-" + runId + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        StandaloneCluster.sparkEnvironment(builder, cluster.home());
        Process driver = builder.start();
        try {
            // Generous: on a loaded 2-core machine the cluster run alone took 150-200 s (it is not a timing test).
            assertTrue(driver.waitFor(600, TimeUnit.SECONDS), "tw run (" + runId + ") did not finish; see " + log);
            assertEquals(0, driver.exitValue(), "tw run (" + runId + ") failed:\n" + tail(log));
        } finally {
            driver.descendants().forEach(ProcessHandle::destroyForcibly);
            driver.destroyForcibly();
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
