package org.travelingwords.trajectory;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.travelingwords.catalog.TableSchemas;
import org.travelingwords.probes.WordTrajectory;
import org.travelingwords.text.TokenText;

/** The traces as rows of the {@code trajectories} table; nulls where the issue leaves a value undefined. */
final class TrajectoryTables {

    private TrajectoryTables() {}

    static Dataset<Row> rows(SparkSession spark, String runId, String modelId, List<PhraseTrace> traces) {
        List<Row> rows = new ArrayList<>();
        for (PhraseTrace trace : traces) {
            for (WordTrajectory.Point p : trace.points()) {
                boolean hasNext = p.nextTokenId() >= 0;
                rows.add(RowFactory.create(runId, modelId, trace.phrase().index(), trace.phrase().text(), p.position(),
                        p.tokenId(), TokenText.of(p.tokenId()), p.stageIndex(), p.stage(),
                        p.layer() >= 0 ? p.layer() : null,
                        hasNext ? p.nextTokenId() : null, hasNext ? TokenText.of(p.nextTokenId()) : null,
                        p.topTokenIds(), TokenText.of(p.topTokenIds()), p.topProbs(), p.cosCurrent(),
                        hasNext ? p.cosNext() : null, p.x(), p.y(), p.z()));
            }
        }
        return spark.createDataFrame(rows, TableSchemas.producerSchema(TableSchemas.TRAJECTORIES));
    }
}
