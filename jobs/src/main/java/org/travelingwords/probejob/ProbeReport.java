package org.travelingwords.probejob;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.travelingwords.probes.BiasProbe;
import org.travelingwords.probes.EmbeddingNorms;
import org.travelingwords.probes.LnDistance;
import org.travelingwords.probes.QkProbe;
import org.travelingwords.probes.SvdProbe;
import org.travelingwords.probes.TopTokens;
import org.travelingwords.probes.VoProbe;
import org.travelingwords.text.TokenText;

/**
 * {@code probe-report.txt}: the probe tables as a researcher reads them beside the paper, per block,
 * per noun, per head, like the paper's logs. Scores follow each token; every list is best first.
 */
public final class ProbeReport {

    /** What the report says about the run itself. */
    public record Header(String modelId, String runId, String runDate, List<Integer> blocks, int heads, int topK,
                         NounList nouns) {}

    private static final int EMBEDDING_LIST = 5;

    private final StringBuilder out = new StringBuilder();

    private ProbeReport() {}

    public static String render(Header header, ProbeResults results) {
        ProbeReport report = new ProbeReport();
        report.header(header);
        report.embeddingNorms(results.norms());
        report.lnDistance(results.distances());
        for (int block : header.blocks()) {
            report.line("").line("==================== block " + block + " ====================");
            report.queryKey(block, header, results.qk());
            report.valueOutput(block, header, results.vo());
            report.svd(block, results.svd());
            report.bias(block, results.bias());
        }
        return report.out.toString();
    }

    private void header(Header h) {
        line("Traveling Words: static weight probes");
        line("model " + h.modelId() + ", run " + h.runId() + " (" + h.runDate() + ")");
        line("blocks " + h.blocks() + ", " + h.heads() + " heads per block, top " + h.topK() + " tokens per list");
        line(h.nouns().words().size() + " query nouns (one GPT-2 token each, encoded without a leading space): "
                + String.join(", ", h.nouns().words()));
        line("skipped nouns (" + h.nouns().skipped().size() + "): "
                + (h.nouns().skipped().isEmpty() ? "none" : String.join(", ", h.nouns().skipped())));
        line("Ties in every ranking go to the lower token id.");
    }

    private void embeddingNorms(EmbeddingNorms norms) {
        line("").line("== Embedding norms: e = E[token]; γ_f, β_f of the final LayerNorm ==");
        for (EmbeddingNorms.Score score : EmbeddingNorms.Score.values()) {
            double[] values = norms.score(score);
            line(score.column() + " (" + description(score) + ")");
            line("  top " + EMBEDDING_LIST + ":    " + tokens(TopTokens.largest(values, EMBEDDING_LIST), values));
            line("  bottom " + EMBEDDING_LIST + ": " + tokens(TopTokens.smallest(values, EMBEDDING_LIST), values));
        }
    }

    private static String description(EmbeddingNorms.Score score) {
        return switch (score) {
            case NORM -> "‖e‖";
            case SCALED_NORM -> "‖γ_f ⊙ e‖";
            case NORM_PLUS_BIAS -> "‖e‖ + β_f·e";
            case SCALED_NORM_PLUS_BIAS -> "‖γ_f ⊙ e‖ + β_f·e";
        };
    }

    private void lnDistance(List<LnDistance> distances) {
        line("").line("== Distance of the embeddings to LN(e) (no affine), mean ± std over the vocabulary ==");
        line(String.format(Locale.ROOT, "  %-16s %24s %24s", "setting", "L2 distance", "cosine distance 1 − cos"));
        for (LnDistance d : distances) {
            line(String.format(Locale.ROOT, "  %-16s %11.5g ± %-10.4g %11.5g ± %-10.4g", d.setting().label(), d.l2Mean(),
                    d.l2Std(), d.cosMean(), d.cosStd()));
        }
    }

