package org.travelingwords.exec;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.travelingwords.model.Gpt2Config;
import org.travelingwords.model.Gpt2Weights;
import org.travelingwords.model.ModelResolver;
import org.travelingwords.model.ModelSource;
import org.travelingwords.model.SafetensorsFile;

/**
 * What the driver needs to know of the model before the executors load it: its config (block
 * size, vocabulary) and its id, name + sha256 prefix of the weights file (DESIGN §7). Reads
 * through Hadoop for remote URIs, so a model on hdfs:// or s3a:// is never copied to the driver.
 * The checkpoint's header is checked against the config here ({@link Gpt2Weights#checkLayout}), so
 * a wrong or truncated file fails before any Spark work instead of in every executor.
 */
public record DriverModel(String modelId, Gpt2Config config) {

    public static DriverModel describe(String model) throws IOException {
        if (model.contains("://") && !model.startsWith("file:")) {
            Path folder = new Path(model);
            FileSystem fs = folder.getFileSystem(new Configuration());
            Gpt2Config config;
            try (InputStreamReader reader = new InputStreamReader(fs.open(new Path(folder, "config.json")), StandardCharsets.UTF_8)) {
                config = Gpt2Config.fromJson(com.google.gson.JsonParser.parseReader(reader).getAsJsonObject());
            }
            Path weights = new Path(folder, "model.safetensors");
            try (InputStream in = fs.open(weights)) {
                SafetensorsFile.Header header = SafetensorsFile.readHeader(weights.toString(), in,
                        fs.getFileStatus(weights).getLen());
                Gpt2Weights.checkLayout(config, weights.toString(), header.entries());
            }
            String sha;
            try (InputStream in = fs.open(weights)) {
                sha = ModelSource.sha256(in);
            }
            return new DriverModel(folder.getName() + "@" + sha.substring(0, 12), config);
        }
        String local = model.startsWith("file:") ? java.nio.file.Path.of(java.net.URI.create(model)).toString() : model;
        ModelSource source = ModelResolver.fromEnvironment().resolve(local);
        Gpt2Config config = source.readConfig();
        try (SafetensorsFile file = SafetensorsFile.open(source.weightsFile())) {
            Gpt2Weights.checkLayout(config, source.weightsFile().toString(), file.entries());
        }
        return new DriverModel(source.modelId(), config);
    }
}
