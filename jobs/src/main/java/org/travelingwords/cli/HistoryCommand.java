package org.travelingwords.cli;

import java.io.IOException;
import org.travelingwords.catalog.ResultFormat;
import org.travelingwords.catalog.ResultPrinter;
import org.travelingwords.catalog.TableHistory;
import org.travelingwords.catalog.TableStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code tw history}: which run wrote which version of which table. */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "List the Delta commits of the tables under --out, oldest first: each table version with the run "
                + "that wrote it (its run id is the commit's user metadata), the operation and the time. A failed run's "
                + "commits are followed by the RESTORE that undid them.")
public final class HistoryCommand extends OutFolderCommand {

    @Parameters(arity = "0..1", paramLabel = "TABLE", description = "Only this table's commits.")
    String table;

    @Override
    int read(SparkOptions session) throws IOException {
        TableStore store = new TableStore(session.session(), out);
        new ResultPrinter(ResultFormat.TABLE, stdout()).print(TableHistory.of(store, table));
        stdout().flush();
        return 0;
    }
}