    private void queryKey(int block, Header header, List<QkProbe.Hit> hits) {
        line("").line("-- query–key probe: the keys k = LN1(E[token]) a query noun scores highest, (q·W_QK)·k --");
        Map<List<Integer>, List<QkProbe.Hit>> byNounAndHead = group(hits.stream().filter(h -> h.block() == block).toList(),
                h -> List.of(h.queryTokenId(), h.head()));
        for (int noun : header.nouns().ids()) {
            line(TokenText.quoted(noun));
            for (int head = 0; head < header.heads(); head++) {
                List<QkProbe.Hit> list = byNounAndHead.getOrDefault(List.of(noun, head), List.of());
                line(String.format(Locale.ROOT, "  head %2d: ", head)
                        + list.stream().map(h -> scored(h.keyTokenId(), h.score())).collect(Collectors.joining(" | ")));
            }
        }
    }

    private void valueOutput(int block, Header header, List<VoProbe.Hit> hits) {
        line("").line("-- value–output probe: tokens the head writes when it attends to the noun, "
                + "LNf(E[noun] + update + b_O)·E[token] --");
        Map<List<Integer>, List<VoProbe.Hit>> byNounAndHead = group(hits.stream().filter(h -> h.block() == block).toList(),
                h -> List.of(h.keyTokenId(), h.head()));
        List<Integer> heads = new ArrayList<>();
        for (int head = 0; head < header.heads(); head++) {
            heads.add(head);
        }
        heads.add(VoProbe.SUM);
        for (int noun : header.nouns().ids()) {
            line(TokenText.quoted(noun));
            for (int head : heads) {
                List<VoProbe.Hit> list = byNounAndHead.getOrDefault(List.of(noun, head), List.of());
                String label = head == VoProbe.SUM ? "  sum    " : String.format(Locale.ROOT, "  head %2d", head);
                double norm = list.isEmpty() ? Double.NaN : list.get(0).updateNorm();
                line(String.format(Locale.ROOT, "%s (‖update‖ %.4g): ", label, norm)
                        + list.stream().map(h -> scored(h.valueTokenId(), h.score())).collect(Collectors.joining(" | ")));
            }
        }
    }

    private void svd(int block, List<SvdProbe.Hit> hits) {
        line("").line("-- SVD probes: top tokens of each singular pair; left vs LN1(E), right vs LN1(E) (QK) or E (VO) --");
        for (SvdProbe.Hit h : hits) {
            if (h.block() == block) {
                line(String.format(Locale.ROOT, "  head %2d %s #%-2d σ %-10.4g left: %s  | right: %s", h.head(), h.matrix(),
                        h.rank(), h.singularValue(), names(h.leftTokenIds()), names(h.rightTokenIds())));
            }
        }
    }

    private void bias(int block, List<BiasProbe.Hit> hits) {
        line("").line("-- bias probes: LN1(E) along the query-bias direction W_Q·b_Kᵀ and the key-bias direction "
                + "b_Q·W_Kᵀ (scores /sqrt(dh)) --");
        Map<List<Object>, List<BiasProbe.Hit>> lists = group(hits.stream().filter(h -> h.block() == block).toList(),
                h -> List.of(h.head(), h.kind(), h.sign()));
        for (Map.Entry<List<Object>, List<BiasProbe.Hit>> e : lists.entrySet()) {
            BiasProbe.Hit first = e.getValue().get(0);
            line(String.format(Locale.ROOT, "  head %2d %-5s %s: ", first.head(), first.kind().label(),
                    first.sign() > 0 ? "+" : "−")
                    + e.getValue().stream().map(h -> scored(h.tokenId(), h.score())).collect(Collectors.joining(" | ")));
        }
    }

    private static <K, T> Map<K, List<T>> group(List<T> hits, Function<T, K> key) {
        Map<K, List<T>> groups = new LinkedHashMap<>();
        for (T hit : hits) {
            groups.computeIfAbsent(key.apply(hit), k -> new ArrayList<>()).add(hit);
        }
        return groups;
    }

    private static String tokens(int[] ids, double[] scores) {
        List<String> parts = new ArrayList<>();
        for (int id : ids) {
            parts.add(scored(id, scores[id]));
        }
        return String.join(" | ", parts);
    }

    private static String names(int[] ids) {
        List<String> parts = new ArrayList<>();
        for (int id : ids) {
            parts.add(TokenText.quoted(id));
        }
        return String.join(" ", parts);
    }

    private static String scored(int id, double score) {
        return TokenText.quoted(id) + String.format(Locale.ROOT, " %.4g", score);
    }

    private ProbeReport line(String text) {
        out.append(text).append('\n');
        return this;
    }
}
