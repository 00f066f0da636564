package org.travelingwords.trajectory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.travelingwords.exec.JobCounters;
import org.travelingwords.exec.TaskDevice;
import org.travelingwords.model.Gpt2Weights;
import org.travelingwords.model.HookedGpt2;
import org.travelingwords.probes.ExecutorWeights;
import org.travelingwords.probes.ProbeSpace;
import org.travelingwords.probes.VocabularyFrame;
import org.travelingwords.probes.WordTrajectory;

/** Traces one partition of phrases: the model and the float64 vocabulary are set up once per partition. */
final class TrajectoryPartition implements FlatMapFunction<Iterator<Phrase>, PhraseTrace> {

    private final TrajectorySettings settings;
    private final VocabularyFrame frame;
    private final JobCounters counters;

    TrajectoryPartition(TrajectorySettings settings, VocabularyFrame frame, JobCounters counters) {
        this.settings = settings;
        this.frame = frame;
        this.counters = counters;
    }

    @Override
    public Iterator<PhraseTrace> call(Iterator<Phrase> phrases) {
        List<PhraseTrace> traces = new ArrayList<>();
        if (!phrases.hasNext()) {
            return traces.iterator();
        }
        Gpt2Weights weights = ExecutorWeights.get(settings.model(), settings.torchThreads(), counters);
        var device = TaskDevice.forCurrentTask(settings.device());
        try (HookedGpt2 model = HookedGpt2.load(weights, device);
             ProbeSpace space = ProbeSpace.open(weights, device)) {
            while (phrases.hasNext()) {
                Phrase phrase = phrases.next();
                traces.add(new PhraseTrace(phrase, WordTrajectory.trace(model, space, frame, phrase.tokens(),
                        settings.topK())));
            }
        }
        return traces.iterator();
    }
}
