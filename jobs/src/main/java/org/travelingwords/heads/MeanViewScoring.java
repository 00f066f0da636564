package org.travelingwords.heads;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.sql.SparkSession;
import org.travelingwords.attention.HeadAggregates;
import org.travelingwords.attention.MeanViewScores;
import org.travelingwords.exec.ExecutorModel;
import org.travelingwords.exec.ModelLoads;
import org.travelingwords.exec.ModelSettings;
import org.travelingwords.exec.Served;
import org.travelingwords.exec.TaskDevice;
import org.travelingwords.model.HookedGpt2;

/**
 * The vocabulary side of the heads analysis, run as one small task on an executor, where the model
 * already is (the driver never loads the weights): the mean view of every head (DESIGN §5) and,
 * after clustering, the tokens that label each cluster.
 */
public final class MeanViewScoring {

    /** The heads that saw tokens, as (layer, head), and their mean view in the same order. */
    public record ScoredHeads(List<int[]> heads, MeanViewScores.Result view) implements Serializable {}

    private final SparkSession spark;
    private final ModelSettings model;
    private final Consumer<ModelLoads> served;

    /** {@code served} learns which executor JVM's model each task used (the run's {@code model_loads}). */
    public MeanViewScoring(SparkSession spark, ModelSettings model, Consumer<ModelLoads> served) {
        this.spark = spark;
        this.model = model;
        this.served = served;
    }

    /** Every head's mean view with its {@code top} best tokens. */
    public ScoredHeads score(HeadAggregates aggregates, int top) {
        List<int[]> heads = new ArrayList<>();
        ArrayList<float[]> writes = new ArrayList<>();
        for (int l = 0; l < aggregates.layers(); l++) {
            for (int h = 0; h < aggregates.heads(); h++) {
                float[] mean = aggregates.meanWrite(l, h);
                if (mean != null) {
                    heads.add(new int[] {l, h});
                    writes.add(mean);
                }
            }
        }
        ModelSettings settings = model;
        MeanViewScores.Result view = onExecutor(writes, w -> {
            HookedGpt2 gpt2 = load(settings);
            try (NDManager scope = NDManager.newBaseManager(gpt2.device(), "PyTorch")) {
                return MeanViewScores.score(gpt2, w, top, scope);
            }
        });
        return new ScoredHeads(heads, view);
    }

    /** The {@code top} tokens of each direction (sums of unit writes, see {@link MeanViewScores}). */
    public int[][] topTokens(List<double[]> directions, int top) {
        ModelSettings settings = model;
        return onExecutor(new ArrayList<>(directions), d -> {
            HookedGpt2 gpt2 = load(settings);
            try (NDManager scope = NDManager.newBaseManager(gpt2.device(), "PyTorch")) {
                return MeanViewScores.topTokens(gpt2, d, top, scope);
            }
        });
    }

    /** One task on an executor, whose result comes back to the driver with the JVM that computed it. */
    private <I extends Serializable, O> O onExecutor(I input, Function<I, O> work) {
        ModelSettings settings = model;
        Served<O> result = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(List.of(input), 1)
                .map(i -> new Served<>(work.call(i), ExecutorModel.loads(settings, device(settings)))).collect().get(0);
        served.accept(result.loads());
        return result.value();
    }

    private static HookedGpt2 load(ModelSettings settings) {
        return ExecutorModel.get(settings, device(settings));
    }

    private static Device device(ModelSettings settings) {
        return TaskDevice.forCurrentTask(settings.device());
    }
}
