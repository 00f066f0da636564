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
        Map<String, HostTensor> tensors = new LinkedHashMap<>();
        try (SafetensorsFile file = SafetensorsFile.open(safetensors)) {
            Map<String, String> canonicalToStored = checkLayout(config, safetensors.toString(), file.entries());
            for (Map.Entry<String, String> e : canonicalToStored.entrySet()) {
                tensors.put(e.getKey(), file.readFloat(e.getValue()));
            }
            String lmHead = file.entries().containsKey(LM_HEAD) ? LM_HEAD
                    : file.entries().containsKey(PREFIX + LM_HEAD) ? PREFIX + LM_HEAD : null;
            if (lmHead != null && !Arrays.equals(file.readFloat(lmHead).data(), tensors.get("wte.weight").data())) {
                throw new IOException(safetensors + ": tensor '" + lmHead + "' differs from wte.weight; GPT-2 ties "
                        + "the unembedding to the token embedding and the analyses rely on it (untied heads are not supported)");
            }
        }
        return new Gpt2Weights(config, tensors);
    }

    /**
     * Checks a checkpoint's header against {@code config} without reading its data: every tensor GPT-2 needs
     * is there, once, in a dtype we read, with the config's shape, and nothing else is (DESIGN §2). Returns
     * each canonical key's stored name, in file order of the config. {@code where} names the file in messages.
     */
    public static Map<String, String> checkLayout(Gpt2Config config, String where,
                                                  Map<String, SafetensorsFile.Entry> entries) throws IOException {
        Map<String, long[]> expected = expectedShapes(config);
        Map<String, String> found = new LinkedHashMap<>();
        List<String> unexpected = new ArrayList<>();
        for (SafetensorsFile.Entry entry : entries.values()) {
            String stored = entry.name();
            String key = stored.startsWith(PREFIX) ? stored.substring(PREFIX.length()) : stored;
            if (key.equals(LM_HEAD) || IGNORED.matcher(key).matches()) {
                continue;
            }
            if (!expected.containsKey(key)) {
                unexpected.add(stored);
            } else if (found.put(key, stored) != null) {
                throw new IOException(where + ": tensor '" + key + "' appears both with and without the '"
                        + PREFIX + "' prefix");
            }
        }
        if (!unexpected.isEmpty()) {
            throw new IOException(where + ": unexpected tensors for a GPT-2 with " + config.nLayer()
                    + " layers: " + new TreeSet<>(unexpected));
        }
        List<String> missing = expected.keySet().stream().filter(key -> !found.containsKey(key)).toList();
        if (!missing.isEmpty()) {
            throw new IOException(where + ": missing tensors " + missing);
        }
        Map<String, String> canonicalToStored = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            SafetensorsFile.Entry entry = entries.get(found.get(e.getKey()));
            if (!Arrays.equals(entry.shape(), e.getValue())) {
                throw new IOException(where + ": tensor '" + entry.name() + "' has shape "
                        + Arrays.toString(entry.shape()) + " but the config needs " + Arrays.toString(e.getValue()));
            }
            if (entry.dtype() == null || entry.dtype() == TensorDType.I64) {
                throw new IOException(where + ": tensor '" + entry.name() + "' has dtype " + entry.dtypeName()
                        + ", which is not a floating-point type this reader converts");
            }
            canonicalToStored.put(e.getKey(), entry.name());
        }
        return canonicalToStored;
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
