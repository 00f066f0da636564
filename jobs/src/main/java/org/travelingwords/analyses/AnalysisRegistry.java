package org.travelingwords.analyses;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.travelingwords.heads.HeadsCorpusAnalysis;
import org.travelingwords.heads.HeadsOptions;
import org.travelingwords.pass.CorpusAnalysis;
import org.travelingwords.sphere.SphereCorpusAnalysis;
import org.travelingwords.sphere.SphereOptions;

/**
 * Every analysis {@code tw run --analyses} knows, by name. A new analysis implements
 * {@link CorpusAnalysis} and adds its line here; nothing else changes.
 */
public final class AnalysisRegistry {

    /** Each analysis' options, as the command line gives them. */
    public record Options(SphereOptions sphere, HeadsOptions heads) {
        public static final Options DEFAULTS = new Options(SphereOptions.DEFAULTS, HeadsOptions.DEFAULTS);
    }

    private static final Map<String, Function<Options, CorpusAnalysis>> ANALYSES = new LinkedHashMap<>();

    static {
        ANALYSES.put(SphereCorpusAnalysis.NAME, o -> new SphereCorpusAnalysis(o.sphere()));
        ANALYSES.put(HeadsCorpusAnalysis.NAME, o -> new HeadsCorpusAnalysis(o.heads()));
    }

    private AnalysisRegistry() {}

    /** The names {@code --analyses} accepts, in the order they run. */
    public static List<String> names() {
        return List.copyOf(ANALYSES.keySet());
    }

    /** The analyses named, configured by {@code options}, in the registry's order; an unknown name fails. */
    public static List<CorpusAnalysis> of(List<String> names, Options options) {
        if (names == null || names.isEmpty()) {
            throw new IllegalArgumentException("--analyses needs at least one of " + names());
        }
        for (String name : names) {
            if (!ANALYSES.containsKey(name)) {
                throw new IllegalArgumentException("unknown analysis '" + name + "' (available: "
                        + String.join(", ", names()) + ")");
            }
        }
        List<CorpusAnalysis> analyses = new ArrayList<>();
        ANALYSES.forEach((name, make) -> {
            if (names.contains(name)) {
                analyses.add(make.apply(options));
            }
        });
        return analyses;
    }
}
