package org.travelingwords.exec;

import ai.djl.Device;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.travelingwords.model.HookedGpt2;
import org.travelingwords.model.ModelResolver;
import org.travelingwords.model.ModelSource;
import org.travelingwords.model.Precision;

/**
 * One model per executor JVM and device, shared by every task that runs there ({@link ExecutorCache}). The model
 * argument is resolved on the executor: {@code demo}, a local folder, a Hugging Face cache name,
 * or any Hadoop URI ({@code hdfs://}, {@code s3a://}), which is copied to a local folder first.
 */
public final class ExecutorModel {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutorModel.class);
    private static final ExecutorCache<HookedGpt2> MODELS = new ExecutorCache<>("model");

    private ExecutorModel() {}

    public static HookedGpt2 get(ModelSettings settings, Device device) {
        return MODELS.get(key(settings, device), () -> load(settings, device));
    }

    /** This JVM with the times it loaded this model on {@code device}, for the task's result. */
    public static ModelLoads loads(ModelSettings settings, Device device) {
        return MODELS.loads(key(settings, device));
    }

    private static String key(ModelSettings settings, Device device) {
        return settings.model() + "@" + device + "/" + settings.precision();
    }

    private static HookedGpt2 load(ModelSettings settings, Device device) {
        String model = settings.model();
        long start = System.nanoTime();
        try {
            int threads = ExecutorJvm.setTorchThreads(settings.torchThreads());
            ModelSource source = ModelResolver.fromEnvironment().resolve(ExecutorJvm.localModel(model));
            HookedGpt2 loaded = HookedGpt2.load(source.readWeights(), device, Precision.parse(settings.precision()));
            LOG.info("loaded model {} from {} on {} in {} with {} torch threads in {} ms (executor {})", model,
                    source.folder(), device, loaded.dataType(), threads, (System.nanoTime() - start) / 1_000_000,
                    ExecutorJvm.identity());
            return loaded;
        } catch (IOException e) {
            throw new IllegalStateException("cannot load model '" + model + "' on this executor: " + e.getMessage(), e);
        }
    }
}
