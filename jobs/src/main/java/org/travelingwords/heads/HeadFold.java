package org.travelingwords.heads;

import java.util.ArrayList;
import java.util.List;
import org.travelingwords.attention.HeadAggregates;
import org.travelingwords.attention.HeadLayer;
import org.travelingwords.attention.HeadSink;
import org.travelingwords.model.Gpt2Config;
import org.travelingwords.model.TokenBatch;
import org.travelingwords.sphere.BatchRows;
import org.travelingwords.sphere.TokenSampler;

/**
 * A partition's heads: picks each batch's promoted-view sample before its forward, then folds the
 * layers the device produced into the partition's {@link HeadAggregates}.
 */
public final class HeadFold implements HeadSink {

    private final HeadAggregates aggregates;
    private final TokenSampler promotedSample;

    public HeadFold(Gpt2Config model, HeadsOptions options) {
        this.aggregates = new HeadAggregates(model.nLayer(), model.nHead(), model.nEmbd(), options.sketchSize());
        this.promotedSample = new TokenSampler(options.promotedSampleRate());
    }

    /**
     * The batch cells b·T + t whose promoted tokens the forward computes: real tokens t ≥ 1 chosen by
     * a hash of (doc_id, window_idx, position), so reruns and repartitions score the same tokens.
     */
    public int[] promotedCells(BatchRows rows) {
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
    public void accept(HeadLayer layer) {
        aggregates.add(layer);
    }

    public byte[] toBytes() {
        return aggregates.toBytes();
    }
}
