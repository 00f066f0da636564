package org.travelingwords.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;
import org.travelingwords.catalog.TableStore;
import picocli.CommandLine.Command;

/** {@code tw tables}: what an out folder holds. */
@Command(name = "tables", mixinStandardHelpOptions = true,
        description = "List the tables under --out: each table's columns with their types, its row count, the run dates "
                + "present, and its Delta version with the run that wrote it.")
public final class TablesCommand extends OutFolderCommand {

    @Override
    int read(SparkOptions session) throws IOException {
        PrintWriter stdout = stdout();
        TableStore store = new TableStore(session.session(), out);
        if (!store.exists()) {
            throw new IOException("no folder " + store.root());
        }
        if (store.tables().isEmpty()) {
            stdout.println("no tables under " + store.root());
        }
        for (String table : store.tables()) {
            Dataset<Row> rows = store.read(table);
            long count = rows.count();
            Row last = store.history(table).orderBy(functions.col("version").desc()).first();
            stdout.printf(Locale.ROOT, "%s  (%d %s; run dates: %s; Delta version %d by run %s, %s)%n",
                    table, count, count == 1 ? "row" : "rows", String.join(", ", store.runDates(table)),
                    last.<Long>getAs("version"), last.<String>getAs("userMetadata"), last.<String>getAs("operation"));
            int nameWidth = 0;
            for (StructField field : rows.schema().fields()) {
                nameWidth = Math.max(nameWidth, field.name().length());
            }
            for (StructField field : rows.schema().fields()) {
                stdout.printf(Locale.ROOT, "  %-" + nameWidth + "s  %s%n", field.name(), field.dataType().simpleString());
            }
            stdout.println();
        }
        stdout.flush();
        return 0;
    }
}
