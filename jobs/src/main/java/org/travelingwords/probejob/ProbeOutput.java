package org.travelingwords.probejob;

import java.io.Serializable;
import java.util.List;
import org.travelingwords.probes.BiasProbe;
import org.travelingwords.probes.EmbeddingNorms;
import org.travelingwords.probes.LnDistance;
import org.travelingwords.probes.QkProbe;
import org.travelingwords.probes.SvdProbe;
import org.travelingwords.probes.VoProbe;

/** What one {@link ProbeTask} found, shipped back to the driver; lists a task does not fill are empty. */
public record ProbeOutput(EmbeddingNorms norms, List<LnDistance> distances, List<QkProbe.Hit> qk,
                          List<VoProbe.Hit> vo, List<SvdProbe.Hit> svd, List<BiasProbe.Hit> bias) implements Serializable {

    static ProbeOutput embedding(EmbeddingNorms norms, List<LnDistance> distances) {
        return new ProbeOutput(norms, distances, List.of(), List.of(), List.of(), List.of());
    }

    static ProbeOutput head(List<QkProbe.Hit> qk, List<VoProbe.Hit> vo, List<SvdProbe.Hit> svd, List<BiasProbe.Hit> bias) {
        return new ProbeOutput(null, List.of(), qk, vo, svd, bias);
    }

    static ProbeOutput headSum(List<VoProbe.Hit> vo) {
        return new ProbeOutput(null, List.of(), List.of(), vo, List.of(), List.of());
    }
}
