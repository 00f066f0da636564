package org.travelingwords.probejob;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.travelingwords.exec.ExecutorWeights;
import org.travelingwords.exec.ModelLoads;
import org.travelingwords.exec.Served;
import org.travelingwords.exec.TaskDevice;
import org.travelingwords.model.Gpt2Weights;
import org.travelingwords.probes.BiasProbe;
import org.travelingwords.probes.EmbeddingNorms;
import org.travelingwords.probes.HeadWeights;
import org.travelingwords.probes.LnDistance;
import org.travelingwords.probes.ProbeSpace;
import org.travelingwords.probes.QkProbe;
import org.travelingwords.probes.SvdProbe;
import org.travelingwords.probes.VoProbe;

/**
 * Runs one partition of {@link ProbeTask}s on an executor: one {@link ProbeSpace} for the whole
 * partition (E uploaded once, LN1_b(E) recomputed only when the block changes), one output per task.
 */
public final class ProbePartition implements FlatMapFunction<Iterator<ProbeTask>, Served<ProbeOutput>> {

    private static final Logger LOG = LoggerFactory.getLogger(ProbePartition.class);

    private final ProbeSettings settings;
    public ProbePartition(ProbeSettings settings) {
        this.settings = settings;
    }

    @Override
    public Iterator<Served<ProbeOutput>> call(Iterator<ProbeTask> tasks) {
        List<Served<ProbeOutput>> outputs = new ArrayList<>();
        if (!tasks.hasNext()) {
            return outputs.iterator();
        }
        long start = System.nanoTime();
        Gpt2Weights weights = ExecutorWeights.get(settings.model(), settings.torchThreads());
        ModelLoads here = ExecutorWeights.loads(settings.model());
        List<ProbeTask> done = new ArrayList<>();
        try (ProbeSpace space = ProbeSpace.open(weights, TaskDevice.forCurrentTask(settings.device()))) {
            while (tasks.hasNext()) {
                ProbeTask task = tasks.next();
                outputs.add(new Served<>(run(space, task), here));
                done.add(task);
            }
        }
        LOG.info("probed {} tasks from {} to {} in {} s", done.size(), done.get(0), done.get(done.size() - 1),
                String.format("%.1f", (System.nanoTime() - start) / 1e9));
        return outputs.iterator();
    }

    private ProbeOutput run(ProbeSpace space, ProbeTask task) {
        int[] nouns = settings.nouns();
        int k = settings.topK();
        if (task.isEmbedding()) {
            return ProbeOutput.embedding(EmbeddingNorms.compute(space), LnDistance.compute(space));
        }
        if (task.isHeadSum()) {
            return ProbeOutput.headSum(VoProbe.runSum(space, task.block(), nouns, k));
        }
        HeadWeights head = HeadWeights.of(space.weights(), task.block(), task.head());
        return ProbeOutput.head(QkProbe.run(space, head, nouns, k), VoProbe.run(space, head, nouns, k),
                SvdProbe.run(space, head, k), BiasProbe.run(space, head, k));
    }
}
