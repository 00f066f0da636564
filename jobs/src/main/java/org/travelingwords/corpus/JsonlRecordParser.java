package org.travelingwords.corpus;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns one decoded jsonl line into its text and optional id, or into a reject reason. Parsing is
 * strict RFC 8259 (no comments, single quotes, NaN or trailing garbage), so what passes here passes
 * any other JSON reader too.
 */
final class JsonlRecordParser {

    /** Either {@code text} (and maybe {@code id}) or {@code rejectReason} is set. */
    record Parsed(String text, String id, String rejectReason) {
        static Parsed rejected(String reason) {
            return new Parsed(null, null, reason);
        }
    }

    private static final Pattern GSON_POSITION = Pattern.compile("column (\\d+)");

    private final String textField;
    private final String idField;

    /** @param idField the id field, or null when ids are hashed */
    JsonlRecordParser(String textField, String idField) {
        this.textField = textField;
        this.idField = idField;
    }

    Parsed parse(String line) {
        JsonElement element;
        try {
            JsonReader reader = new JsonReader(new StringReader(line));
            reader.setStrictness(Strictness.STRICT);
            element = JsonParser.parseReader(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                return Parsed.rejected(RejectReasons.invalidJson("more than one JSON value on the line"));
            }
        } catch (JsonParseException | IOException | IllegalStateException e) {
            return Parsed.rejected(RejectReasons.invalidJson(shortError(e)));
        }
        if (!element.isJsonObject()) {
            return Parsed.rejected(RejectReasons.invalidJson("expected an object, got " + typeName(element)));
        }
        JsonObject object = element.getAsJsonObject();
        JsonElement text = object.get(textField);
        if (text == null || text.isJsonNull()) {
            return Parsed.rejected(RejectReasons.missingTextField(textField));
        }
        if (!text.isJsonPrimitive() || !text.getAsJsonPrimitive().isString()) {
            return Parsed.rejected(RejectReasons.nonStringTextField(textField, typeName(text)));
        }
        return new Parsed(text.getAsString(), idOf(object), null);
    }

    /** The id as a string when it is a JSON string, number or boolean; otherwise null (hashed instead). */
    private String idOf(JsonObject object) {
        if (idField == null) {
            return null;
        }
        JsonElement id = object.get(idField);
        return id != null && id.isJsonPrimitive() ? id.getAsString() : null;
    }

    private static String typeName(JsonElement element) {
        if (element.isJsonObject()) {
            return "an object";
        }
        if (element.isJsonArray()) {
            return "an array";
        }
        if (element.isJsonNull()) {
            return "null";
        }
        JsonPrimitive primitive = element.getAsJsonPrimitive();
        return primitive.isNumber() ? "a number" : primitive.isBoolean() ? "a boolean" : "a string";
    }

    /** Gson's messages carry a troubleshooting URL and advice to be lenient; keep where it failed. */
    private static String shortError(Exception e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("End of input") || message.contains("EOFException")) {
            return "truncated";
        }
        Matcher position = GSON_POSITION.matcher(message);
        return position.find() ? "malformed at column " + position.group(1) : "malformed";
    }
}
