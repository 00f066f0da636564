package org.travelingwords.nightly;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.io.IOException;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.travelingwords.catalog.TableSchemas;
import org.travelingwords.catalog.TableStore;

/**
 * A lineage's committed nights, as its tables hold them: the newest night's date, and the night
 * before {@code runDate} with its cumulative state and files. Only committed nights are there: a
 * failed night rolled its tables back, so the next one builds on the last good night.
 *
 * @param previous the newest night before {@code runDate}; null when there is none
 */
public record LineageHistory(String lineage, String newestDate, Night previous) {

    /** A committed night: its date, each analysis' cumulative state (null: no usable window yet), its files. */
    public record Night(String runDate, Map<String, byte[]> states, List<FileFingerprint> files) {}

    /** The history of {@code lineage} in {@code store}, for a night dated {@code runDate}. */
    public static LineageHistory read(TableStore store, String lineage, String runDate) throws IOException {
        if (!store.tables().contains(TableSchemas.NIGHTLY_STATE)) {
            return new LineageHistory(lineage, null, null);
        }
        Dataset<Row> states = store.read(TableSchemas.NIGHTLY_STATE).filter(col("lineage").equalTo(lit(lineage)));
        List<String> dates = states.select(TableSchemas.RUN_DATE).distinct().orderBy(TableSchemas.RUN_DATE)
                .as(Encoders.STRING()).collectAsList();
        if (dates.isEmpty()) {
            return new LineageHistory(lineage, null, null);
        }
        String previousDate = dates.stream().filter(d -> d.compareTo(runDate) < 0).reduce((a, b) -> b).orElse(null);
        if (previousDate == null) {
            return new LineageHistory(lineage, dates.get(dates.size() - 1), null);
        }
        Map<String, byte[]> byAnalysis = new HashMap<>();
        for (Row row : states.filter(col(TableSchemas.RUN_DATE).equalTo(lit(previousDate))).collectAsList()) {
            byAnalysis.put(row.getAs("analysis"), row.getAs("state"));
        }
        List<FileFingerprint> files = store.read(TableSchemas.CORPUS_FILES)
                .filter(col("lineage").equalTo(lit(lineage))
                        .and(col(TableSchemas.RUN_DATE).equalTo(lit(previousDate)))
                        .and(col(TableSchemas.SCOPE).equalTo(lit(TableSchemas.SCOPE_CUMULATIVE))))
                .orderBy("path").collectAsList().stream()
                .map(r -> new FileFingerprint(r.getAs("path"), r.<Long>getAs("bytes"),
                        r.<Timestamp>getAs("modified_at").getTime(), r.getAs("fingerprint")))
                .toList();
        return new LineageHistory(lineage, dates.get(dates.size() - 1), new Night(previousDate, byAnalysis, files));
    }
}
