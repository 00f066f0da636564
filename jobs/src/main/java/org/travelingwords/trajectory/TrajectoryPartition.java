package org.travelingwords.trajectory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.travelingwords.exec.ExecutorWeights;
import org.travelingwords.exec.ModelLoads;
import org.travelingwords.exec.Served;
import org.travelingwords.exec.TaskDevice;
import org.travelingwords.model.Gpt2Weights;
import org.travelingwords.model.HookedGpt2;
import org.travelingwords.probes.ProbeSpace;
import org.travelingwords.probes.VocabularyFrame;
import org.travelingwords.probes.WordTrajectory;

/** Traces one partition of phrases: the model and the float64 vocabulary are set up once per partition. */
final class TrajectoryPartition implements FlatMapFunction<Iterator<Phrase>, Served<PhraseTrace>> {

    private final TrajectorySettings settings;
    private final VocabularyFrame frame;
    TrajectoryPartition(TrajectorySettings settings, VocabularyFrame frame) {
        this.settings = settings;
        this.frame = frame;
    }

    @Override
    public Iterator<Served<PhraseTrace>> call(Iterator<Phrase> phrases) {
        List<Served<PhraseTrace>> traces = new ArrayList<>();
        if (!phrases.hasNext()) {
            return traces.iterator();
        }
        Gpt2Weights weights = ExecutorWeights.get(settings.model(), settings.torchThreads());
        ModelLoads here = ExecutorWeights.loads(settings.model());
        var device = TaskDevice.forCurrentTask(settings.device());
        try (HookedGpt2 model = HookedGpt2.load(weights, device);
             ProbeSpace space = ProbeSpace.open(weights, device)) {
            while (phrases.hasNext()) {
                Phrase phrase = phrases.next();
                traces.add(new Served<>(new PhraseTrace(phrase, WordTrajectory.trace(model, space, frame, phrase.tokens(),
                        settings.topK())), here));
            }
        }
        return traces.iterator();
    }
}
