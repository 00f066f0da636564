package org.travelingwords.analysis;

import ai.djl.ndarray.NDManager;
import org.travelingwords.model.HookListener;
import org.travelingwords.model.HookPlan;
import org.travelingwords.model.TokenBatch;

/**
 * One analysis fed by a forward that several analyses share (DESIGN §1: the model runs once per
 * batch whatever is enabled). It names the hooks it reads and, per batch, hands out the listener
 * that reduces them on the device. {@link OnePassForward} runs the forward and routes each hook to
 * the analyses that asked for it.
 */
public interface BatchAnalysis {

    /** The hooks this analysis reads. */
    HookPlan plan();

    /**
     * The listener for one batch. {@code state} lives until the forward has ended and is closed
     * after it: arrays that must outlive a block go there, everything else in the hook's scope.
     * Listeners must not change the arrays they receive; other analyses read them too.
     */
    HookListener begin(TokenBatch batch, NDManager state);
}
