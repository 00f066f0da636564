package org.travelingwords.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.travelingwords.cli.TwCommand;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The scheduling samples of conf/scheduling: the crontab line, the systemd service and timer (verified by
 * systemd-analyze where it is installed), the Airflow DAG (compiled, and run against stand-in Airflow modules
 * where python3 is installed), the Kubernetes CronJob (read by a strict reader of the YAML it uses, and by
 * PyYAML where installed) and the nightly.properties they all pass to {@code tw nightly --config}.
 */
class SchedulingSamplesTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path SAMPLES = ROOT.resolve("conf/scheduling");
    private static final String CONFIG = "/etc/traveling-words/nightly.properties";
    /** What every sample passes to {@code tw nightly} (Airflow adds --run-date {{ ds }}). */
    private static final List<String> NIGHTLY_ARGS = List.of("--config", CONFIG);
    private static final String APP_JAR = "/opt/traveling-words/traveling-words-app.jar";
    private static final String MAIN_CLASS = "org.travelingwords.cli.TwCommand";

    private record Result(int exitCode, String output) {}

    private static Result exec(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", command) + " hung");
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static String run(Path dir, String... command) throws IOException, InterruptedException {
        Result result = exec(dir, command);
        assertEquals(0, result.exitCode(), String.join(" ", command) + ":\n" + result.output());
        return result.output();
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }

    private static String sample(String name) throws IOException {
        return Files.readString(SAMPLES.resolve(name));
    }

    /** The text with comment markers dropped and blanks collapsed: what its comments and docstrings say. */
    private static String prose(String text) {
        return text.replaceAll("(?m)^\\s*#\\s?", "").replaceAll("\\s+", " ");
    }

    /** The arguments after the one {@code nightly} of {@code tokens}, up to a shell redirection or operator. */
    private static List<String> nightlyArgs(List<String> tokens) {
        assertEquals(1, tokens.stream().filter("nightly"::equals).count(), "one nightly in " + tokens);
        List<String> args = new ArrayList<>();
        for (String token : tokens.subList(tokens.indexOf("nightly") + 1, tokens.size())) {
            if (token.matches("\\d*[<>|;&].*")) {
                break;
            }
            args.add(token);
        }
        return args;
    }

    // ---------------------------------------------------------------- cron schedules

    private static final List<String> MONTHS = List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",
            "oct", "nov", "dec");
    private static final List<String> DAYS = List.of("sun", "mon", "tue", "wed", "thu", "fri", "sat");
    private static final Pattern CRON_ITEM = Pattern.compile("(\\*|\\d+(?:-\\d+)?|[A-Za-z]{3})(?:/(\\d+))?");

    /**
     * One field of a five-field cron schedule as the set of values it matches: lists of {@code *}, {@code N},
     * {@code N-M} (each with an optional {@code /STEP}) and, for months and days of the week, three-letter names
     * (single ones: not every cron takes a range of names).
     */
    static Set<Integer> cronField(String field, int min, int max, List<String> names, int nameBase) {
        Set<Integer> values = new TreeSet<>();
        for (String item : field.split(",", -1)) {
            Matcher m = CRON_ITEM.matcher(item);
            if (!m.matches()) {
                throw new IllegalArgumentException("not a cron item: '" + item + "' in '" + field + "'");
            }
            String base = m.group(1);
            int from;
            int to;
            if (base.equals("*")) {
                from = min;
                to = max;
            } else if (Character.isLetter(base.charAt(0))) {
                int index = names.indexOf(base.toLowerCase(Locale.ROOT));
                if (index < 0 || m.group(2) != null) {
                    throw new IllegalArgumentException("not a name here (or a name with a step): '" + item + "'");
                }
                from = to = index + nameBase;
            } else if (base.contains("-")) {
                from = Integer.parseInt(base.substring(0, base.indexOf('-')));
                to = Integer.parseInt(base.substring(base.indexOf('-') + 1));
            } else {
                if (m.group(2) != null) {
                    throw new IllegalArgumentException("a step needs * or a range: '" + item + "'");
                }
                from = to = Integer.parseInt(base);
            }
            int step = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
            if (from < min || to > max || from > to || step < 1 || step > max - min + 1) {
                throw new IllegalArgumentException("out of range [" + min + ", " + max + "]: '" + item + "'");
            }
            for (int v = from; v <= to; v += step) {
                values.add(v);
            }
        }
        return values;
    }

    /** A five-field cron schedule as its minutes, hours, days of the month, months and days of the week (0 = Sunday). */
    static List<Set<Integer>> cronSchedule(String schedule) {
        String[] f = schedule.trim().split("\\s+");
        if (f.length != 5) {
            throw new IllegalArgumentException("not five fields: '" + schedule + "'");
        }
        Set<Integer> days = cronField(f[4], 0, 7, DAYS, 0).stream().map(d -> d % 7)
                .collect(Collectors.toCollection(TreeSet::new));
        return List.of(cronField(f[0], 0, 59, List.of(), 0), cronField(f[1], 0, 23, List.of(), 0),
                cronField(f[2], 1, 31, List.of(), 0), cronField(f[3], 1, 12, MONTHS, 1), days);
    }

    private static Set<Integer> range(int from, int to) {
        return IntStream.rangeClosed(from, to).boxed().collect(Collectors.toCollection(TreeSet::new));
    }

    /** Every night at 02:30. */
    private static void assertNightlyAt0230(String schedule, String where) {
        assertEquals(List.of(Set.of(30), Set.of(2), range(1, 31), range(1, 12), range(0, 6)), cronSchedule(schedule),
                where + ": '" + schedule + "' is not 02:30 every day");
    }

    @Test
    void cronFieldsAreCheckedNotJustCounted() {
        assertEquals(List.of(Set.of(0, 15, 30, 45), Set.of(1, 2, 3, 22), Set.of(1, 15), Set.of(1, 6), Set.of(0, 1, 2, 3, 4, 5)),
                cronSchedule("*/15 1-3,22 1,15 JAN,jun 1-5,sun"));
        assertEquals(Set.of(0), cronSchedule("0 0 * * 7").get(4), "7 is Sunday too");
        for (String bad : new String[] {"30 2 * *", "30 2 * * * *", "60 2 * * *", "30 24 * * *", "30 2 0 * *",
            "30 2 * 13 *", "30 2 * * 8", "*/0 * * * *", "5-1 * * * *", "30 2 * * xyz", "30 2 * * mon-fri", "30/5 2 * * *", "30,,31 2 * * *",
            "@daily"}) {
            assertThrows(IllegalArgumentException.class, () -> cronSchedule(bad), bad);
        }
    }

    // ---------------------------------------------------------------- crontab

    @Test
    void crontabRunsTwNightlyAt0230WithTheConfig() throws IOException {
        String crontab = sample("crontab");
        assertTrue(crontab.endsWith("\n"), "cron ignores a last line without its newline");
        List<String> jobs = crontab.lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#") && !l.matches("[A-Za-z_][A-Za-z0-9_]*\\s*=.*"))
                .toList();
        assertEquals(1, jobs.size(), "one job line: " + jobs);
        String[] fields = jobs.get(0).split("\\s+", 6);
        assertEquals(6, fields.length, "five schedule fields and a command: " + jobs.get(0));
        assertNightlyAt0230(String.join(" ", List.of(fields).subList(0, 5)), "crontab");
        String command = fields[5];
        assertTrue(command.contains("tw nightly --config " + CONFIG), command);
        assertTrue(command.startsWith("/opt/traveling-words/bin/tw "), "the installed launcher: " + command);
        assertFalse(command.contains("%"), "cron turns % into a newline: " + command);
        assertFalse(command.contains("flock"), "tw nightly holds its own lock (exit 3)");
        assertTrue(command.matches(".*>>\\s*/\\S+\\.log\\s+2>&1$"), "output appended to a log file: " + command);
        assertEquals(NIGHTLY_ARGS, nightlyArgs(List.of(command.split("\\s+"))));
        assertTrue(prose(crontab).contains("No flock") && prose(crontab).contains("today, UTC"),
                "the comments say why there is no flock and that the run date is today, UTC");
    }

    // ---------------------------------------------------------------- systemd

    /** A systemd unit file as section -> key -> values (keys may repeat), refusing anything that is not INI. */
    static Map<String, Map<String, List<String>>> unitFile(String text) {
        Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();
        Map<String, List<String>> section = null;
        String pending = "";
        int number = 0;
        for (String raw : text.split("\n", -1)) {
            number++;
            String line = pending + raw.strip();
            if (line.endsWith("\\")) {
                pending = line.substring(0, line.length() - 1).stripTrailing() + " ";
                continue;
            }
            pending = "";
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[")) {
                if (!line.matches("\\[[A-Za-z][A-Za-z0-9-]*\\]")) {
                    throw new IllegalArgumentException("line " + number + ": not a section header: " + line);
                }
                String name = line.substring(1, line.length() - 1);
                if (sections.containsKey(name)) {
                    throw new IllegalArgumentException("line " + number + ": section [" + name + "] twice");
                }
                section = new LinkedHashMap<>();
                sections.put(name, section);
                continue;
            }
            Matcher m = Pattern.compile("([A-Za-z][A-Za-z0-9]*)\\s*=\\s*(.*)").matcher(line);
            if (!m.matches() || section == null) {
                throw new IllegalArgumentException("line " + number + ": not Key=Value in a section: " + line);
            }
            section.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(m.group(2));
        }
        if (!pending.isEmpty()) {
            throw new IllegalArgumentException("a continuation line at the end");
        }
        return sections;
    }

    private static String single(Map<String, List<String>> section, String key) {
        List<String> values = section.get(key);
        assertNotNull(values, key + " missing");
        assertEquals(1, values.size(), key + " given once: " + values);
        return values.get(0);
    }

    /** A systemd time span (300, 30s, 5min, 1h 30min) in seconds. */
    static long timeSpanSeconds(String span) {
        Map<String, Long> units = Map.of("", 1L, "s", 1L, "sec", 1L, "m", 60L, "min", 60L, "h", 3600L, "hr", 3600L);
        Matcher m = Pattern.compile("\\s*(\\d+)\\s*([a-z]*)").matcher(span);
        long seconds = 0;
        int end = 0;
        while (m.find() && m.start() == end) {
            Long unit = units.get(m.group(2));
            if (unit == null) {
                throw new IllegalArgumentException("unit " + m.group(2) + " in " + span);
            }
            seconds += Long.parseLong(m.group(1)) * unit;
            end = m.end();
        }
        if (end == 0 || end != span.length()) {
            throw new IllegalArgumentException("not a time span: " + span);
        }
        return seconds;
    }

    @Test
    void systemdUnitsAreAOneshotServiceAndItsNightlyTimer() throws IOException {
        Map<String, Map<String, List<String>>> service = unitFile(sample("tw-nightly.service"));
        assertEquals(List.of("Unit", "Service", "Install"), List.copyOf(service.keySet()));
        assertFalse(single(service.get("Unit"), "Description").isBlank());
        Map<String, List<String>> svc = service.get("Service");
        assertEquals("oneshot", single(svc, "Type"));
        assertFalse(single(svc, "User").isBlank() || single(svc, "User").equals("root"), "a service user, not root");
        assertEquals("/opt/traveling-words", single(svc, "WorkingDirectory"));
        String execStart = single(svc, "ExecStart");
        assertEquals("/opt/traveling-words/bin/tw nightly --config " + CONFIG, execStart);
        assertEquals(NIGHTLY_ARGS, nightlyArgs(List.of(execStart.split("\\s+"))));
        assertEquals("0", single(svc, "SuccessExitStatus"), "only 0 is success: exit 3 (lock) must show as failed");
        assertFalse(svc.containsKey("Restart") && svc.get("Restart").contains("always"), "a oneshot cannot Restart=always");
        assertTrue(sample("tw-nightly.service").contains("UTC"), "a comment on the run date: today, UTC");
        // The service is started by the timer: its [Install] must not start a nightly run at every boot.
        assertFalse(service.get("Install").containsKey("WantedBy"), "no WantedBy: the timer starts the service");
        assertEquals(List.of("tw-nightly.timer"), service.get("Install").get("Also"));

        Map<String, Map<String, List<String>>> timer = unitFile(sample("tw-nightly.timer"));
        assertEquals(List.of("Unit", "Timer", "Install"), List.copyOf(timer.keySet()));
        Map<String, List<String>> t = timer.get("Timer");
        assertEquals("*-*-* 02:30:00 UTC", single(t, "OnCalendar"));
        assertEquals("true", single(t, "Persistent"));
        long delay = timeSpanSeconds(single(t, "RandomizedDelaySec"));
        assertTrue(delay > 0 && delay <= 15 * 60, "a small randomized delay: " + delay + " s");
        assertEquals("tw-nightly.service", t.containsKey("Unit") ? single(t, "Unit") : "tw-nightly.service");
        assertEquals("timers.target", single(timer.get("Install"), "WantedBy"));
    }

    @Test
    void unitFileReaderRefusesWhatIsNotIni() {
        assertThrows(IllegalArgumentException.class, () -> unitFile("Type=oneshot\n[Service]\n"), "a key before a section");
        assertThrows(IllegalArgumentException.class, () -> unitFile("[Service]\nExecStart /bin/true\n"));
        assertThrows(IllegalArgumentException.class, () -> unitFile("[Service]\n[Service]\n"));
        assertEquals(List.of("/bin/true a b"), unitFile("[Service]\nExecStart=/bin/true \\\n  a b\n").get("Service").get("ExecStart"));
        assertEquals(330, timeSpanSeconds("5min 30s"));
        assertThrows(IllegalArgumentException.class, () -> timeSpanSeconds("5 minutes"));
    }

    @Test
    void systemdAnalyzeVerifiesBothUnits(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(onPath("systemd-analyze"),
                "systemd-analyze is not on the PATH: the units are only read as INI here, not verified by systemd");
        // /opt/traveling-words does not exist here: the copy starts /bin/true (systemd checks that it is executable).
        String service = sample("tw-nightly.service").replace("ExecStart=/opt/traveling-words/bin/tw ", "ExecStart=/bin/true ");
        assertTrue(service.contains("ExecStart=/bin/true nightly --config " + CONFIG), service);
        Files.writeString(dir.resolve("tw-nightly.service"), service);
        Files.copy(SAMPLES.resolve("tw-nightly.timer"), dir.resolve("tw-nightly.timer"));
        Result verify = exec(dir, "systemd-analyze", "verify", dir.resolve("tw-nightly.service").toString(),
                dir.resolve("tw-nightly.timer").toString());
        assertEquals(0, verify.exitCode(), verify.output());
        // verify exits 0 on unknown keys and unparsable values (it ignores them): none may be reported for our units.
        List<String> complaints = verify.output().lines().filter(l -> l.contains("tw-nightly")).toList();
        assertEquals(List.of(), complaints);
        String calendar = run(dir, "systemd-analyze", "calendar", "*-*-* 02:30:00 UTC");
        assertTrue(calendar.contains("Normalized form: *-*-* 02:30:00 UTC"), calendar);

        // The check can fail: an unknown key is reported.
        Files.writeString(dir.resolve("tw-nightly.service"), service.replace("Type=oneshot", "Type=oneshot\nBogusKey=1"));
        Result bogus = exec(dir, "systemd-analyze", "verify", dir.resolve("tw-nightly.service").toString(),
                dir.resolve("tw-nightly.timer").toString());
        assertTrue(bogus.output().contains("BogusKey"), bogus.output());
    }

    // ---------------------------------------------------------------- Airflow

    private static final String AIRFLOW_DAG = "airflow_tw_nightly.py";

    /** The string literals of the Python list assigned to {@code keyword=} in {@code source}. */
    private static List<String> pythonStringList(String source, String keyword) {
        Matcher list = Pattern.compile("\\b" + keyword + "=\\[([^\\]]*)\\]").matcher(source);
        assertTrue(list.find(), keyword + "=[...] in the DAG");
        assertTrue(list.group(1).matches("\\s*(\"[^\"]*\"\\s*,\\s*)*\"[^\"]*\"\\s*,?\\s*"), "string literals only: " + list.group(1));
        Matcher s = Pattern.compile("\"([^\"]*)\"").matcher(list.group(1));
        List<String> values = new ArrayList<>();
        while (s.find()) {
            values.add(s.group(1));
        }
        return values;
    }

    @Test
    void airflowDagSubmitsTheAppJarWithTheNightlyArguments() throws IOException {
        String dag = sample(AIRFLOW_DAG);
        assertTrue(dag.contains("from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator"), "SparkSubmitOperator");
        assertTrue(dag.contains("application=\"" + APP_JAR + "\""), "the application jar");
        assertTrue(dag.contains("java_class=\"" + MAIN_CLASS + "\""), "the main class");
        assertEquals(List.of("nightly", "--config", CONFIG, "--run-date", "{{ ds }}"), pythonStringList(dag, "application_args"));
        assertTrue(dag.contains("max_active_runs=1"), "max_active_runs=1");
        assertTrue(dag.matches("(?s).*\n\\s*#[^\n]*catchup[^\n]*\n.*\n\\s*catchup=(True|False),.*"), "catchup, with a comment on why");
        Matcher schedule = Pattern.compile("\\bschedule=\"([^\"]+)\"").matcher(dag);
        assertTrue(schedule.find(), "a cron schedule");
        assertNightlyAt0230(schedule.group(1), AIRFLOW_DAG);
        assertTrue(dag.contains("\"retries\":") && dag.contains("exit 3") && dag.contains("exit 2"), "retries, and which exits they are for");
    }

    @Test
    void airflowDagCompiles(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(onPath("python3"), "python3 is not on the PATH: the Airflow DAG is not compiled here");
        // A copy, so that py_compile's __pycache__ lands in the temp folder, not in conf/scheduling.
        Path copy = Files.copy(SAMPLES.resolve(AIRFLOW_DAG), dir.resolve(AIRFLOW_DAG));
        run(dir, "python3", "-m", "py_compile", copy.toString());
    }

    /**
     * Runs the DAG file against stand-in airflow, airflow.exceptions, the Spark provider's operator module and
     * pendulum (the real ones need not be installed), prints what the DAG and its task were given, then the
     * exception the task raises when spark-submit exits 0, 1, 2 and 3 (the hook's "Error code is: N").
     */
    private static final String DAG_HARNESS = """
            import datetime, sys, types
            class AirflowException(Exception): pass
            class AirflowFailException(AirflowException): pass
            DAGS = []
            class DAG:
                current = None
                def __init__(self, **kwargs):
                    self.kwargs, self.tasks = kwargs, []
                    DAGS.append(self)
                def __enter__(self):
                    DAG.current = self
                    return self
                def __exit__(self, *exc):
                    DAG.current = None
                    return False
            class SparkSubmitOperator:
                exit_code = 0
                def __init__(self, **kwargs):
                    self.kwargs = kwargs
                    DAG.current.tasks.append(self)
                def execute(self, context):
                    if SparkSubmitOperator.exit_code:
                        raise AirflowException("Cannot execute: spark-submit --class org.travelingwords.cli.TwCommand "
                                               "... nightly. Error code is: %d." % SparkSubmitOperator.exit_code)
            def module(name, **attrs):
                m = types.ModuleType(name)
                m.__dict__.update(attrs)
                sys.modules[name] = m
            module("airflow", DAG=DAG)
            module("airflow.exceptions", AirflowException=AirflowException, AirflowFailException=AirflowFailException)
            for name in ("airflow.providers", "airflow.providers.apache", "airflow.providers.apache.spark",
                         "airflow.providers.apache.spark.operators"):
                module(name)
            module("airflow.providers.apache.spark.operators.spark_submit", SparkSubmitOperator=SparkSubmitOperator)
            module("pendulum", datetime=lambda *a, tz=None: datetime.datetime(*a, tzinfo=datetime.timezone.utc if tz == "UTC" else None))
            path = sys.argv[1]
            exec(compile(open(path).read(), path, "exec"), {"__name__": "tw_nightly_dag"})
            print("dags=%d" % len(DAGS))
            dag = DAGS[0]
            for key in ("dag_id", "schedule", "catchup", "max_active_runs"):
                print("dag.%s=%s" % (key, dag.kwargs.get(key)))
            print("dag.start_date.tz=%s" % dag.kwargs["start_date"].tzinfo)
            print("dag.retries=%s" % dag.kwargs.get("default_args", {}).get("retries"))
            print("tasks=%d" % len(dag.tasks))
            task = dag.tasks[0]
            print("task.is_spark_submit=%s" % isinstance(task, SparkSubmitOperator))
            for key in ("application", "java_class", "deploy_mode"):
                print("task.%s=%s" % (key, task.kwargs.get(key)))
            print("task.application_args=%s" % "\\t".join(task.kwargs["application_args"]))
            for code in (0, 1, 2, 3):
                SparkSubmitOperator.exit_code = code
                try:
                    task.execute({})
                    outcome = "success"
                except Exception as e:
                    outcome = type(e).__name__
                print("exit.%d=%s" % (code, outcome))
            """;

    @Test
    void airflowDagRetriesEverythingButAConfigurationError(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(onPath("python3"), "python3 is not on the PATH: the Airflow DAG is not run here");
        Path harness = Files.writeString(dir.resolve("harness.py"), DAG_HARNESS);
        String output = run(dir, "python3", harness.toString(), SAMPLES.resolve(AIRFLOW_DAG).toString());
        Map<String, String> facts = new LinkedHashMap<>();
        output.lines().filter(l -> l.contains("=")).forEach(l -> facts.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
        assertEquals("1", facts.get("dags"), output);
        assertEquals("1", facts.get("tasks"), output);
        assertEquals("True", facts.get("task.is_spark_submit"), "the task is a SparkSubmitOperator");
        assertEquals(APP_JAR, facts.get("task.application"));
        assertEquals(MAIN_CLASS, facts.get("task.java_class"));
        assertEquals("client", facts.get("task.deploy_mode"), "client mode: spark-submit exits with tw's exit code");
        List<String> args = List.of(facts.get("task.application_args").split("\t"));
        assertEquals(List.of("nightly", "--config", CONFIG, "--run-date", "{{ ds }}"), args);
        assertNightlyAt0230(facts.get("dag.schedule"), AIRFLOW_DAG);
        assertEquals("UTC", facts.get("dag.start_date.tz"), "the schedule is read in start_date's timezone");
        assertEquals("1", facts.get("dag.max_active_runs"));
        assertTrue(Set.of("True", "False").contains(facts.get("dag.catchup")), "catchup set explicitly");
        assertTrue(Integer.parseInt(facts.get("dag.retries")) > 0, "retries, for a held lock (3)");
        assertEquals("success", facts.get("exit.0"));
        assertEquals("AirflowException", facts.get("exit.1"), "a failed run keeps its retries");
        assertEquals("AirflowFailException", facts.get("exit.2"), "a configuration error is not retried");
        assertEquals("AirflowException", facts.get("exit.3"), "a held lock is retried");
    }

    // ---------------------------------------------------------------- Kubernetes

    /**
     * A strict reader of the block YAML the samples use: mappings, sequences (also at their key's indentation),
     * plain and quoted scalars and flat flow collections, as LinkedHashMap, ArrayList and String. It refuses what it
     * does not read (tabs, anchors, aliases, tags, block scalars, several documents, bad indentation, duplicate keys).
     */
    static final class Yaml {
        private record Line(int number, int indent, String text) {}

        private final List<Line> lines = new ArrayList<>();
        private int pos;

        static Object parse(String source) {
            Yaml yaml = new Yaml(source);
            if (yaml.lines.isEmpty()) {
                throw new IllegalArgumentException("no document");
            }
            Object root = yaml.node(-1);
            if (yaml.pos != yaml.lines.size()) {
                throw yaml.error(yaml.lines.get(yaml.pos), "unexpected indentation");
            }
            return root;
        }

        private Yaml(String source) {
            String[] raw = source.split("\n", -1);
            boolean documentStart = false;
            for (int i = 0; i < raw.length; i++) {
                String content = stripComment(raw[i].endsWith("\r") ? raw[i].substring(0, raw[i].length() - 1) : raw[i]);
                if (content.isBlank()) {
                    continue;
                }
                int indent = 0;
                while (content.charAt(indent) == ' ') {
                    indent++;
                }
                if (content.charAt(indent) == '\t') {
                    throw new IllegalArgumentException("line " + (i + 1) + ": a tab in the indentation");
                }
                String text = content.substring(indent).stripTrailing();
                if (text.equals("---")) {
                    if (documentStart || !lines.isEmpty()) {
                        throw new IllegalArgumentException("line " + (i + 1) + ": one document only");
                    }
                    documentStart = true;
                    continue;
                }
                if (text.startsWith("...") || text.startsWith("%") || text.startsWith("? ")) {
                    throw new IllegalArgumentException("line " + (i + 1) + ": unsupported: " + text);
                }
                lines.add(new Line(i + 1, indent, text));
            }
        }

        private IllegalArgumentException error(Line line, String message) {
            return new IllegalArgumentException("line " + line.number() + ": " + message + ": " + line.text());
        }

        /** Cuts a comment: a # at the start or after a blank, outside quotes. */
        private static String stripComment(String line) {
            char quote = 0;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quote == '"' && c == '\\') {
                    i++;
                } else if (quote != 0) {
                    if (c == quote) {
                        quote = 0;
                    }
                } else if ((c == '"' || c == '\'') && opensScalar(line, i)) {
                    quote = c;
                } else if (c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                    return line.substring(0, i);
                }
            }
            return line;
        }

        /** Whether the quote at {@code i} starts a scalar (after a blank, :, -, [, { or , or at the line's start). */
        private static boolean opensScalar(String line, int i) {
            int j = i - 1;
            while (j >= 0 && line.charAt(j) == ' ') {
                j--;
            }
            return j < 0 || ":-[{,".indexOf(line.charAt(j)) >= 0;
        }

        private static boolean isItem(String text) {
            return text.equals("-") || text.startsWith("- ");
        }

        private Object node(int parentIndent) {
            Line first = lines.get(pos);
            if (first.indent() <= parentIndent) {
                throw error(first, "expected a nested block");
            }
            return isItem(first.text()) ? sequence(first.indent()) : mapping(first.indent());
        }

        private List<Object> sequence(int indent) {
            List<Object> list = new ArrayList<>();
            while (pos < lines.size()) {
                Line line = lines.get(pos);
                if (line.indent() < indent || line.indent() == indent && !isItem(line.text())) {
                    break;
                }
                if (line.indent() > indent) {
                    throw error(line, "bad indentation");
                }
                int offset = 1;
                while (offset < line.text().length() && line.text().charAt(offset) == ' ') {
                    offset++;
                }
                String rest = line.text().substring(offset);
                if (rest.isEmpty()) {
                    pos++;
                    if (pos >= lines.size()) {
                        throw error(line, "an empty item");
                    }
                    list.add(node(indent));
                } else if (isItem(rest)) {
                    throw error(line, "unsupported: an item starting with an item");
                } else if (keyEnd(rest) >= 0) {
                    lines.set(pos, new Line(line.number(), indent + offset, rest));
                    list.add(mapping(indent + offset));
                } else {
                    list.add(scalar(rest, line));
                    pos++;
                }
            }
            return list;
        }

        private Map<String, Object> mapping(int indent) {
            Map<String, Object> map = new LinkedHashMap<>();
            while (pos < lines.size()) {
                Line line = lines.get(pos);
                if (line.indent() < indent) {
                    break;
                }
                if (line.indent() > indent) {
                    throw error(line, "bad indentation");
                }
                if (isItem(line.text())) {
                    throw error(line, "an item among a mapping's keys");
                }
                int colon = keyEnd(line.text());
                if (colon < 0) {
                    throw error(line, "expected key: value");
                }
                Object keyNode = scalar(line.text().substring(0, colon).strip(), line);
                if (!(keyNode instanceof String key) || key.isEmpty()) {
                    throw error(line, "not a key");
                }
                if (map.containsKey(key)) {
                    throw error(line, "duplicate key " + key);
                }
                String value = line.text().substring(colon + 1).strip();
                pos++;
                if (!value.isEmpty()) {
                    map.put(key, scalar(value, line));
                } else if (pos < lines.size() && lines.get(pos).indent() > indent) {
                    map.put(key, node(indent));
                } else if (pos < lines.size() && lines.get(pos).indent() == indent && isItem(lines.get(pos).text())) {
                    map.put(key, sequence(indent));
                } else {
                    throw error(line, "no value for " + key);
                }
            }
            return map;
        }

        /** The index of the colon that ends a mapping key in {@code text} (followed by a blank or the end), or -1. */
        private static int keyEnd(String text) {
            if (text.startsWith("[") || text.startsWith("{")) {
                return -1;
            }
            int i = 0;
            if (text.startsWith("\"") || text.startsWith("'")) {
                i = closingQuote(text, 0);
                if (i < 0) {
                    return -1;
                }
                i++;
                return i < text.length() && text.charAt(i) == ':' && (i + 1 == text.length() || text.charAt(i + 1) == ' ') ? i : -1;
            }
            for (; i < text.length(); i++) {
                if (text.charAt(i) == ':' && (i + 1 == text.length() || text.charAt(i + 1) == ' ')) {
                    return i;
                }
            }
            return -1;
        }

        /** The index of the quote that closes the one at {@code start}, or -1. */
        private static int closingQuote(String text, int start) {
            char quote = text.charAt(start);
            for (int i = start + 1; i < text.length(); i++) {
                char c = text.charAt(i);
                if (quote == '"' && c == '\\') {
                    i++;
                } else if (c == quote) {
                    if (quote == '\'' && i + 1 < text.length() && text.charAt(i + 1) == '\'') {
                        i++;
                    } else {
                        return i;
                    }
                }
            }
            return -1;
        }

        private Object scalar(String value, Line line) {
            char c = value.charAt(0);
            if (c == '"' || c == '\'') {
                int end = closingQuote(value, 0);
                if (end != value.length() - 1) {
                    throw error(line, "a quoted scalar must end the value");
                }
                String inner = value.substring(1, end);
                if (c == '\'') {
                    return inner.replace("''", "'");
                }
                StringBuilder out = new StringBuilder();
                for (int i = 0; i < inner.length(); i++) {
                    char ch = inner.charAt(i);
                    if (ch != '\\') {
                        out.append(ch);
                        continue;
                    }
                    char esc = inner.charAt(++i);
                    switch (esc) {
                        case '"', '\\', '/' -> out.append(esc);
                        case 'n' -> out.append('\n');
                        case 't' -> out.append('\t');
                        default -> throw error(line, "unsupported escape \\" + esc);
                    }
                }
                return out.toString();
            }
            if (c == '[' || c == '{') {
                char close = c == '[' ? ']' : '}';
                if (value.charAt(value.length() - 1) != close) {
                    throw error(line, "a flow collection must end the value");
                }
                List<String> items = flowItems(value.substring(1, value.length() - 1), line);
                if (c == '[') {
                    List<Object> list = new ArrayList<>();
                    for (String item : items) {
                        list.add(scalar(item, line));
                    }
                    return list;
                }
                Map<String, Object> map = new LinkedHashMap<>();
                for (String item : items) {
                    int colon = keyEnd(item);
                    if (colon < 0 || !(scalar(item.substring(0, colon).strip(), line) instanceof String key)) {
                        throw error(line, "not key: value in a flow mapping: " + item);
                    }
                    if (map.put(key, scalar(item.substring(colon + 1).strip(), line)) != null) {
                        throw error(line, "duplicate key " + key);
                    }
                }
                return map;
            }
            if ("&*!|>%@`]},".indexOf(c) >= 0 || isItem(value) || value.startsWith("? ")) {
                throw error(line, "unsupported or reserved: " + value);
            }
            if (value.contains(": ") || value.endsWith(":") || value.contains(" #")) {
                throw error(line, "a plain scalar with ': ' or ' #'");
            }
            return value;
        }

        /** The comma-separated items of a flat flow collection (no nested collections). */
        private List<String> flowItems(String inner, Line line) {
            List<String> items = new ArrayList<>();
            if (inner.isBlank()) {
                return items;
            }
            int start = 0;
            for (int i = 0; i <= inner.length(); i++) {
                if (i == inner.length() || inner.charAt(i) == ',') {
                    String item = inner.substring(start, i).strip();
                    if (item.isEmpty()) {
                        throw error(line, "an empty flow item");
                    }
                    items.add(item);
                    start = i + 1;
                } else if (inner.charAt(i) == '"' || inner.charAt(i) == '\'') {
                    if (!inner.substring(start, i).isBlank() && !inner.substring(start, i).strip().endsWith(":")) {
                        continue;
                    }
                    i = closingQuote(inner, i);
                    if (i < 0) {
                        throw error(line, "an unclosed quote");
                    }
                } else if ("[]{}".indexOf(inner.charAt(i)) >= 0) {
                    throw error(line, "unsupported: nested flow collections");
                }
            }
            return items;
        }
    }

    /** The tree as JSON with sorted keys and ASCII escapes, as Python's json.dumps(sort_keys=True) writes it. */
    static String canonicalJson(Object node) {
        if (node instanceof Map<?, ?> map) {
            return new TreeMap<>(map).entrySet().stream()
                    .map(e -> canonicalJson(e.getKey()) + ":" + canonicalJson(e.getValue()))
                    .collect(Collectors.joining(",", "{", "}"));
        }
        if (node instanceof List<?> list) {
            return list.stream().map(SchedulingSamplesTest::canonicalJson).collect(Collectors.joining(",", "[", "]"));
        }
        if (node == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("\"");
        for (char c : node.toString().toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> out.append(c >= ' ' && c <= '~' ? String.valueOf(c) : String.format("\\u%04x", (int) c));
            }
        }
        return out.append('"').toString();
    }

    @Test
    void yamlReaderRefusesWhatItDoesNotUnderstand() {
        assertEquals(Map.of("a", List.of("x", Map.of("b", "1", "c", List.of("2", "3"))), "d", Map.of("e", "f g", "h", "i: j")),
                Yaml.parse("# c\na:\n- x\n- b: 1   # c\n  c: [2, \"3\"]\nd: {e: f g, h: 'i: j'}\n"));
        for (String bad : new String[] {"a:\n\tb: 1\n", "a: &x 1\nb: *x\n", "a: |\n  text\n", "a: 1\na: 2\n",
            "a:\n  b: 1\n c: 2\n", "a: 1\n---\nb: 2\n", "a: b: c\n", "a:\n", "- a\nb: 1\n", "a: [1, [2]]\n",
            "a: !!str 1\n"}) {
            assertThrows(IllegalArgumentException.class, () -> Yaml.parse(bad), bad);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node, String what) {
        assertTrue(node instanceof Map, what + " is a mapping: " + node);
        return (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object node, String what) {
        assertTrue(node instanceof List, what + " is a sequence: " + node);
        return (List<Object>) node;
    }

    private static Object at(Object root, String path) {
        Object node = root;
        for (String key : path.split("\\.")) {
            node = map(node, path).get(key);
            assertNotNull(node, path + " (at " + key + ")");
        }
        return node;
    }

    /** The image the project's compose file and Kubernetes files name (they must agree on one). */
    private static String projectImage() throws IOException {
        Set<String> images = new LinkedHashSet<>();
        List<Path> files = new ArrayList<>(List.of(ROOT.resolve("docker-compose.yml")));
        try (Stream<Path> k8s = Files.list(ROOT.resolve("conf/k8s"))) {
            k8s.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(files::add);
        }
        Pattern image = Pattern.compile("(?m)^\\s*image:\\s*['\"]?([^'\"\\s#]+)");
        for (Path file : files) {
            Matcher m = image.matcher(Files.readString(file));
            while (m.find()) {
                images.add(m.group(1));
            }
        }
        assertEquals(1, images.size(), "one image across docker-compose.yml and conf/k8s: " + images);
        return images.iterator().next();
    }

    private static boolean containsRun(List<String> list, List<String> run) {
        return IntStream.rangeClosed(0, list.size() - run.size()).anyMatch(i -> list.subList(i, i + run.size()).equals(run));
    }

    @Test
    void kubernetesCronJobRunsTwNightlyOnceAtATimeWithTheProjectImage() throws IOException {
        String text = sample("k8s-cronjob.yaml");
        Object root = Yaml.parse(text);
        assertEquals("batch/v1", at(root, "apiVersion"));
        assertEquals("CronJob", at(root, "kind"));
        Map<String, Object> spec = map(at(root, "spec"), "spec");
        assertNightlyAt0230((String) spec.get("schedule"), "k8s-cronjob.yaml");
        assertTrue(!spec.containsKey("timeZone") || Set.of("Etc/UTC", "UTC").contains(spec.get("timeZone")), "UTC: " + spec.get("timeZone"));
        assertEquals("Forbid", spec.get("concurrencyPolicy"));
        assertTrue(Integer.parseInt((String) at(root, "spec.startingDeadlineSeconds")) > 0);
        assertTrue(Integer.parseInt((String) at(root, "spec.successfulJobsHistoryLimit")) >= 0);
        assertTrue(Integer.parseInt((String) at(root, "spec.failedJobsHistoryLimit")) >= 1, "keep failed runs to read");
        Map<String, Object> job = map(at(root, "spec.jobTemplate.spec"), "job spec");
        assertTrue(Integer.parseInt((String) job.get("backoffLimit")) >= 0);

        Map<String, Object> pod = map(at(root, "spec.jobTemplate.spec.template.spec"), "pod spec");
        String submit = Files.readString(ROOT.resolve("conf/k8s/submit.sh"));
        Matcher account = Pattern.compile("serviceAccountName=\"\\$\\{SERVICE_ACCOUNT:-([^}]+)}\"").matcher(submit);
        assertTrue(account.find(), "submit.sh's service account");
        assertEquals(account.group(1), pod.get("serviceAccountName"), "the service account Spark on Kubernetes uses in conf/k8s");
        List<Object> containers = list(pod.get("containers"), "containers");
        assertEquals(1, containers.size());
        Map<String, Object> container = map(containers.get(0), "container");
        String image = projectImage();
        assertEquals(image, container.get("image"), "the image of docker-compose.yml / conf/k8s");

        List<String> args = list(container.get("args"), "args").stream().map(a -> (String) a).toList();
        assertTrue(containsRun(args, List.of("nightly", "--config", CONFIG)), "tw nightly --config " + CONFIG + ": " + args);
        assertEquals(NIGHTLY_ARGS, nightlyArgs(args));
        assertEquals("submit", args.get(0), "the image's spark-submit role");
        assertTrue(Files.readString(ROOT.resolve("docker/entrypoint.sh")).contains("\n  submit)"), "entrypoint.sh has a submit role");
        assertTrue(containsRun(args, List.of("--deploy-mode", "client")), "client mode: the pod's exit code is tw's");
        assertTrue(containsRun(args, List.of("--class", MAIN_CLASS)));
        Matcher jar = Pattern.compile("local://(/\\S+\\.jar)").matcher(submit);
        assertTrue(jar.find(), "submit.sh's application jar");
        assertEquals(APP_JAR, jar.group(1));
        assertEquals(args.indexOf("nightly") - 1, args.indexOf("local://" + APP_JAR), "the app jar, then its arguments");
        assertTrue(args.contains("spark.kubernetes.container.image=" + image), "executors run the same image");
        // The image holds the project's conf/ at /opt/traveling-words/conf (docker/Dockerfile).
        for (String arg : args) {
            Matcher conf = Pattern.compile("/opt/traveling-words/(conf/\\S+)").matcher(arg);
            if (conf.find()) {
                assertTrue(Files.exists(ROOT.resolve(conf.group(1))), arg + ": no " + conf.group(1) + " in the project");
            }
        }
        // Kubernetes leaves $(NAME) as it is when the container has no NAME: every one must be defined.
        Set<String> env = list(container.get("env"), "env").stream().map(e -> (String) map(e, "env var").get("name"))
                .collect(Collectors.toSet());
        Matcher ref = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)").matcher(String.join(" ", args));
        while (ref.find()) {
            assertTrue(env.contains(ref.group(1)), "$(" + ref.group(1) + ") is not among the container's env " + env);
        }

        // The config: a ConfigMap volume mounted at /etc/traveling-words, holding nightly.properties.
        Map<String, String> mounts = new LinkedHashMap<>();
        for (Object m : list(container.get("volumeMounts"), "volumeMounts")) {
            mounts.put((String) map(m, "mount").get("mountPath"), (String) map(m, "mount").get("name"));
        }
        String configVolume = mounts.get("/etc/traveling-words");
        assertNotNull(configVolume, "a volume mounted at /etc/traveling-words: " + mounts);
        Map<String, Object> volumes = new LinkedHashMap<>();
        for (Object v : list(pod.get("volumes"), "volumes")) {
            volumes.put((String) map(v, "volume").get("name"), v);
        }
        Object configMap = map(volumes.get(configVolume), "volume " + configVolume).get("configMap");
        String configMapName = (String) map(configMap, "configMap").get("name");
        assertTrue(text.contains("kubectl create configmap " + configMapName + " --from-file=nightly.properties="),
                "the comment creates ConfigMap " + configMapName + " with the key nightly.properties");
        assertEquals("hf-cache", mounts.get("/data/hf"), "the Hugging Face cache claim, as the driver pod template mounts it");

        // Retries: a configuration error (exit 2) fails the Job at once; a lock (3) or failed run (1) is retried.
        if (job.containsKey("podFailurePolicy")) {
            assertEquals("Never", pod.get("restartPolicy"), "podFailurePolicy needs restartPolicy: Never");
            List<Object> rules = list(at(job, "podFailurePolicy.rules"), "rules");
            Set<String> failJobCodes = new TreeSet<>();
            for (Object rule : rules) {
                Map<String, Object> r = map(rule, "rule");
                if ("FailJob".equals(r.get("action")) && r.get("onExitCodes") != null) {
                    Map<String, Object> codes = map(r.get("onExitCodes"), "onExitCodes");
                    assertEquals("In", codes.get("operator"));
                    assertEquals(container.get("name"), codes.get("containerName"));
                    list(codes.get("values"), "values").forEach(v -> failJobCodes.add((String) v));
                }
            }
            assertEquals(Set.of("2"), failJobCodes, "only exit 2 fails the Job without retries");
        }
    }

    @Test
    void kubernetesCronJobReadsTheSameWithPyYaml(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(onPath("python3") && exec(dir, "python3", "-c", "import yaml").exitCode() == 0,
                "python3 with PyYAML is not installed: the CronJob is read only by this test's YAML reader here");
        Path script = Files.writeString(dir.resolve("yaml2json.py"), """
                import json, sys, yaml
                def norm(x):
                    if isinstance(x, dict):
                        return {str(k): norm(v) for k, v in x.items()}
                    if isinstance(x, list):
                        return [norm(v) for v in x]
                    if isinstance(x, bool):
                        return "true" if x else "false"
                    return None if x is None else str(x)
                docs = list(yaml.safe_load_all(open(sys.argv[1], encoding="utf-8")))
                assert len(docs) == 1, len(docs)
                print(json.dumps(norm(docs[0]), sort_keys=True, separators=(",", ":")))
                """);
        String json = run(dir, "python3", script.toString(), SAMPLES.resolve("k8s-cronjob.yaml").toString()).strip();
        assertEquals(json, canonicalJson(Yaml.parse(sample("k8s-cronjob.yaml"))), "PyYAML and this test's reader agree");
    }

    // ---------------------------------------------------------------- nightly.properties and the shared flags

    /** The long option names (without --) of tw nightly, or while it does not exist, of tw run plus nightly's own. */
    private static Set<String> nightlyKeys() {
        Map<String, CommandLine> commands = TwCommand.commandLine().getSubcommands();
        CommandLine nightly = commands.get("nightly");
        CommandLine command = nightly != null ? nightly : commands.get("run");
        assertNotNull(command, "tw run");
        Set<String> keys = new TreeSet<>();
        for (OptionSpec option : command.getCommandSpec().options()) {
            if (!option.usageHelp() && !option.versionHelp()) {
                Stream.of(option.names()).filter(n -> n.startsWith("--")).forEach(n -> keys.add(n.substring(2)));
            }
        }
        if (nightly == null) {
            keys.addAll(List.of("full", "on-change", "config"));
        }
        return keys;
    }

    @Test
    void nightlyPropertiesHoldsOnlyFlagsOfTwNightly() throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(SAMPLES.resolve("nightly.properties"))) {
            properties.load(reader);
        }
        for (String key : List.of("corpus", "out", "model")) {
            assertFalse(properties.getProperty(key, "").isBlank(), key);
        }
        Set<String> keys = nightlyKeys();
        assertTrue(keys.containsAll(List.of("corpus", "out", "model", "run-date", "master", "conf")), "tw run's flags: " + keys);
        for (String key : properties.stringPropertyNames()) {
            assertTrue(keys.contains(key), "'" + key + "' is not a long flag of tw nightly: " + keys);
        }
        assertFalse(properties.containsKey("run-date"), "the run date comes from the scheduler (or today, UTC)");
        assertFalse(properties.getProperty("corpus").startsWith("s3a://"), "the image has no hadoop-aws");
    }

    @Test
    void everySampleRunsTwNightlyWithTheSameFlags() throws IOException {
        String crontabLine = sample("crontab").lines().filter(l -> l.contains(" nightly ") && !l.startsWith("#"))
                .findFirst().orElseThrow();
        String execStart = unitFile(sample("tw-nightly.service")).get("Service").get("ExecStart").get(0);
        List<String> dagArgs = new ArrayList<>(pythonStringList(sample(AIRFLOW_DAG), "application_args"));
        Map<String, Object> container = map(list(at(Yaml.parse(sample("k8s-cronjob.yaml")),
                "spec.jobTemplate.spec.template.spec.containers"), "containers").get(0), "container");
        List<String> podArgs = list(container.get("args"), "args").stream().map(a -> (String) a).toList();

        int runDate = dagArgs.indexOf("--run-date");
        assertEquals("{{ ds }}", dagArgs.get(runDate + 1), "Airflow passes its logical date");
        dagArgs.subList(runDate, runDate + 2).clear();
        Map<String, List<String>> args = new LinkedHashMap<>();
        args.put("crontab", nightlyArgs(List.of(crontabLine.trim().split("\\s+"))));
        args.put("tw-nightly.service", nightlyArgs(List.of(execStart.split("\\s+"))));
        args.put(AIRFLOW_DAG, nightlyArgs(dagArgs));
        args.put("k8s-cronjob.yaml", nightlyArgs(podArgs));
        args.forEach((sample, flags) -> assertEquals(NIGHTLY_ARGS, flags, sample));
        for (String name : List.of("crontab", "tw-nightly.service", AIRFLOW_DAG, "k8s-cronjob.yaml")) {
            assertTrue(sample(name).contains(CONFIG), name + " names " + CONFIG);
            assertTrue(prose(sample(name)).contains(
                    "0 done, 1 run failed, 2 bad usage or configuration, 3 another writer holds the out folder's lock"),
                    name + " states tw's exit codes");
        }
    }
}
