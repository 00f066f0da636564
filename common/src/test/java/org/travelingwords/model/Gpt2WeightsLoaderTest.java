package org.travelingwords.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading real-world checkpoint variants (prefixed keys, buffers, F16, BF16) and refusing malformed
 * files with an IOException that names the file and, where there is one, the tensor.
 */
class Gpt2WeightsLoaderTest {

    private static final Path TINY_A = Path.of("src", "test", "resources", "golden", "tiny-a");
    private static final Path VARIANTS = Path.of("src", "test", "resources", "golden", "tiny-a-variants");

    private static Gpt2Config config;
    private static Gpt2Weights plain;

    @TempDir
    Path temp;

    @BeforeAll
    static void loadPlain() throws IOException {
        config = Gpt2Config.read(TINY_A.resolve("config.json"));
        plain = Gpt2Weights.read(config, TINY_A.resolve("model.safetensors"));
    }

    private static void assertSameWeights(Gpt2Weights expected, Gpt2Weights actual) {
        assertEquals(expected.tensors().keySet(), actual.tensors().keySet());
        expected.tensors().forEach((name, tensor) -> {
            assertArrayEquals(tensor.shape(), actual.get(name).shape(), name);
            // bit-for-bit: Arrays.equals compares floats by their bits
            assertTrue(Arrays.equals(tensor.data(), actual.get(name).data()), name + " differs");
        });
    }

    @Test
    void prefixedKeysWithMaskBuffersLoadLikeThePlainFile() throws IOException {
        assertSameWeights(plain, Gpt2Weights.read(config, VARIANTS.resolve("prefixed.safetensors")));
    }

    @Test
    void halfPrecisionFilesWidenExactly() throws IOException {
        for (String dtype : new String[] {"f16", "bf16"}) {
            Gpt2Weights expected = Gpt2Weights.read(config, VARIANTS.resolve("expected-from-" + dtype + ".safetensors"));
            assertSameWeights(expected, Gpt2Weights.read(config, VARIANTS.resolve(dtype + ".safetensors")));
        }
    }

    // ------------------------------------------------------------------ malformed files

    /** Reading {@code file} must fail with an IOException naming the file and each fragment. */
    private IOException assertRejected(Path file, String... fragments) {
        IOException e = assertThrows(IOException.class, () -> Gpt2Weights.read(config, file));
        String message = e.getMessage();
        assertTrue(message.contains(file.toString()), "message should name the file: " + message);
        for (String fragment : fragments) {
            assertTrue(message.contains(fragment), "message should mention '" + fragment + "': " + message);
        }
        return e;
    }

    private static byte[] plainBytes() throws IOException {
        return Files.readAllBytes(TINY_A.resolve("model.safetensors"));
    }

    private static long headerLength(byte[] file) {
        return ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /** The plain file with its JSON header edited; data offsets are relative, so the data stays valid. */
    private Path withEditedHeader(String name, Consumer<JsonObject> edit) throws IOException {
        byte[] file = plainBytes();
        int length = (int) headerLength(file);
        JsonObject header = JsonParser.parseString(new String(file, 8, length, StandardCharsets.UTF_8)).getAsJsonObject();
        edit.accept(header);
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        return withHeaderBytes(name, json, Arrays.copyOfRange(file, 8 + length, file.length));
    }

    private Path withHeaderBytes(String name, byte[] json, byte[] data) throws IOException {
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer out = ByteBuffer.allocate(8 + padded + data.length).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded).put(json);
        while (out.position() < 8 + padded) {
            out.put((byte) ' ');
        }
        out.put(data);
        Path path = temp.resolve(name);
        Files.write(path, out.array());
        return path;
    }

    /** The plain tensors, changed by {@code edit}, written with the project's writer. */
    private Path withTensors(String name, Consumer<Map<String, HostTensor>> edit) throws IOException {
        Map<String, HostTensor> tensors = new LinkedHashMap<>(plain.tensors());
        edit.accept(tensors);
        Path path = temp.resolve(name);
        SafetensorsWriter.writeAll(path, tensors);
        return path;
    }

    @Test
    void headerLengthLargerThanTheFile() throws IOException {
        byte[] file = plainBytes();
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putLong(0, file.length + 100L);
        Path path = temp.resolve("long-header.safetensors");
        Files.write(path, file);
        assertRejected(path, "header length");
    }

