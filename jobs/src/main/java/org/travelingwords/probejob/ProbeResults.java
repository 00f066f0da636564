package org.travelingwords.probejob;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import org.travelingwords.probes.BiasProbe;
import org.travelingwords.probes.EmbeddingNorms;
import org.travelingwords.probes.LnDistance;
import org.travelingwords.probes.QkProbe;
import org.travelingwords.probes.SvdProbe;
import org.travelingwords.probes.VoProbe;

/**
 * Every task's output gathered on the driver, in table order: by block, then head (the VO sum after
 * the heads); within a head the probes' own order (nouns as listed, then rank) is kept.
 */
public record ProbeResults(EmbeddingNorms norms, List<LnDistance> distances, List<QkProbe.Hit> qk,
                           List<VoProbe.Hit> vo, List<SvdProbe.Hit> svd, List<BiasProbe.Hit> bias) {

    public static ProbeResults merge(List<ProbeOutput> outputs) {
        EmbeddingNorms norms = null;
        List<LnDistance> distances = new ArrayList<>();
        for (ProbeOutput output : outputs) {
            if (output.norms() != null) {
                norms = output.norms();
                distances.addAll(output.distances());
            }
        }
        if (norms == null) {
            throw new IllegalStateException("no task computed the embedding tables");
        }
        return new ProbeResults(norms, distances,
                gather(outputs, ProbeOutput::qk, QkProbe.Hit::block, QkProbe.Hit::head),
                gather(outputs, ProbeOutput::vo, VoProbe.Hit::block, VoProbe.Hit::head),
                gather(outputs, ProbeOutput::svd, SvdProbe.Hit::block, SvdProbe.Hit::head),
                gather(outputs, ProbeOutput::bias, BiasProbe.Hit::block, BiasProbe.Hit::head));
    }

    /** The hits of every output, stably sorted by (block, head) with the sum (head −1) last. */
    private static <T> List<T> gather(List<ProbeOutput> outputs, Function<ProbeOutput, List<T>> part,
                                      ToIntFunction<T> block, ToIntFunction<T> head) {
        List<T> all = new ArrayList<>();
        for (ProbeOutput output : outputs) {
            all.addAll(part.apply(output));
        }
        all.sort(Comparator.comparingInt(block).thenComparingInt(h -> {
            int value = head.applyAsInt(h);
            return value < 0 ? Integer.MAX_VALUE : value;
        }));
        return List.copyOf(all);
    }
}
