package org.travelingwords.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A resolved model: a display name and the folder holding config.json and model.safetensors. */
public record ModelSource(String name, Path folder) {

    public Path configFile() {
        return folder.resolve("config.json");
    }

    public Path weightsFile() {
        return folder.resolve("model.safetensors");
    }

    public Gpt2Config readConfig() throws IOException {
        return Gpt2Config.read(configFile());
    }

    public Gpt2Weights readWeights() throws IOException {
        return Gpt2Weights.read(readConfig(), weightsFile());
    }

    /** {@code name@sha256-prefix} of the weights file (DESIGN §7 model_id). */
    public String modelId() throws IOException {
        return name + "@" + sha256(weightsFile()).substring(0, 12);
    }

    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return sha256(in);
        }
    }

    /** Hex SHA-256 of everything left in {@code in} (which the caller closes). */
    public static String sha256(InputStream in) throws IOException {
        try {
            DigestInputStream digest = new DigestInputStream(in, MessageDigest.getInstance("SHA-256"));
            byte[] buffer = new byte[1 << 20];
            while (digest.read(buffer) >= 0) {
                // the digest sees every byte read
            }
            return HexFormat.of().formatHex(digest.getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
