package org.travelingwords.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Turns a {@code --model} argument into a folder: {@code demo}; an existing folder with
 * config.json and model.safetensors; or a hub name looked up in the Hugging Face cache.
 */
public final class ModelResolver {

    private final HubCache hubCache;
    private final DemoModel demoModel;

    public ModelResolver(HubCache hubCache, DemoModel demoModel) {
        this.hubCache = hubCache;
        this.demoModel = demoModel;
    }

    public static ModelResolver fromEnvironment() {
        return new ModelResolver(HubCache.fromEnvironment(), DemoModel.inDefaultCache());
    }

    public ModelSource resolve(String model) throws IOException {
        return resolve(model, "main");
    }

    public ModelSource resolve(String model, String revision) throws IOException {
        if (model.equals(DemoModel.NAME)) {
            return new ModelSource(DemoModel.NAME, demoModel.ensure());
        }
        Path folder = Path.of(model);
        if (Files.isDirectory(folder)) {
            if (!HubCache.isComplete(folder)) {
                throw new IOException("model folder " + folder.toAbsolutePath()
                        + " must hold config.json and model.safetensors");
            }
            return new ModelSource(folder.getFileName().toString(), folder);
        }
        if (HubCache.looksLikeRepoName(model)) {
            Optional<Path> snapshot = hubCache.findSnapshot(model, revision);
            if (snapshot.isPresent()) {
                return new ModelSource(HubCache.canonicalRepo(model), snapshot.get());
            }
            throw new IOException("model '" + model + "' (revision " + revision + ") is not in the Hugging Face cache "
                    + hubCache.hubDir() + " (set HF_HOME to use another); download it with `tw fetch-model "
                    + model + "`, or pass a folder holding config.json and model.safetensors");
        }
        throw new IOException("model '" + model + "' is neither 'demo', a folder, nor a hub name");
    }
}
