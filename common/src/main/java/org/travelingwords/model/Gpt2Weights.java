package org.travelingwords.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A GPT-2 checkpoint in JVM memory under canonical key names (DESIGN §2: {@code wte.weight},
 * {@code h.{i}.attn.c_attn.weight}, …), float32, validated against its config. Conv1D layout
 * is kept as stored: weights are [in, out].
 */
public record Gpt2Weights(Gpt2Config config, Map<String, HostTensor> tensors) {

    private static final String PREFIX = "transformer.";
    /** Causal-mask buffers older checkpoints carry; they hold no weights. */
    private static final Pattern IGNORED = Pattern.compile("h\\.\\d+\\.attn\\.(bias|masked_bias)");
    /** GPT-2 ties the unembedding to wte; a stored copy must be that copy (the logit lens assumes it). */
    private static final String LM_HEAD = "lm_head.weight";

    public HostTensor get(String name) {
        HostTensor tensor = tensors.get(name);
        if (tensor == null) {
            throw new IllegalArgumentException("no weight '" + name + "'");
        }
        return tensor;
    }

    /** Every canonical key and its shape for a config, in file order. */
    public static Map<String, long[]> expectedShapes(Gpt2Config c) {
        long d = c.nEmbd();
        long inner = c.nInner();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put("wte.weight", new long[] {c.vocabSize(), d});
        shapes.put("wpe.weight", new long[] {c.nPositions(), d});
        for (int i = 0; i < c.nLayer(); i++) {
            String h = "h." + i + ".";
            shapes.put(h + "ln_1.weight", new long[] {d});
            shapes.put(h + "ln_1.bias", new long[] {d});
            shapes.put(h + "attn.c_attn.weight", new long[] {d, 3 * d});
            shapes.put(h + "attn.c_attn.bias", new long[] {3 * d});
            shapes.put(h + "attn.c_proj.weight", new long[] {d, d});
            shapes.put(h + "attn.c_proj.bias", new long[] {d});
            shapes.put(h + "ln_2.weight", new long[] {d});
            shapes.put(h + "ln_2.bias", new long[] {d});
            shapes.put(h + "mlp.c_fc.weight", new long[] {d, inner});
            shapes.put(h + "mlp.c_fc.bias", new long[] {inner});
            shapes.put(h + "mlp.c_proj.weight", new long[] {inner, d});
            shapes.put(h + "mlp.c_proj.bias", new long[] {d});
        }
        shapes.put("ln_f.weight", new long[] {d});
        shapes.put("ln_f.bias", new long[] {d});
        return shapes;
    }

    /** Reads and validates {@code model.safetensors} against {@code config}. */
    public static Gpt2Weights read(Gpt2Config config, Path safetensors) throws IOException {
        Map<String, long[]> expected = expectedShapes(config);
        Map<String, HostTensor> tensors = new LinkedHashMap<>();
        try (SafetensorsFile file = SafetensorsFile.open(safetensors)) {
            Map<String, String> canonicalToStored = new LinkedHashMap<>();
            List<String> unexpected = new ArrayList<>();
            String lmHead = null;
            for (String stored : file.entries().keySet()) {
                String key = stored.startsWith(PREFIX) ? stored.substring(PREFIX.length()) : stored;
                if (key.equals(LM_HEAD)) {
                    lmHead = stored;
                    continue;
                }
                if (IGNORED.matcher(key).matches()) {
                    continue;
                }
                if (!expected.containsKey(key)) {
                    unexpected.add(stored);
                } else if (canonicalToStored.put(key, stored) != null) {
                    throw new IOException(safetensors + ": tensor '" + key + "' appears both with and without the '"
                            + PREFIX + "' prefix");
                }
            }
            if (!unexpected.isEmpty()) {
                throw new IOException(safetensors + ": unexpected tensors for a GPT-2 with " + config.nLayer()
                        + " layers: " + new TreeSet<>(unexpected));
            }
            List<String> missing = new ArrayList<>();
            for (String key : expected.keySet()) {
                if (!canonicalToStored.containsKey(key)) {
                    missing.add(key);
                }
            }
            if (!missing.isEmpty()) {
                throw new IOException(safetensors + ": missing tensors " + missing);
            }
            for (Map.Entry<String, long[]> e : expected.entrySet()) {
                String stored = canonicalToStored.get(e.getKey());
                long[] shape = file.entries().get(stored).shape();
                if (!Arrays.equals(shape, e.getValue())) {
                    throw new IOException(safetensors + ": tensor '" + stored + "' has shape " + Arrays.toString(shape)
                            + " but the config needs " + Arrays.toString(e.getValue()));
                }
                tensors.put(e.getKey(), file.readFloat(stored));
            }
            if (lmHead != null && !Arrays.equals(file.readFloat(lmHead).data(), tensors.get("wte.weight").data())) {
                throw new IOException(safetensors + ": tensor '" + lmHead + "' differs from wte.weight; GPT-2 ties "
                        + "the unembedding to the token embedding and the analyses rely on it (untied heads are not supported)");
            }
        }
        return new Gpt2Weights(config, tensors);
    }

    /** Writes a Hugging Face folder: {@code config.json} and float32 {@code model.safetensors}. */
    public void writeFolder(Path folder) throws IOException {
        java.nio.file.Files.createDirectories(folder);
        java.nio.file.Files.writeString(folder.resolve("config.json"),
                new com.google.gson.GsonBuilder().setPrettyPrinting().create().toJson(config.toJson()));
        SafetensorsWriter writer = new SafetensorsWriter().metadata("format", "pt");
        tensors.forEach(writer::add);
        writer.write(folder.resolve("model.safetensors"));
    }
}
