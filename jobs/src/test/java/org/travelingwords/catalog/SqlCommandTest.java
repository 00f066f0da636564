package org.travelingwords.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.travelingwords.cli.HistoryCommand;
import org.travelingwords.cli.SqlCommand;
import org.travelingwords.cli.TablesCommand;
import org.travelingwords.testing.LocalSpark;
import picocli.CommandLine;

class SqlCommandTest {

    private static final Instant FINISHED = Instant.parse("2026-11-01T03:00:00Z");

    @TempDir
    static Path out;

    private static SparkSession spark;

    @BeforeAll
    static void startSparkAndWriteTables() throws IOException {
        spark = LocalSpark.start();
        TableStore store = new TableStore(spark, out.toString());
        for (String runId : new String[] {"old", "new"}) {
            TestRows.commit(store, TestRows.run(runId, runId.equals("old") ? "2026-10-31" : "2026-11-01",
                    RunRecord.SUCCEEDED, runId.equals("old") ? FINISHED.minusSeconds(86_400) : FINISHED),
                    Map.of(TableSchemas.CORPUS_FILES, TestRows.of(spark, TableSchemas.CORPUS_FILES, runId, 2)));
        }
    }

    @AfterAll
    static void stopSpark() {
        LocalSpark.stop();
    }

    @Test
    void printsCsvWithAHeader() {
        Result result = sql("--format", "csv", "SELECT run_id, path, bytes FROM corpus_files_latest ORDER BY path");
        assertEquals(0, result.exit, result.err);
        assertEquals("run_id,path,bytes\nnew,path-0,0\nnew,path-1,10\n", result.out);
    }

    @Test
    void csvQuotesWhatNeedsQuotingAndLeavesNullsEmpty() {
        Result result = sql("--format", "csv",
                "SELECT CAST(NULL AS STRING) AS e, 'x,\"y\"' AS q, '' AS empty, array('a', 'b') AS arr, X'0A1B' AS bin, 1.5D AS d");
        assertEquals(0, result.exit, result.err);
        assertEquals("e,q,empty,arr,bin,d\n,\"x,\"\"y\"\"\",\"\",\"[a, b]\",0A1B,1.5\n", result.out);
    }

    @Test
    void printsOneJsonObjectPerLine() {
        Result result = sql("--format", "json", "SELECT run_id, bytes, run_date FROM corpus_files ORDER BY run_date, bytes");
        assertEquals(0, result.exit, result.err);
        assertEquals("""
                {"run_id":"old","bytes":0,"run_date":"2026-10-31"}
                {"run_id":"old","bytes":10,"run_date":"2026-10-31"}
                {"run_id":"new","bytes":0,"run_date":"2026-11-01"}
                {"run_id":"new","bytes":10,"run_date":"2026-11-01"}
                """, result.out);

        Result values = sql("--format", "JSON",
                "SELECT CAST(NULL AS STRING) AS e, array('a', 'b') AS arr, X'0A1B' AS bin, finished_at FROM runs_latest");
        assertEquals(0, values.exit, values.err);
        assertEquals("{\"e\":null,\"arr\":[\"a\",\"b\"],\"bin\":\"Chs=\",\"finished_at\":\"2026-11-01T03:00:00.000Z\"}\n",
                values.out);
    }

    @Test
    void readsStatementsFromStdinAndPrintsAlignedTables() {
        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream(
                    "SELECT 1 AS a, 'x\ny' AS long_name, NULL AS n;\n-- the next one\nCREATE TEMP VIEW v AS SELECT 'b;c' AS b;\nSELECT * FROM v;\n"
                            .getBytes(StandardCharsets.UTF_8)));
            Result result = sql();
            assertEquals(0, result.exit, result.err);
            assertEquals("""
                    +---+---------+----+
                    |a  |long_name|n   |
                    +---+---------+----+
                    |1  |x\\ny     |NULL|
                    +---+---------+----+

                    +---+
                    |b  |
                    +---+
                    |b;c|
                    +---+
                    """, result.out);
        } finally {
            System.setIn(stdin);
        }
    }

    @Test
    void aBadQueryFailsWithOneLine() {
        Result result = sql("SELECT nope FROM corpus_files");
        assertEquals(1, result.exit);
        assertTrue(result.err.startsWith("tw sql: SELECT nope FROM corpus_files: [UNRESOLVED_COLUMN"), result.err);
        assertFalse(result.err.contains("Project"), "no plan dump: " + result.err);
        assertEquals(2, sql("--format", "xml", "SELECT 1").exit);
    }

    @Test
    void tablesListsColumnsCountsAndDates() {
        StringWriter stdout = new StringWriter();
        int exit = new CommandLine(new TablesCommand()).setOut(new PrintWriter(stdout))
                .execute("--out", out.toString());
        assertEquals(0, exit);
        String text = stdout.toString();
        assertTrue(text.contains("corpus_files  (4 rows; run dates: 2026-10-31, 2026-11-01; Delta version 1 by run new, "
                + "WRITE)\n  run_id       string\n"), text);
        assertTrue(text.contains("runs  (2 rows; run dates: 2026-10-31, 2026-11-01; Delta version 1 by run new"), text);
        assertTrue(text.contains("  corpus_paths         array<string>\n"), text);
    }

    @Test
    void asOfShowsEveryTableAsItWasRightAfterThatRun() {
        Result then = sql("--as-of", "old", "--format", "csv", "SELECT run_id, count(*) AS n FROM corpus_files GROUP BY run_id");
        assertEquals(0, then.exit, then.err);
        assertEquals("run_id,n\nold,2\n", then.out);
        Result latestThen = sql("--as-of", "old", "--format", "csv", "SELECT DISTINCT run_id FROM corpus_files_latest");
        assertEquals("run_id\nold\n", latestThen.out);
        Result now = sql("--format", "csv", "SELECT DISTINCT run_id FROM corpus_files_latest");
        assertEquals("run_id\nnew\n", now.out);
        Result unknown = sql("--as-of", "nobody", "SELECT 1");
        assertEquals(1, unknown.exit);
        assertTrue(unknown.err.contains("run nobody is not a succeeded run"), unknown.err);
    }

    @Test
    void historyListsEveryCommitWithItsRun() {
        StringWriter stdout = new StringWriter();
        int exit = new CommandLine(new HistoryCommand()).setOut(new PrintWriter(stdout))
                .execute("--out", out.toString(), "corpus_files");
        assertEquals(0, exit);
        List<String> commits = stdout.toString().lines().filter(l -> l.contains("corpus_files")).toList();
        assertEquals(2, commits.size(), stdout.toString());
        assertTrue(commits.get(0).matches(".*corpus_files\\W+0\\W.*\\Wold\\W+WRITE\\W*"), commits.get(0));
        assertTrue(commits.get(1).matches(".*corpus_files\\W+1\\W.*\\Wnew\\W+WRITE\\W*"), commits.get(1));
    }

    private static Result sql(String... options) {
        String[] args = new String[options.length + 2];
        args[0] = "--out";
        args[1] = out.toString();
        System.arraycopy(options, 0, args, 2, options.length);
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        int exit = new CommandLine(new SqlCommand())
                .setOut(new PrintWriter(stdout))
                .setErr(new PrintWriter(stderr))
                .execute(args);
        return new Result(exit, stdout.toString(), stderr.toString());
    }

    private record Result(int exit, String out, String err) {}
}
