package org.travelingwords.trajectory;

import org.apache.spark.api.java.function.Function;
import org.travelingwords.exec.JobCounters;
import org.travelingwords.exec.TaskDevice;
import org.travelingwords.probes.ExecutorWeights;
import org.travelingwords.probes.ProbeSpace;
import org.travelingwords.probes.VocabularyFrame;

/** The {@link VocabularyFrame} of the model, computed once on an executor (it needs the whole of E). */
final class FrameComputation implements Function<Integer, VocabularyFrame> {

    private final TrajectorySettings settings;
    private final JobCounters counters;

    FrameComputation(TrajectorySettings settings, JobCounters counters) {
        this.settings = settings;
        this.counters = counters;
    }

    @Override
    public VocabularyFrame call(Integer ignored) {
        try (ProbeSpace space = ProbeSpace.open(ExecutorWeights.get(settings.model(), settings.torchThreads(), counters),
                TaskDevice.forCurrentTask(settings.device()))) {
            return VocabularyFrame.compute(space);
        }
    }
}
