package org.travelingwords.sphere;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.travelingwords.catalog.TableSchemas;
import org.travelingwords.geometry.SphereAnalysis;
import org.travelingwords.model.Gpt2Config;
import org.travelingwords.model.HookedGpt2;
import org.travelingwords.pass.AnalysisOutput;
import org.travelingwords.pass.CorpusAnalysis;
import org.travelingwords.pass.TokenSampler;

/**
 * The sphere statistics (DESIGN §4) in the corpus pass: per-token metrics of every residual site,
 * reduced on the device ({@link SphereAnalysis}), folded into sphere_stats, token_travel and the
 * token_samples rows.
 */
public final class SphereCorpusAnalysis implements CorpusAnalysis {

    public static final String NAME = "sphere";

    private final SphereOptions options;

    public SphereCorpusAnalysis(SphereOptions options) {
        this.options = options;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SphereOptions settings() {
        return options;
    }

    @Override
    public PartitionFold newFold(HookedGpt2 model) {
        Gpt2Config c = model.config();
        return new SphereFold(new SphereAnalysis(model, options.fullLogitLens()), c.nLayer(), c.vocabSize(),
                new TokenSampler(options.sampleRate()));
    }

    @Override
    public byte[] merge(byte[] a, byte[] b) {
        return SpherePartial.fromBytes(a).merge(SpherePartial.fromBytes(b)).toBytes();
    }

    @Override
    public void writeTables(AnalysisOutput output, byte[] merged, JavaRDD<Row> rows) {
        SphereTables tables = new SphereTables(output.spark(), output.runId(), output.modelId());
        SpherePartial partial = merged == null ? null : SpherePartial.fromBytes(merged);
        output.tables().stage(TableSchemas.SPHERE_STATS, tables.sphereStats(partial == null ? null : partial.summaries()));
        output.tables().stage(TableSchemas.TOKEN_TRAVEL, tables.tokenTravel(partial == null ? null : partial.travel()));
        output.tables().stage(TableSchemas.TOKEN_SAMPLES, tables.tokenSamples(rows));
    }
}
