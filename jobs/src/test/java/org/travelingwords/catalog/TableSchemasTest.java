package org.travelingwords.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.travelingwords.geometry.SphereMetric;

class TableSchemasTest {

    /** token_samples has one column per DESIGN §4 metric: a metric added to the enum gets its column, in order. */
    @Test
    void tokenSamplesHasAColumnPerSphereMetric() {
        StructType schema = TableSchemas.dataSchema(TableSchemas.TOKEN_SAMPLES);
        List<String> keys = List.of("run_id", "model_id", "doc_id", "window_idx", "position", "token_id", "token",
                "layer", "site");
        List<String> names = Arrays.asList(schema.fieldNames());
        assertEquals(keys, names.subList(0, keys.size()));
        List<String> metrics = Arrays.stream(SphereMetric.values()).map(SphereMetric::label).toList();
        assertEquals(metrics, names.subList(keys.size(), names.size()));
        for (String metric : metrics) {
            StructField field = schema.apply(metric);
            assertEquals(DataTypes.DoubleType, field.dataType(), metric);
        }
    }
}
