package org.travelingwords.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.travelingwords.catalog.Catalog;
import org.travelingwords.catalog.ResultFormat;
import org.travelingwords.catalog.ResultPrinter;
import org.travelingwords.catalog.SqlStatements;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code tw sql}: SQL over the tables of an out folder (DESIGN §7). */
@Command(name = "sql", mixinStandardHelpOptions = true,
        description = {"Run Spark SQL over the tables under --out. Every table is a view named after it; "
                + "<table>_latest holds only the rows of the newest successful run.",
                "Without QUERY, reads statements separated by ';' from standard input and prints each result."})
public final class SqlCommand extends OutFolderCommand {

    @Option(names = "--format", defaultValue = "table",
            description = "table (aligned, nothing truncated), csv (with a header) or json (one object per line). "
                    + "Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--as-of", paramLabel = "RUN_ID",
            description = "Every table as it was right after that (succeeded) run: yesterday's tables next to today's. "
                    + "Reaches back as far as tw vacuum kept the files.")
    String asOf;

    @Parameters(arity = "0..1", paramLabel = "QUERY", description = "The SQL to run; omit it to read statements from standard input.")
    String query;

    @Override
    int read(SparkOptions session) throws IOException {
        ResultFormat resultFormat;
        try {
            resultFormat = ResultFormat.parse(format);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--format: " + e.getMessage());
        }
        List<String> statements = query != null ? List.of(query) : SqlStatements.split(readAll(System.in));
        PrintWriter stdout = stdout();
        PrintWriter stderr = spec.commandLine().getErr();
        // The session starts only now, after the arguments and the statements are known to be usable.
        SparkSession sparkSession = session.session();
        Catalog catalog = new Catalog(sparkSession, out);
        if (asOf != null) {
            catalog.registerViewsAsOf(asOf);
        } else {
            catalog.registerViews();
        }
        ResultPrinter printer = new ResultPrinter(resultFormat, stdout);
        boolean printedBefore = false;
        for (String statement : statements) {
            try {
                Dataset<Row> result = sparkSession.sql(statement);
                if (printedBefore && resultFormat == ResultFormat.TABLE && result.columns().length > 0) {
                    stdout.println();   // tables are told apart by a blank line
                }
                printedBefore |= printer.print(result);
            } catch (Exception e) {
                // A bad query is the user's to fix: a readable message (without Spark's plan dump), and stop there.
                stdout.flush();
                String why = e instanceof AnalysisException analysis ? analysis.getSimpleMessage() : e.getMessage();
                stderr.println("tw sql: " + statement.lines().findFirst().orElse("") + ": " + why);
                stderr.flush();
                return 1;
            }
        }
        return 0;
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
