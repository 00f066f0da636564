package org.travelingwords.corpus;

import com.github.luben.zstd.ZstdInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CodecPool;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.hadoop.io.compress.Decompressor;

/**
 * Opens a file decompressed according to its suffix, with Hadoop's codecs ({@code .gz}, {@code .bz2},
 * {@code .deflate}, …). {@code .zst} is the exception: Hadoop's zstd codec needs a native libhadoop
 * that Spark installs rarely ship, so it is read with zstd-jni, which Spark itself depends on.
 */
final class Decompression {

    private static final String ZSTD_SUFFIX = ".zst";

    private final Configuration conf;
    private final CompressionCodecFactory codecs;

    Decompression(Configuration conf) {
        this.conf = conf;
        this.codecs = new CompressionCodecFactory(conf);
    }

    /** The file's name without its compression suffix: {@code …/a.jsonl.gz} → {@code a.jsonl}. */
    String nameWithoutCompressionSuffix(Path path) {
        String fileName = path.getName();
        if (fileName.toLowerCase(Locale.ROOT).endsWith(ZSTD_SUFFIX)) {
            return fileName.substring(0, fileName.length() - ZSTD_SUFFIX.length());
        }
        CompressionCodec codec = codecs.getCodec(path);
        return codec == null ? fileName
                : CompressionCodecFactory.removeSuffix(fileName, codec.getDefaultExtension());
    }

    /** The file's decompressed bytes; closing the stream closes the file. */
    InputStream open(Path path) throws IOException {
        InputStream raw = path.getFileSystem(conf).open(path);
        try {
            if (path.getName().toLowerCase(Locale.ROOT).endsWith(ZSTD_SUFFIX)) {
                return new ZstdInputStream(raw);
            }
            CompressionCodec codec = codecs.getCodec(path);
            if (codec == null) {
                return raw;
            }
            Decompressor decompressor = CodecPool.getDecompressor(codec);
            return new PooledDecompressorStream(codec.createInputStream(raw, decompressor), decompressor);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /** Gives the decompressor back to Hadoop's pool on close (they can hold native memory). */
    private static final class PooledDecompressorStream extends FilterInputStream {
        private Decompressor decompressor;

        PooledDecompressorStream(InputStream in, Decompressor decompressor) {
            super(in);
            this.decompressor = decompressor;
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } finally {
                if (decompressor != null) {
                    CodecPool.returnDecompressor(decompressor);
                    decompressor = null;
                }
            }
        }
    }
}
