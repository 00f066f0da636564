package org.travelingwords.trajectory;

import org.apache.spark.api.java.function.Function;
import org.travelingwords.exec.ExecutorWeights;
import org.travelingwords.exec.Served;
import org.travelingwords.exec.TaskDevice;
import org.travelingwords.probes.ProbeSpace;
import org.travelingwords.probes.VocabularyFrame;

/** The {@link VocabularyFrame} of the model, computed once on an executor (it needs the whole of E). */
final class FrameComputation implements Function<Integer, Served<VocabularyFrame>> {

    private final TrajectorySettings settings;
    FrameComputation(TrajectorySettings settings) {
        this.settings = settings;
    }

    @Override
    public Served<VocabularyFrame> call(Integer ignored) {
        try (ProbeSpace space = ProbeSpace.open(ExecutorWeights.get(settings.model(), settings.torchThreads()),
                TaskDevice.forCurrentTask(settings.device()))) {
            return new Served<>(VocabularyFrame.compute(space), ExecutorWeights.loads(settings.model()));
        }
    }
}
