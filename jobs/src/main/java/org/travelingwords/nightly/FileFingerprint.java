package org.travelingwords.nightly;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileChecksum;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A corpus file as a night saw it: size, modification time and a content fingerprint — the file
 * system's own checksum where it has one (HDFS, some object stores: no second read of the data),
 * else the SHA-256 of the bytes. A file whose three differ from what a lineage recorded has changed.
 */
public record FileFingerprint(String path, long bytes, long modifiedAtMs, String fingerprint) {

    /** Reads {@code path}'s status and fingerprint. */
    public static FileFingerprint of(Configuration conf, String path) throws IOException {
        Path file = new Path(path);
        FileSystem fs = file.getFileSystem(conf);
        FileStatus status = fs.getFileStatus(file);
        FileChecksum checksum = fs.getFileChecksum(file);
        String fingerprint = checksum != null
                ? checksum.getAlgorithmName() + ":" + HexFormat.of().formatHex(checksum.getBytes())
                : "sha256:" + sha256(fs, file);
        return new FileFingerprint(path, status.getLen(), status.getModificationTime(), fingerprint);
    }

    /** Whether this is the same content as {@code recorded} (same path). */
    public boolean sameAs(FileFingerprint recorded) {
        return bytes == recorded.bytes && modifiedAtMs == recorded.modifiedAtMs && fingerprint.equals(recorded.fingerprint);
    }

    private static String sha256(FileSystem fs, Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = fs.open(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