    @Test
    void fileTooShortForAHeader() throws IOException {
        Path path = temp.resolve("tiny.safetensors");
        Files.write(path, new byte[] {1, 2, 3});
        assertRejected(path, "truncated");
    }

    @Test
    void headerThatIsNotJson() throws IOException {
        byte[] file = plainBytes();
        int length = (int) headerLength(file);
        byte[] garbage = "this is not { json".getBytes(StandardCharsets.UTF_8);
        Arrays.fill(file, 8, 8 + length, (byte) ' ');
        System.arraycopy(garbage, 0, file, 8, garbage.length);
        Path path = temp.resolve("not-json.safetensors");
        Files.write(path, file);
        assertRejected(path, "JSON");
    }

    @Test
    void dataOffsetsPastTheEnd() throws IOException {
        Path path = withEditedHeader("offsets.safetensors", header -> {
            JsonArray offsets = header.getAsJsonObject("h.0.ln_2.bias").getAsJsonArray("data_offsets");
            long shift = 1 << 20;
            JsonArray moved = new JsonArray();
            moved.add(offsets.get(0).getAsLong() + shift);
            moved.add(offsets.get(1).getAsLong() + shift);
            header.getAsJsonObject("h.0.ln_2.bias").add("data_offsets", moved);
        });
        assertRejected(path, "'h.0.ln_2.bias'", "data_offsets");
    }

    @Test
    void truncatedFile() throws IOException {
        byte[] file = plainBytes();
        String last;
        try (SafetensorsFile original = SafetensorsFile.open(TINY_A.resolve("model.safetensors"))) {
            last = original.entries().values().stream()
                    .max(Comparator.comparingLong(SafetensorsFile.Entry::end)).orElseThrow().name();
        }
        Path path = temp.resolve("truncated.safetensors");
        Files.write(path, Arrays.copyOf(file, file.length - 10));
        assertRejected(path, "'" + last + "'", "truncated");
    }

    @Test
    void byteCountThatDisagreesWithShapeAndDtype() throws IOException {
        Path path = withEditedHeader("bytes.safetensors", header -> {
            JsonArray shape = new JsonArray();
            shape.add(config.nEmbd() + 1);
            header.getAsJsonObject("ln_f.weight").add("shape", shape);
        });
        assertRejected(path, "'ln_f.weight'", "bytes");
    }

    @Test
    void dtypeThatIsNotAFloatWeLoad() throws IOException {
        // I32 has F32's size, so the header is consistent: reading the tensor must refuse it
        Path path = withEditedHeader("i32.safetensors",
                header -> header.getAsJsonObject("ln_f.weight").addProperty("dtype", "I32"));
        assertRejected(path, "'ln_f.weight'", "I32");
    }

    @Test
    void missingTensor() throws IOException {
        Path path = withTensors("missing.safetensors", t -> t.remove("h.1.mlp.c_fc.bias"));
        assertRejected(path, "missing", "h.1.mlp.c_fc.bias");
    }

    @Test
    void unexpectedTensor() throws IOException {
        // a third block in a two-layer config: the wrong config for these weights
        Path path = withTensors("unexpected.safetensors", t -> t.put("h.2.ln_1.weight", t.get("h.1.ln_1.weight")));
        assertRejected(path, "unexpected", "h.2.ln_1.weight");
    }

    @Test
    void shapeThatDisagreesWithTheConfig() throws IOException {
        // c_attn stored transposed ([3D, D], nn.Linear layout) instead of Conv1D's [D, 3D]
        Path path = withTensors("shape.safetensors", t -> {
            HostTensor w = t.get("h.0.attn.c_attn.weight");
            t.put("h.0.attn.c_attn.weight", new HostTensor(new long[] {w.shape()[1], w.shape()[0]}, w.data()));
        });
        assertRejected(path, "'h.0.attn.c_attn.weight'", "shape");
    }

    @Test
    void sameTensorWithAndWithoutPrefix() throws IOException {
        Path path = withTensors("both.safetensors", t -> t.put("transformer.ln_f.bias", t.get("ln_f.bias")));
        assertRejected(path, "ln_f.bias", "prefix");
    }

    @Test
    void untiedUnembeddingIsRefused() throws IOException {
        Path path = withTensors("untied.safetensors", t -> {
            HostTensor wte = t.get("wte.weight");
            float[] other = wte.data().clone();
            other[0] += 1f;
            t.put("lm_head.weight", new HostTensor(wte.shape(), other));
        });
        assertRejected(path, "lm_head.weight", "ties");
    }
}
