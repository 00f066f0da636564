package org.travelingwords.nightly;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.travelingwords.pass.CorpusAnalysis;
import org.travelingwords.pass.RunConfig;

/**
 * A nightly lineage: the model and every setting that changes what the analyses compute (how files
 * become documents and windows, the precision, each analysis' settings). Nights of one lineage add up;
 * another model or configuration starts a new one. Where the corpus lives, the out folder, the
 * device, the threads and the batching do not change the numbers and are left out.
 */
public record Lineage(String id, String configJson) {

    public static Lineage of(String modelId, RunConfig effective) {
        Gson gson = new GsonBuilder().serializeNulls().create();
        JsonObject json = new JsonObject();
        json.addProperty("model", modelId);
        json.addProperty("format", effective.corpus().format());
        json.addProperty("textField", effective.corpus().textField());
        json.addProperty("idField", effective.corpus().idField());
        json.addProperty("maxDocChars", effective.corpus().maxDocChars());
        json.addProperty("precision", effective.model().precision());
        json.addProperty("blockSize", effective.windows().blockSize());
        json.addProperty("stride", effective.windows().stride());
        json.addProperty("prependEos", effective.windows().prependEos());
        for (CorpusAnalysis analysis : effective.analyses()) {
            json.add(analysis.name(), gson.toJsonTree(analysis.settings()));
        }
        String canonical = gson.toJson(json);
        return new Lineage(modelId + "/" + sha256(canonical).substring(0, 12), canonical);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
