package org.travelingwords.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Gpt2ConfigTest {

    /** gpt2-small's shape, as its config.json has it. */
    private static JsonObject gpt2Small() {
        JsonObject json = new JsonObject();
        json.addProperty("n_layer", 12);
        json.addProperty("n_head", 12);
        json.addProperty("n_embd", 768);
        json.addProperty("vocab_size", 50257);
        json.addProperty("n_positions", 1024);
        json.addProperty("n_ctx", 1024);
        json.addProperty("layer_norm_epsilon", 1e-5);
        json.add("n_inner", JsonNull.INSTANCE);
        json.addProperty("activation_function", "gelu_new");
        return json;
    }

    @Test
    void readsGpt2Small() {
        Gpt2Config c = Gpt2Config.fromJson(gpt2Small());
        assertEquals(12, c.nLayer());
        assertEquals(12, c.nHead());
        assertEquals(768, c.nEmbd());
        assertEquals(64, c.headDim());
        assertEquals(50257, c.vocabSize());
        assertEquals(1024, c.nPositions());
        assertEquals(1e-5, c.layerNormEpsilon());
        assertEquals(Activation.GELU_TANH, c.activation());
    }

    @Test
    void nullOrAbsentInnerSizeMeansFourTimesTheWidth() {
        JsonObject json = gpt2Small();
        assertEquals(4 * 768, Gpt2Config.fromJson(json).nInner());
        json.remove("n_inner");
        assertEquals(4 * 768, Gpt2Config.fromJson(json).nInner());
        json.addProperty("n_inner", 1000);
        assertEquals(1000, Gpt2Config.fromJson(json).nInner());
    }

    @ParameterizedTest
    @CsvSource({"gelu_new, GELU_TANH", "gelu_pytorch_tanh, GELU_TANH", "gelu_fast, GELU_TANH", "gelu, GELU_ERF"})
    void activationNames(String name, Activation expected) {
        JsonObject json = gpt2Small();
        json.addProperty("activation_function", name);
        Gpt2Config c = Gpt2Config.fromJson(json);
        assertEquals(expected, c.activation());
        assertEquals(name, c.activationName());
    }

    @Test
    void unknownActivationIsRefused() {
        JsonObject json = gpt2Small();
        json.addProperty("activation_function", "relu");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Gpt2Config.fromJson(json));
        assertTrue(e.getMessage().contains("'relu'"), e.getMessage());
        assertTrue(e.getMessage().contains("gelu_new"), "should list what is supported: " + e.getMessage());
    }

    @Test
    void missingLayerCountIsAnError(@TempDir Path dir) throws IOException {
        JsonObject json = gpt2Small();
        json.remove("n_layer");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Gpt2Config.fromJson(json));
        assertTrue(e.getMessage().contains("n_layer"), e.getMessage());

        // read() reports the file it read
        Path file = dir.resolve("config.json");
        Files.writeString(file, json.toString());
        IOException io = assertThrows(IOException.class, () -> Gpt2Config.read(file));
        assertTrue(io.getMessage().contains(file.toString()) && io.getMessage().contains("n_layer"), io.getMessage());
    }

    @Test
    void roundTripsThroughTheHuggingFaceForm() {
        Gpt2Config c = Gpt2Config.fromJson(gpt2Small());
        assertEquals(c, Gpt2Config.fromJson(c.toJson()));
    }
}
