package org.travelingwords.heads;

import java.util.ArrayList;
import java.util.List;
import org.travelingwords.analysis.BatchAnalysis;
import org.travelingwords.attention.HeadAggregates;
import org.travelingwords.attention.HeadAnalysis;
import org.travelingwords.attention.HeadLayer;
import org.travelingwords.attention.PromotedScorer;
import org.travelingwords.model.Gpt2Config;
import org.travelingwords.model.TokenBatch;
import org.travelingwords.pass.BatchRows;
import org.travelingwords.pass.CorpusAnalysis;
import org.travelingwords.pass.TokenSampler;

/**
 * The heads analysis on one partition: picks each batch's promoted-view sample before its forward,
 * then folds the layers the device produced into the partition's {@link HeadAggregates}, their
 * sampled cells through a {@link PromotedScorer} that scores many batches' cells at once.
 */
final class HeadFold implements CorpusAnalysis.PartitionFold {

    private final HeadAnalysis analysis;
    private final HeadAggregates aggregates;
    private final TokenSampler promotedSample;
    private final PromotedScorer promotedScorer;
    private final List<HeadLayer> batchLayers = new ArrayList<>();

    HeadFold(HeadAnalysis analysis, Gpt2Config model, HeadsOptions options) {
        this.analysis = analysis;
        this.aggregates = new HeadAggregates(model.nLayer(), model.nHead(), model.nEmbd(), options.sketchSize());
        this.promotedSample = new TokenSampler(options.promotedSampleRate());
        this.promotedScorer = analysis.promotedScorer(aggregates::addPromoted);
    }

    @Override
    public BatchAnalysis beforeForward(BatchRows rows) {
        batchLayers.clear();
        return analysis.into(promotedCells(rows), batchLayers::add);
    }

    @Override
    public void afterForward(BatchRows rows) {
        for (HeadLayer layer : batchLayers) {
            aggregates.update(layer);
            promotedScorer.add(layer);
        }
        batchLayers.clear();
    }

    /**
     * The batch cells b·T + t whose promoted tokens the forward computes: real tokens t ≥ 1 chosen by
     * a hash of (doc_id, window_idx, position), so reruns and repartitions score the same tokens.
     */
    int[] promotedCells(BatchRows rows) {
        TokenBatch batch = rows.batch();
        List<Integer> cells = new ArrayList<>();
        for (int b = 0; b < batch.batchSize(); b++) {
            for (int t = 1; t < batch.lengths()[b]; t++) {
                if (promotedSample.sampled(rows.docIds()[b], rows.windowIdx()[b], t)) {
                    cells.add(b * batch.seqLen() + t);
                }
            }
        }
        return cells.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public byte[] partial() {
        promotedScorer.flush();
        return aggregates.toBytes();
    }
}
