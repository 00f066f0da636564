package org.travelingwords.stats;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The byte framing shared by the statistics' {@code toBytes()/fromBytes()}: a two-byte header
 * (format tag, version) so that bytes of one statistic are never silently read as another, and a
 * check that the whole input was consumed. In-memory streams never fail, so I/O errors are unchecked.
 */
public final class BinaryCodec {

    static final byte VERSION = 1;

    @FunctionalInterface
    public interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    @FunctionalInterface
    public interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private BinaryCodec() {
    }

    public static byte[] encode(byte tag, Writer body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(tag);
            out.writeByte(VERSION);
            body.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Reads bytes written by {@link #encode}; malformed or truncated input is an IllegalArgumentException. */
    public static <T> T decode(byte[] bytes, byte tag, String what, Reader<T> body) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte actualTag = in.readByte();
            byte version = in.readByte();
            if (actualTag != tag || version != VERSION) {
                throw new IllegalArgumentException(String.format(
                        "not %s bytes: header (%d, %d), expected (%d, %d)", what, actualTag, version, tag, VERSION));
            }
            T value = body.read(in);
            if (in.available() > 0) {
                throw new IllegalArgumentException(in.available() + " trailing bytes after " + what);
            }
            return value;
        } catch (EOFException e) {
            throw new IllegalArgumentException("truncated " + what + " bytes", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A length-prefixed block of bytes (a nested statistic, a sketch) inside a larger format. */
    public static void writeBlock(DataOutput out, byte[] block) throws IOException {
        out.writeInt(block.length);
        out.write(block);
    }

    /** Reads what {@link #writeBlock} wrote; a negative length is an IllegalArgumentException, a short input an EOF. */
    public static byte[] readBlock(DataInput in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            throw new IllegalArgumentException("corrupt block length " + length);
        }
        byte[] block = new byte[length];
        in.readFully(block);
        return block;
    }
}
