package org.travelingwords.cluster;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Spark standalone cluster on 127.0.0.1 made of child JVMs: one Master and N Workers,
 * started from the build's jars (no Spark distribution: a SPARK_HOME whose jars/ links the
 * provided Spark jars, as SPARK-NOTES describes). {@link #close()} kills every process it
 * started and their children (the executors), also after a failure. Used by the integration
 * tests and {@code tw bench --cluster}.
 */
public final class StandaloneCluster implements AutoCloseable {

    private static final Pattern ALIVE_WORKERS = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)");

    private final Path home;
    private final Path logs;
    private final List<Process> processes = new ArrayList<>();
    private final int port;
    private final int webPort;

    private StandaloneCluster(Path home, Path logs, int port, int webPort) {
        this.home = home;
        this.logs = logs;
        this.port = port;
        this.webPort = webPort;
    }

    /**
     * Starts a Master and {@code workers} Workers with one core each and waits until all registered.
     *
     * @param sparkClasspath the Spark jars, ':'-separated: the build's target/spark-classpath.txt
     * @param dir            where the SPARK_HOME, the logs and the Workers' folders go
     */
    public static StandaloneCluster start(Path sparkClasspath, Path dir, int workers) throws IOException, InterruptedException {
        if (!Files.isRegularFile(sparkClasspath)) {
            throw new FileNotFoundException(sparkClasspath + " is missing: it lists the Spark jars a standalone cluster "
                    + "runs from; `./mvnw -DskipTests package` writes it (jobs/pom.xml, execution spark-classpath)");
        }
        Path home = sparkHome(sparkClasspath, dir);
        Path logs = Files.createDirectories(dir.resolve("cluster-logs"));
        // Each executor copies the application jar (~125 MB) into its work folder: keep only this run's.
        deleteTree(dir.resolve("cluster-work"));
        StandaloneCluster cluster = new StandaloneCluster(home, logs, freePort(), freePort());
        try {
            cluster.launch("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                    "--port", String.valueOf(cluster.port), "--webui-port", String.valueOf(cluster.webPort));
            for (int w = 0; w < workers; w++) {
                Path workDir = Files.createDirectories(dir.resolve("cluster-work").resolve("worker-" + w));
                cluster.launch("worker-" + w, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                        "--cores", "1", "--memory", "2g", "--webui-port", String.valueOf(freePort()),
                        "--work-dir", workDir.toString(), cluster.masterUrl());
            }
            cluster.awaitWorkers(workers, Duration.ofSeconds(120));
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    public String masterUrl() {
        return "spark://127.0.0.1:" + port;
    }

    public Path home() {
        return home;
    }

    /** The environment every Spark JVM here needs (SPARK-NOTES: SPARK_HOME, the Scala version, loopback). */
    public static void sparkEnvironment(ProcessBuilder builder, Path home) {
        builder.environment().put("SPARK_HOME", home.toString());
        builder.environment().put("SPARK_SCALA_VERSION", "2.13");
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    }

    /**
     * A SPARK_HOME whose jars/ links every provided (Spark) jar of the build, made anew each time so
     * that it follows the build's dependencies (symlinks: ~1 MB instead of ~400 MB of copies).
     */
    private static Path sparkHome(Path sparkClasspath, Path dir) throws IOException {
        Path home = dir.resolve("spark-home");
        Path jars = home.resolve("jars");
        deleteTree(jars);
        Files.createDirectories(jars);
        for (String jar : Files.readString(sparkClasspath).trim().split(":")) {
            Path source = Path.of(jar);
            Path link = jars.resolve(source.getFileName());
            if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(link, source);
            }
        }
        Path conf = Files.createDirectories(home.resolve("conf"));
        Files.writeString(conf.resolve("log4j2.properties"), String.join("\n",
                "rootLogger.level = warn", "rootLogger.appenderRef.console.ref = console",
                "appender.console.type = Console", "appender.console.name = console",
                "appender.console.layout.type = PatternLayout",
                "appender.console.layout.pattern = %d{HH:mm:ss} %-5p %c{1} - %m%n",
                "logger.tw.name = org.travelingwords", "logger.tw.level = info", ""));
        return home;
    }

    private void launch(String name, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(JavaCommand.base());
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(home.resolve("conf") + ":" + home.resolve("jars") + "/*");
        command.add(mainClass);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(logs.resolve(name + ".log").toFile());
        sparkEnvironment(builder, home);
        processes.add(builder.start());
    }

    private void awaitWorkers(int expected, Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            for (Process p : processes) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("a cluster JVM exited early (" + p.exitValue() + "); see " + logs);
                }
            }
            try {
                last = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webPort + "/json/")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                Matcher m = ALIVE_WORKERS.matcher(last);
                if (m.find() && Integer.parseInt(m.group(1)) >= expected) {
                    return;
                }
            } catch (IOException notYetUp) {
                // the master's web UI is still starting
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("workers did not register within " + timeout + "; master says " + last
                + "; logs in " + logs);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : processes) {
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
