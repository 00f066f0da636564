package org.travelingwords.model;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A validated view of a {@code .safetensors} file: an 8-byte little-endian header length, a JSON
 * header naming each tensor's dtype, shape and byte range, then the data. Tensors are memory-mapped
 * one at a time (a whole gpt2-xl file is over the 2 GiB a single mapping can hold) and converted to
 * float32 on read. Every inconsistency is reported with the file and the tensor it concerns.
 */
public final class SafetensorsFile implements AutoCloseable {

    /** One tensor's header entry. */
    public record Entry(String name, TensorDType dtype, String dtypeName, long[] shape, long begin, long end) {}

    private static final long MAX_HEADER_BYTES = 100L << 20;

    private final Path path;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, Entry> entries;

    private SafetensorsFile(Path path, FileChannel channel, long dataStart, Map<String, Entry> entries) {
        this.path = path;
        this.channel = channel;
        this.dataStart = dataStart;
        this.entries = entries;
    }

    public static SafetensorsFile open(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            Header header = readHeader(path.toString(), Channels.newInputStream(channel.position(0)), channel.size());
            return new SafetensorsFile(path, channel, header.dataStart(), header.entries());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The header of a safetensors file: where its data starts, and each tensor's entry. */
    public record Header(long dataStart, Map<String, Entry> entries) {}

    /**
     * Reads and validates the header at the start of {@code in}, a file of {@code size} bytes called {@code where}
     * in messages: also how the driver checks a checkpoint on a Hadoop file system without copying it.
     */
    public static Header readHeader(String where, InputStream in, long size) throws IOException {
        if (size < 8) {
            throw new IOException(where + ": truncated safetensors file (" + size + " bytes, no header)");
        }
        DataInputStream data = new DataInputStream(in);
        byte[] lengthBytes = new byte[8];
        data.readFully(lengthBytes);
        long headerLength = ByteBuffer.wrap(lengthBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength <= 0 || headerLength > MAX_HEADER_BYTES || 8 + headerLength > size) {
            throw new IOException(where + ": invalid safetensors header length " + headerLength
                    + " for a file of " + size + " bytes (truncated or not a safetensors file)");
        }
        byte[] header = new byte[(int) headerLength];
        data.readFully(header);
        long dataStart = 8 + headerLength;
        return new Header(dataStart, parseHeader(where, new String(header, StandardCharsets.UTF_8), size - dataStart));
    }

    private static Map<String, Entry> parseHeader(String path, String json, long dataBytes) throws IOException {
        JsonObject root;
        try {
            root = JsonParser.parseString(json).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new IOException(path + ": safetensors header is not a JSON object: " + e.getMessage(), e);
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> item : root.entrySet()) {
            String name = item.getKey();
            if (name.equals("__metadata__")) {
                continue;
            }
            try {
                JsonObject info = item.getValue().getAsJsonObject();
                String dtypeName = info.get("dtype").getAsString();
                var shapeJson = info.get("shape").getAsJsonArray();
                long[] shape = new long[shapeJson.size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = shapeJson.get(i).getAsLong();
                }
                var offsets = info.get("data_offsets").getAsJsonArray();
                long begin = offsets.get(0).getAsLong();
                long end = offsets.get(1).getAsLong();
                TensorDType dtype = TensorDType.parse(dtypeName);
                if (begin < 0 || end < begin || end > dataBytes) {
                    throw new IOException(path + ": tensor '" + name + "' has data_offsets [" + begin + ", " + end
                            + "] outside the " + dataBytes + " data bytes (truncated file?)");
                }
                if (dtype != null && (end - begin) != HostTensor.numel(shape) * dtype.bytes()) {
                    throw new IOException(path + ": tensor '" + name + "' has " + (end - begin)
                            + " bytes but its shape and dtype " + dtypeName + " need "
                            + HostTensor.numel(shape) * dtype.bytes());
                }
                entries.put(name, new Entry(name, dtype, dtypeName, shape, begin, end));
            } catch (IOException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new IOException(path + ": malformed header entry for tensor '" + name + "': " + e, e);
            }
        }
        return Collections.unmodifiableMap(entries);
    }

    public Path path() {
        return path;
    }

    public Map<String, Entry> entries() {
        return entries;
    }

    /** Reads one tensor as float32, converting F16 and BF16. */
    public HostTensor readFloat(String name) throws IOException {
        Entry entry = entries.get(name);
        if (entry == null) {
            throw new IOException(path + ": no tensor '" + name + "'");
        }
        if (entry.dtype() == null || entry.dtype() == TensorDType.I64) {
            throw new IOException(path + ": tensor '" + name + "' has dtype " + entry.dtypeName()
                    + "; only F32, F16 and BF16 are read as floats");
        }
        ByteBuffer bytes = map(entry);
        float[] values = new float[Math.toIntExact(HostTensor.numel(entry.shape()))];
        switch (entry.dtype()) {
            case F32 -> bytes.asFloatBuffer().get(values);
            case F16 -> {
                for (int i = 0; i < values.length; i++) {
                    values[i] = HalfFloats.halfToFloat(bytes.getShort(2 * i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < values.length; i++) {
                    values[i] = Float.intBitsToFloat((bytes.getShort(2 * i) & 0xffff) << 16);
                }
            }
            default -> throw new IllegalStateException(entry.dtype().name());
        }
        return new HostTensor(entry.shape(), values);
    }

    /** Reads an I64 tensor (token ids, masks, lengths as written by {@code tw hooks}). */
    public long[] readLongs(String name) throws IOException {
        Entry entry = entries.get(name);
        if (entry == null || entry.dtype() != TensorDType.I64) {
            throw new IOException(path + ": no I64 tensor '" + name + "'");
        }
        long[] values = new long[Math.toIntExact(HostTensor.numel(entry.shape()))];
        map(entry).asLongBuffer().get(values);
        return values;
    }

    private ByteBuffer map(Entry entry) throws IOException {
        long length = entry.end() - entry.begin();
        if (dataStart + entry.end() > channel.size()) {
            throw new IOException(path + ": tensor '" + entry.name() + "' runs past the end of the file (truncated)");
        }
        return channel.map(FileChannel.MapMode.READ_ONLY, dataStart + entry.begin(), length)
                .order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + buffer.position());
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
