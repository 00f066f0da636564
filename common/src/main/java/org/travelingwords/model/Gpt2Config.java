package org.travelingwords.model;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A GPT-2 architecture as read from a Hugging Face {@code config.json} (DESIGN §2). */
public record Gpt2Config(
        int nLayer,
        int nHead,
        int nEmbd,
        int vocabSize,
        int nPositions,
        double layerNormEpsilon,
        int nInner,
        Activation activation,
        String activationName) {

    public Gpt2Config {
        if (nLayer <= 0 || nHead <= 0 || nEmbd <= 0 || vocabSize <= 0 || nPositions <= 0 || nInner <= 0) {
            throw new IllegalArgumentException("config sizes must be positive: " + this);
        }
        if (nEmbd % nHead != 0) {
            throw new IllegalArgumentException("n_embd " + nEmbd + " is not divisible by n_head " + nHead);
        }
    }

    /** Head size dh = D / H. */
    public int headDim() {
        return nEmbd / nHead;
    }

    public static Gpt2Config of(int layers, int heads, int dModel, int vocab, int positions) {
        return new Gpt2Config(layers, heads, dModel, vocab, positions, 1e-5, 4 * dModel,
                Activation.GELU_TANH, "gelu_new");
    }

    public static Gpt2Config read(Path configJson) throws IOException {
        String text = Files.readString(configJson, StandardCharsets.UTF_8);
        try {
            return fromJson(JsonParser.parseString(text).getAsJsonObject());
        } catch (RuntimeException e) {
            throw new IOException(configJson + ": " + e.getMessage(), e);
        }
    }

    public static Gpt2Config fromJson(JsonObject json) {
        int embd = requiredInt(json, "n_embd");
        JsonElement inner = json.get("n_inner");
        int nInner = inner == null || inner.isJsonNull() ? 4 * embd : inner.getAsInt();
        String activation = json.has("activation_function")
                ? json.get("activation_function").getAsString() : "gelu_new";
        double eps = json.has("layer_norm_epsilon") ? json.get("layer_norm_epsilon").getAsDouble() : 1e-5;
        return new Gpt2Config(requiredInt(json, "n_layer"), requiredInt(json, "n_head"), embd,
                requiredInt(json, "vocab_size"), requiredInt(json, "n_positions"), eps, nInner,
                Activation.fromConfigName(activation), activation);
    }

    /** The Hugging Face form, enough for transformers' GPT2LMHeadModel to load the folder. */
    public JsonObject toJson() {
        JsonObject json = new JsonObject();
        json.addProperty("model_type", "gpt2");
        com.google.gson.JsonArray arch = new com.google.gson.JsonArray();
        arch.add("GPT2LMHeadModel");
        json.add("architectures", arch);
        json.addProperty("n_layer", nLayer);
        json.addProperty("n_head", nHead);
        json.addProperty("n_embd", nEmbd);
        json.addProperty("vocab_size", vocabSize);
        json.addProperty("n_positions", nPositions);
        json.addProperty("n_ctx", nPositions);
        json.addProperty("layer_norm_epsilon", layerNormEpsilon);
        if (nInner == 4 * nEmbd) {
            json.add("n_inner", com.google.gson.JsonNull.INSTANCE);
        } else {
            json.addProperty("n_inner", nInner);
        }
        json.addProperty("activation_function", activationName);
        json.addProperty("bos_token_id", 50256);
        json.addProperty("eos_token_id", 50256);
        json.addProperty("tie_word_embeddings", true);
        return json;
    }

    private static int requiredInt(JsonObject json, String key) {
        JsonElement value = json.get(key);
        if (value == null || value.isJsonNull()) {
            throw new IllegalArgumentException("config.json lacks '" + key + "'");
        }
        return value.getAsInt();
    }
}
