package org.travelingwords.sphere;

import org.travelingwords.model.TokenBatch;

/** A batch and where its rows came from, for the per-token outputs that name documents. */
public record BatchRows(TokenBatch batch, String[] docIds, int[] windowIdx) {}
