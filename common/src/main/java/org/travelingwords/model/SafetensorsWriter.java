package org.travelingwords.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@code .safetensors} file: float tensors as F32, F16 or BF16, and I64 tensors. The file
 * appears atomically (written beside, then moved), so a reader never sees half a file.
 */
public final class SafetensorsWriter {

    private record Pending(String name, TensorDType dtype, long[] shape, ByteBuffer bytes) {}

    private final List<Pending> tensors = new ArrayList<>();
    private final JsonObject metadata = new JsonObject();

    public SafetensorsWriter metadata(String key, String value) {
        metadata.addProperty(key, value);
        return this;
    }

    public SafetensorsWriter add(String name, HostTensor tensor) {
        return add(name, tensor, TensorDType.F32);
    }

    /** Adds a float tensor stored as {@code dtype} (F32, F16 or BF16). */
    public SafetensorsWriter add(String name, HostTensor tensor, TensorDType dtype) {
        float[] values = tensor.data();
        ByteBuffer bytes = ByteBuffer.allocate(values.length * dtype.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case F32 -> bytes.asFloatBuffer().put(values);
            case F16 -> {
                for (float v : values) {
                    bytes.putShort(HalfFloats.floatToHalf(v));
                }
            }
            case BF16 -> {
                for (float v : values) {
                    bytes.putShort(toBfloat16(v));
                }
            }
            default -> throw new IllegalArgumentException("not a float dtype: " + dtype);
        }
        bytes.rewind();
        tensors.add(new Pending(name, dtype, tensor.shape(), bytes));
        return this;
    }

    public SafetensorsWriter addLongs(String name, long[] shape, long[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asLongBuffer().put(values);
        tensors.add(new Pending(name, TensorDType.I64, shape, bytes));
        return this;
    }

    public void write(Path file) throws IOException {
        JsonObject header = new JsonObject();
        if (metadata.size() > 0) {
            header.add("__metadata__", metadata);
        }
        long offset = 0;
        for (Pending t : tensors) {
            JsonObject info = new JsonObject();
            info.addProperty("dtype", t.dtype().name());
            JsonArray shape = new JsonArray();
            for (long d : t.shape()) {
                shape.add(d);
            }
            info.add("shape", shape);
            JsonArray offsets = new JsonArray();
            offsets.add(offset);
            offsets.add(offset + t.bytes().remaining());
            info.add("data_offsets", offsets);
            header.add(t.name(), info);
            offset += t.bytes().remaining();
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8; // the format pads the header with spaces to 8 bytes
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempFile(parent, file.getFileName().toString(), ".part");
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(out, head);
            for (Pending t : tensors) {
                writeFully(out, t.bytes().duplicate());
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        try {
            // createTempFile makes the file owner-only; the result is an ordinary, shareable file.
            Files.setPosixFilePermissions(temp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException notPosix) {
            // keep the default permissions
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    /** Round-to-nearest-even truncation of a float32 to its upper 16 bits. */
    private static short toBfloat16(float value) {
        int bits = Float.floatToIntBits(value);
        int rounding = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    /** Convenience for a name → tensor map, in its iteration order. */
    public static void writeAll(Path file, Map<String, HostTensor> tensors) throws IOException {
        SafetensorsWriter writer = new SafetensorsWriter();
        tensors.forEach(writer::add);
        writer.write(file);
    }
}
