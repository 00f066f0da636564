package org.travelingwords.pass;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.util.HashSet;
import java.util.List;
import org.travelingwords.corpus.CorpusOptions;
import org.travelingwords.exec.ModelSettings;
import org.travelingwords.model.Gpt2Config;

/**
 * The effective configuration of one {@code tw run}, by named parts: what to read, which model and
 * where it runs, how documents become batches, and the analyses the one pass runs (in order); what
 * the {@code runs} table records as JSON.
 */
public record RunConfig(CorpusOptions corpus, ModelSettings model, WindowSettings windows,
                        List<CorpusAnalysis> analyses, String runDate, String out) {

    public RunConfig {
        if (analyses == null || analyses.isEmpty()) {
            throw new IllegalArgumentException("a run needs at least one analysis");
        }
        analyses = List.copyOf(analyses);
        if (new HashSet<>(analyses.stream().map(CorpusAnalysis::name).toList()).size() != analyses.size()) {
            throw new IllegalArgumentException("an analysis is listed twice: " + names());
        }
    }

    /** The analyses' names, in the order they run. */
    public List<String> names() {
        return analyses.stream().map(CorpusAnalysis::name).toList();
    }

    /** The windows with the model's defaults filled in. */
    public RunConfig withModelDefaults(Gpt2Config modelConfig) {
        return new RunConfig(corpus, model, windows.withModelDefaults(modelConfig), analyses, runDate, out);
    }

    /** The same run over other corpus paths (a nightly run reads only its new files). */
    public RunConfig withCorpusPaths(List<String> paths) {
        CorpusOptions files = new CorpusOptions(paths, corpus.format(), corpus.textField(), corpus.idField(),
                corpus.maxDocChars());
        return new RunConfig(files, model, windows, analyses, runDate, out);
    }

    /** One JSON object: the parts' fields, the analyses' names, and each analysis' settings under its name. */
    public String toJson() {
        Gson gson = new GsonBuilder().serializeNulls().create();
        JsonObject json = new JsonObject();
        for (Object part : List.of(corpus, model, windows)) {
            gson.toJsonTree(part).getAsJsonObject().entrySet().forEach(e -> json.add(e.getKey(), e.getValue()));
        }
        json.add("analyses", gson.toJsonTree(names()));
        for (CorpusAnalysis analysis : analyses) {
            json.add(analysis.name(), gson.toJsonTree(analysis.settings()));
        }
        json.addProperty("runDate", runDate);
        json.addProperty("out", out);
        return gson.toJson(json);
    }
}
