package org.travelingwords.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;

/**
 * GPT-2's forward with TransformerLens-style hooks on DJL NDArrays (PyTorch engine), on the device
 * the caller picks: DESIGN §2 line by line, hook names from {@link HookNames} (DESIGN §3), and
 * nothing else. Each block runs in its own NDManager scope, so a forward holds one block's
 * activations at a time, whatever the depth; the caller's scope receives only what it keeps.
 * Shapes: B batch rows, T tokens, D = n_embd, H heads of dh = D/H, F = n_inner (4D), V vocabulary.
 */
public final class HookedGpt2 implements AutoCloseable {

    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2.0 / Math.PI);

    /** One block's weights; the Conv1D weights [in, out] are stored transposed, [out, in], for {@code linear}. */
    private record Block(
            NDArray ln1Gain,          // γ₁ [D]
            NDArray ln1Bias,          // β₁ [D]
            NDArray qkvWeight,        // W_attn [3D, D]
            NDArray qkvBias,          // b_attn [3D]
            NDArray outWeight,        // W_O [D, H·dh]
            NDArray outBias,          // b_O [D]
            NDArray outWeightPerHead, // W_O by head [H, dh, D], as stored (row h·dh + i of c_proj.weight)
            NDArray ln2Gain,          // γ₂ [D]
            NDArray ln2Bias,          // β₂ [D]
            NDArray fcWeight,         // W_fc [F, D]
            NDArray fcBias,           // b_fc [F]
            NDArray projWeight,       // W_proj [D, F]
            NDArray projBias) {}      // b_proj [D]

    private final Gpt2Config config;
    private final DataType dataType;
    private final Gemm gemm;
    private final NDManager weights;
    private final NDArray tokenEmbedding;     // E [V, D]
    private final NDArray positionEmbedding;  // P [n_positions, D]
    private final Block[] blocks;
    private final NDArray finalGain;          // γ_f [D]
    private final NDArray finalBias;          // β_f [D]

    private HookedGpt2(Gpt2Config config, DataType dataType, Gemm gemm, NDManager weights, NDArray tokenEmbedding,
                       NDArray positionEmbedding, Block[] blocks, NDArray finalGain, NDArray finalBias) {
        this.config = config;
        this.dataType = dataType;
        this.gemm = gemm;
        this.weights = weights;
        this.tokenEmbedding = tokenEmbedding;
        this.positionEmbedding = positionEmbedding;
        this.blocks = blocks;
        this.finalGain = finalGain;
        this.finalBias = finalBias;
    }

    /** Copies the checkpoint onto {@code device} in fp32. */
    public static HookedGpt2 load(Gpt2Weights checkpoint, Device device) {
        return load(checkpoint, device, Precision.FP32);
    }

    /**
     * Copies the checkpoint onto {@code device} in {@code precision} (fp32 on the CPU whatever was asked);
     * the projections go through this JVM's {@link Gemms} choice.
     */
    public static HookedGpt2 load(Gpt2Weights checkpoint, Device device, Precision precision) {
        return load(checkpoint, device, precision.on(device).dataType());
    }

    /** Copies the checkpoint onto {@code device} in {@code dataType}, as given. */
    static HookedGpt2 load(Gpt2Weights checkpoint, Device device, DataType dataType) {
        return load(checkpoint, device, dataType, Gemms.forModel(device, dataType));
    }

    /** A CPU fp32 model whose projections go through {@code gemm}, whatever this JVM chose: to compare the paths. */
    public static HookedGpt2 loadOnCpu(Gpt2Weights checkpoint, Gemm gemm) {
        return load(checkpoint, Device.cpu(), DataType.FLOAT32, gemm);
    }

    private static HookedGpt2 load(Gpt2Weights checkpoint, Device device, DataType dataType, Gemm gemm) {
        Gpt2Config c = checkpoint.config();
        NDManager manager = NDManager.newBaseManager(device, "PyTorch");
        try {
            Block[] blocks = new Block[c.nLayer()];
            int d = c.nEmbd();
            for (int l = 0; l < c.nLayer(); l++) {
                String h = "h." + l + ".";
                HostTensor outWeight = checkpoint.get(h + "attn.c_proj.weight");
                blocks[l] = new Block(
                        upload(manager, checkpoint.get(h + "ln_1.weight"), dataType),
                        upload(manager, checkpoint.get(h + "ln_1.bias"), dataType),
                        transposed(manager, checkpoint.get(h + "attn.c_attn.weight"), dataType),
                        upload(manager, checkpoint.get(h + "attn.c_attn.bias"), dataType),
                        transposed(manager, outWeight, dataType),
                        upload(manager, checkpoint.get(h + "attn.c_proj.bias"), dataType),
                        upload(manager, outWeight, dataType).reshape(c.nHead(), c.headDim(), d),
                        upload(manager, checkpoint.get(h + "ln_2.weight"), dataType),
                        upload(manager, checkpoint.get(h + "ln_2.bias"), dataType),
                        transposed(manager, checkpoint.get(h + "mlp.c_fc.weight"), dataType),
                        upload(manager, checkpoint.get(h + "mlp.c_fc.bias"), dataType),
                        transposed(manager, checkpoint.get(h + "mlp.c_proj.weight"), dataType),
                        upload(manager, checkpoint.get(h + "mlp.c_proj.bias"), dataType));
            }
            return new HookedGpt2(c, dataType, gemm, manager,
                    upload(manager, checkpoint.get("wte.weight"), dataType),
                    upload(manager, checkpoint.get("wpe.weight"), dataType),
                    blocks,
                    upload(manager, checkpoint.get("ln_f.weight"), dataType),
                    upload(manager, checkpoint.get("ln_f.bias"), dataType));
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static NDArray upload(NDManager manager, HostTensor tensor, DataType dataType) {
        NDArray fp32 = manager.create(FloatBuffer.wrap(tensor.data()), new Shape(tensor.shape()), DataType.FLOAT32);
        if (dataType == DataType.FLOAT32) {
            return fp32;
        }
        try (fp32) {
            return fp32.toType(dataType, true);
        }
    }

    /**
     * Conv1D [in, out] → [out, in], transposed on the host so that the tensor is contiguous: libtorch's
     * {@code clone} of a transposed view keeps its strides, and OpenBLAS would then get a copy of W per product.
     */
    private static NDArray transposed(NDManager manager, HostTensor tensor, DataType dataType) {
        int in = (int) tensor.shape()[0];
        int out = (int) tensor.shape()[1];
        float[] rows = new float[in * out];
        for (int i = 0; i < in; i++) {
            for (int o = 0; o < out; o++) {
                rows[o * in + i] = tensor.data()[i * out + o];
            }
        }
        return upload(manager, new HostTensor(new long[] {out, in}, rows), dataType);
    }

    public Gpt2Config config() {
        return config;
    }

    public Device device() {
        return weights.getDevice();
    }

    /** The path of the projections and the unembedding. */
    public Gemm gemm() {
        return gemm;
    }

    /** The float type of weights and activations (fp32, or fp16 on a GPU). */
    public DataType dataType() {
        return dataType;
    }

    /** E [V, D], for analyses that score against the vocabulary. */
    public NDArray tokenEmbedding() {
        return tokenEmbedding;
    }

    public NDArray finalGain() {
        return finalGain;
    }

    public NDArray finalBias() {
        return finalBias;
    }

    /** W_O of block {@code layer} split by head, [H, dh, D] (rows h·dh … (h+1)·dh − 1 of c_proj.weight). */
    public NDArray headOutputWeights(int layer) {
        return blocks[layer].outWeightPerHead;
    }

    /**
     * A new manager on the model's device whose arrays live as long as the weights and are freed with
     * them, for values an analysis derives from the weights once.
     */
    public NDManager newWeightScope() {
        return weights.newSubManager();
    }

    /**
     * Runs {@code batch} through the blocks {@code plan} needs and hands each requested hook to
     * {@code listener}. Arrays are created under {@code scope} and freed before returning, except
     * what the listener moved elsewhere.
     */
    public void forward(TokenBatch batch, HookPlan plan, HookListener listener, NDManager scope) {
        int b = batch.batchSize();
        int t = batch.seqLen();
        if (t > config.nPositions()) {
            throw new IllegalArgumentException("sequence of " + t + " tokens exceeds n_positions " + config.nPositions());
        }
        try (NDManager run = scope.newSubManager(device())) {
            Taps taps = new Taps(plan, listener, "");
            NDArray ids = run.create(LongBuffer.wrap(batch.ids()), new Shape(b, t), DataType.INT64);       // [B, T]
            NDArray embed = ids.getNDArrayInternal()
                    .embedding(ids, tokenEmbedding, SparseFormat.DENSE).singletonOrThrow();           // E[w_t], [B, T, D]
            NDArray posEmbed = positionEmbedding.get(run, new NDIndex("0:{}", t));                    // P[t], [T, D]
            taps.emit(HookNames.EMBED, embed);
            if (taps.wants(HookNames.POS_EMBED)) {
                taps.emit(HookNames.POS_EMBED, posEmbed.expandDims(0).repeat(0, b));   // batch first, like every hook
            }
            NDArray x = embed.add(posEmbed);                                          // resid_pre(0), [B, T, D]
            NDArray causalMask = causalMask(run, t);                                  // [T, T]
            for (int l = 0; l <= plan.lastLayer(); l++) {
                NDManager blockScope = run.newSubManager();
                x.attach(blockScope);
                x = block(blocks[l], x, causalMask, new Taps(plan, listener, HookNames.block(l, "")));
                x.attach(run);
                blockScope.close();
            }
            if (plan.finalNorm()) {
                NDArray normalized = layerNorm(x, finalGain, finalBias, taps,
                        HookNames.FINAL_SCALE, HookNames.FINAL_NORMALIZED);                   // LNf(x)
                if (plan.logits()) {
                    taps.emit(HookNames.LOGITS, unembed(normalized));                       // [B, T, V]
                }
            }
        }
    }

    /** One transformer block (DESIGN §2), like nanoGPT's {@code Block.forward}: x is resid_pre(l), [B, T, D]. */
    private NDArray block(Block w, NDArray x, NDArray causalMask, Taps taps) {
        taps.emit(HookNames.RESID_PRE, x);
        NDArray mid = x.add(attention(w, layerNorm(x, w.ln1Gain, w.ln1Bias, taps, HookNames.LN1_SCALE,
                HookNames.LN1_NORMALIZED), causalMask, taps));                      // mid = x + attn(ln1(x))
        taps.emit(HookNames.RESID_MID, mid);
        NDArray post = mid.add(mlp(w, layerNorm(mid, w.ln2Gain, w.ln2Bias, taps, HookNames.LN2_SCALE,
                HookNames.LN2_NORMALIZED), taps));                                  // post = mid + mlp(ln2(mid))
        taps.emit(HookNames.RESID_POST, post);
        return post;
    }

    /** Causal self-attention of a = ln1(x) [B, T, D]: Σ_h result_h + b_O, [B, T, D]. */
    private NDArray attention(Block w, NDArray a, NDArray causalMask, Taps taps) {
        long b = a.getShape().get(0);
        long t = a.getShape().get(1);
        int heads = config.nHead();
        int dh = config.headDim();
        NDList qkv = gemm.linear(a, w.qkvWeight, w.qkvBias).split(3, 2);             // [q k v] = a·W_attn + b_attn
        NDArray q = qkv.get(0).reshape(b, t, heads, dh);                             // [B, T, H, dh]
        NDArray k = qkv.get(1).reshape(b, t, heads, dh);
        NDArray v = qkv.get(2).reshape(b, t, heads, dh);
        taps.emit(HookNames.ATTN_Q, q);
        taps.emit(HookNames.ATTN_K, k);
        taps.emit(HookNames.ATTN_V, v);
        // (q/sqrt(dh))·kᵀ, masked, [B, H, T, T]: scaling q is a pass over T·D values, not H·T·T (4× fewer at
        // GPT-2's 8 × 256), and bit-identical when dh is a power of 4 (GPT-2: 1/8 scales exactly).
        NDArray scores = q.mul(1.0f / (float) Math.sqrt(dh)).transpose(0, 2, 1, 3).matMul(k.transpose(0, 2, 3, 1))
                .addi(causalMask);
        taps.emit(HookNames.ATTN_SCORES, scores);
        // A hooked pattern is an fp32 softmax, so the heads' entropy never reads fp16-rounded probabilities.
        NDArray pattern = (taps.wants(HookNames.ATTN_PATTERN) ? Fp32.of(scores) : scores).softmax(-1); // [B, H, T, T]
        taps.emit(HookNames.ATTN_PATTERN, pattern);
        NDArray z = inModelType(pattern).matMul(v.transpose(0, 2, 1, 3)).transpose(0, 2, 1, 3); // pattern·v, [B, T, H, dh]
        taps.emit(HookNames.ATTN_Z, z);
        NDArray zFlat = z.reshape(b, t, (long) heads * dh);                          // [B, T, H·dh]
        if (taps.wants(HookNames.ATTN_RESULT)) {
            taps.emit(HookNames.ATTN_RESULT, headResults(zFlat, w.outWeightPerHead, b, t));
        }
        NDArray attnOut = gemm.linear(zFlat, w.outWeight, w.outBias);                // Σ_h result_h + b_O, [B, T, D]
        taps.emit(HookNames.ATTN_OUT, attnOut);
        return attnOut;
    }

    /** The MLP of m = ln2(mid) [B, T, D]: gelu(m·W_fc + b_fc)·W_proj + b_proj, [B, T, D]. */
    private NDArray mlp(Block w, NDArray m, Taps taps) {
        NDArray pre = gemm.linear(m, w.fcWeight, w.fcBias);                          // [B, T, F]
        taps.emit(HookNames.MLP_PRE, pre);
        NDArray post = gelu(pre);
        taps.emit(HookNames.MLP_POST, post);
        NDArray mlpOut = gemm.linear(post, w.projWeight, w.projBias);                // [B, T, D]
        taps.emit(HookNames.MLP_OUT, mlpOut);
        return mlpOut;
    }

    /** result_h = z_h · W_O[h·dh:(h+1)·dh, :] for every head, [B, T, H, D]. */
    private NDArray headResults(NDArray zFlat, NDArray outWeightPerHead, long b, long t) {
        int heads = config.nHead();
        int dh = config.headDim();
        NDArray zByHead = zFlat.reshape(b * t, heads, dh).transpose(1, 0, 2);  // [H, B·T, dh]
        NDArray result = zByHead.matMul(outWeightPerHead);                      // [H, B·T, D]
        return result.transpose(1, 0, 2).reshape(b, t, heads, config.nEmbd());
    }

    /**
     * LN(x) = γ ⊙ x̂ + β (DESIGN §2). The fused kernel serves when nobody asks for σ or x̂ (it
     * accumulates in fp32 for fp16 inputs); otherwise {@link LayerNormStats} computes both in fp32,
     * they are handed out in fp32, and LN(x) goes on in the model's precision.
     */
    private NDArray layerNorm(NDArray x, NDArray gain, NDArray bias, Taps taps, String scaleHook, String normalizedHook) {
        if (!taps.wants(scaleHook) && !taps.wants(normalizedHook)) {
            return x.getNDArrayInternal()
                    .layerNorm(x, new Shape(config.nEmbd()), gain, bias, (float) config.layerNormEpsilon())
                    .singletonOrThrow();
        }
        LayerNormStats stats = LayerNormStats.ofActivation(x, (float) config.layerNormEpsilon());
        taps.emit(scaleHook, stats.scale());
        taps.emit(normalizedHook, stats.normalized());
        return inModelType(stats.affine(gain, bias));
    }

    /** The final LayerNorm LNf(x) with γ_f, β_f, for analyses that apply the logit lens; in the model's precision. */
    public NDArray finalLayerNorm(NDArray x) {
        NDArray input = inModelType(x);
        return input.getNDArrayInternal()
                .layerNorm(input, new Shape(config.nEmbd()), finalGain, finalBias, (float) config.layerNormEpsilon())
                .singletonOrThrow();
    }

    /** logits = LNf(x) · Eᵀ (lm_head tied to wte), in the model's precision. */
    public NDArray unembed(NDArray normalized) {
        NDArray input = inModelType(normalized);
        return gemm.linear(input, tokenEmbedding, null);
    }

    private NDArray inModelType(NDArray x) {
        return x.getDataType() == dataType ? x : x.toType(dataType, false);
    }

    private NDArray gelu(NDArray x) {
        if (config.activation() == Activation.GELU_ERF) {
            return x.getNDArrayInternal().gelu();
        }
        // 0.5·x·(1 + tanh(u)) = x·sigmoid(2u), u = sqrt(2/π)·(x + 0.044715·x³): five passes, not eight.
        NDArray twoU = x.square().muli(2f * SQRT_2_OVER_PI * 0.044715f).addi(2f * SQRT_2_OVER_PI).muli(x);
        return twoU.getNDArrayInternal().sigmoid().muli(x);
    }

    /** 0 on and below the diagonal, −∞ above: a query sees only itself and earlier keys. */
    private NDArray causalMask(NDManager manager, int t) {
        float[] mask = new float[t * t];
        for (int i = 0; i < t; i++) {
            for (int j = i + 1; j < t; j++) {
                mask[i * t + j] = Float.NEGATIVE_INFINITY;
            }
        }
        NDArray fp32 = manager.create(mask, new Shape(t, t));
        return dataType == DataType.FLOAT32 ? fp32 : fp32.toType(dataType, false);
    }

    /** The hooks of one place in the forward (a block's, or the model's own): full names are prefix + suffix. */
    private record Taps(HookPlan plan, HookListener listener, String prefix) {

        boolean wants(String suffix) {
            return plan.wants(prefix + suffix);
        }

        void emit(String suffix, NDArray value) {
            if (wants(suffix)) {
                listener.onHook(prefix + suffix, value);
            }
        }
    }

    /** Arrays the model's own manager holds: constant after load unless a forward leaks into it. */
    int weightArrayCount() {
        return ((ai.djl.ndarray.BaseNDManager) weights).getManagedArrays().size();
    }

    @Override
    public void close() {
        weights.close();
    }
}
