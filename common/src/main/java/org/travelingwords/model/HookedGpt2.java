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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Function;

/**
 * GPT-2 with TransformerLens-style hooks on DJL NDArrays (PyTorch engine), float32, on the device
 * the caller picks. The forward reads like DESIGN §2; hook names follow DESIGN §3. Each block runs
 * in its own NDManager scope, so a forward holds one block's activations at a time, whatever the
 * depth; the caller's scope receives only what it asks to keep.
 */
public final class HookedGpt2 implements AutoCloseable {

    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2.0 / Math.PI);

    /** One block's weights, linear weights transposed to [out, in] for {@code linear}. */
    private record Block(NDArray ln1Gain, NDArray ln1Bias, NDArray qkvWeight, NDArray qkvBias,
                         NDArray outWeight, NDArray outBias, NDArray outWeightPerHead,
                         NDArray ln2Gain, NDArray ln2Bias, NDArray fcWeight, NDArray fcBias,
                         NDArray projWeight, NDArray projBias) {}

    private final Gpt2Config config;
    private final DataType dataType;
    private final NDManager weights;
    private final NDArray tokenEmbedding;
    private final NDArray positionEmbedding;
    private final Block[] blocks;
    private final NDArray finalGain;
    private final NDArray finalBias;
    private final Map<Object, FutureTask<Object>> derived = new ConcurrentHashMap<>();

    private HookedGpt2(Gpt2Config config, DataType dataType, NDManager weights, NDArray tokenEmbedding,
                       NDArray positionEmbedding, Block[] blocks, NDArray finalGain, NDArray finalBias) {
        this.config = config;
        this.dataType = dataType;
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

    /** Copies the checkpoint onto {@code device} in {@code precision} (fp32 on the CPU whatever was asked). */
    public static HookedGpt2 load(Gpt2Weights checkpoint, Device device, Precision precision) {
        Gpt2Config c = checkpoint.config();
        DataType dataType = precision.on(device).dataType();
        NDManager manager = NDManager.newBaseManager(device, "PyTorch");
        try {
            Block[] blocks = new Block[c.nLayer()];
            int d = c.nEmbd();
            for (int l = 0; l < c.nLayer(); l++) {
                String h = "h." + l + ".";
                NDArray outWeight = upload(manager, checkpoint.get(h + "attn.c_proj.weight"), dataType);
                blocks[l] = new Block(
                        upload(manager, checkpoint.get(h + "ln_1.weight"), dataType),
                        upload(manager, checkpoint.get(h + "ln_1.bias"), dataType),
                        transposed(manager, checkpoint.get(h + "attn.c_attn.weight"), dataType),
                        upload(manager, checkpoint.get(h + "attn.c_attn.bias"), dataType),
                        outWeight.transpose().duplicate(),
                        upload(manager, checkpoint.get(h + "attn.c_proj.bias"), dataType),
                        outWeight.reshape(c.nHead(), c.headDim(), d),
                        upload(manager, checkpoint.get(h + "ln_2.weight"), dataType),
                        upload(manager, checkpoint.get(h + "ln_2.bias"), dataType),
                        transposed(manager, checkpoint.get(h + "mlp.c_fc.weight"), dataType),
                        upload(manager, checkpoint.get(h + "mlp.c_fc.bias"), dataType),
                        transposed(manager, checkpoint.get(h + "mlp.c_proj.weight"), dataType),
                        upload(manager, checkpoint.get(h + "mlp.c_proj.bias"), dataType));
            }
            return new HookedGpt2(c, dataType, manager,
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

    /** Conv1D [in, out] → contiguous [out, in], the layout {@code linear} multiplies fastest. */
    private static NDArray transposed(NDManager manager, HostTensor tensor, DataType dataType) {
        try (NDArray stored = upload(manager, tensor, dataType)) {
            return stored.transpose().duplicate();
        }
    }

    public Gpt2Config config() {
        return config;
    }

    public Device device() {
        return weights.getDevice();
    }

    /** The float type of weights and activations (fp32, or fp16 / bf16 on a GPU). */
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
     * A value an analysis derives from the weights once (a projection of them, say), computed on
     * first use with arrays of a manager on the model's device, kept and freed with the model.
     * Concurrent tasks sharing the model compute it once: the others wait for it.
     */
    @SuppressWarnings("unchecked")
    public <T> T derived(Object key, Function<NDManager, T> compute) {
        FutureTask<Object> task = derived.get(key);
        try {
            return (T) (task != null ? task : claim(key, compute)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + key, e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /**
     * Computes {@code key}'s value unless some task already started it, and returns at once then:
     * tasks that each walk a list of values this way share the work instead of waiting in line.
     */
    public void deriveUnlessClaimed(Object key, Function<NDManager, ?> compute) {
        if (!derived.containsKey(key)) {
            claim(key, compute);
        }
    }

    /** Runs the computation of {@code key} here if this call claims it, else returns the claimant's. */
    private FutureTask<Object> claim(Object key, Function<NDManager, ?> compute) {
        FutureTask<Object> mine = new FutureTask<>(() -> compute.apply(weights.newSubManager()));
        FutureTask<Object> claimed = derived.putIfAbsent(key, mine);
        if (claimed != null) {
            return claimed;
        }
        mine.run();
        try {
            mine.get();                      // done: run() returned
        } catch (ExecutionException | InterruptedException e) {
            derived.remove(key, mine);       // a failure (out of memory, say) is not remembered: the next use retries
        }
        return mine;
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
            NDArray ids = run.create(LongBuffer.wrap(batch.ids()), new Shape(b, t), DataType.INT64);
            NDArray embed = ids.getNDArrayInternal()
                    .embedding(ids, tokenEmbedding, SparseFormat.DENSE).singletonOrThrow();   // E[w_t]
            NDArray posEmbed = positionEmbedding.get(run, new NDIndex("0:{}", t));
            emit(plan, listener, HookNames.EMBED, embed);
            if (plan.wants(HookNames.POS_EMBED)) {
                listener.onHook(HookNames.POS_EMBED, posEmbed.expandDims(0).repeat(0, b));   // batch first, like every hook
            }
            NDArray x = embed.add(posEmbed);                                   // resid_pre(0) = E[w_t] + P[t]
            NDArray causalMask = causalMask(run, t);
            for (int l = 0; l <= plan.lastLayer(); l++) {
                NDManager blockScope = run.newSubManager();
                x.attach(blockScope);
                x = block(l, x, causalMask, plan, listener);
                x.attach(run);
                blockScope.close();
            }
            if (plan.finalNorm()) {
                NDArray normalized = layerNorm(x, finalGain, finalBias, plan,
                        HookNames.FINAL_SCALE, HookNames.FINAL_NORMALIZED, listener);
                if (plan.logits()) {
                    emit(plan, listener, HookNames.LOGITS, unembed(normalized));
                }
            }
        }
    }

    /** One transformer block (DESIGN §2); {@code x} is resid_pre(l), [B, T, D]. */
    private NDArray block(int l, NDArray x, NDArray causalMask, HookPlan plan, HookListener listener) {
        Block w = blocks[l];
        String p = "blocks." + l + ".";
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        int heads = config.nHead();
        int dh = config.headDim();
        emit(plan, listener, p + "hook_resid_pre", x);

        NDArray a = layerNorm(x, w.ln1Gain, w.ln1Bias, plan, p + "ln1.hook_scale", p + "ln1.hook_normalized", listener);
        NDArray qkv = linear(a, w.qkvWeight, w.qkvBias);                        // [B, T, 3D]
        NDList parts = qkv.split(3, 2);
        NDArray q = parts.get(0).reshape(b, t, heads, dh);
        NDArray k = parts.get(1).reshape(b, t, heads, dh);
        NDArray v = parts.get(2).reshape(b, t, heads, dh);
        emit(plan, listener, p + "attn.hook_q", q);
        emit(plan, listener, p + "attn.hook_k", k);
        emit(plan, listener, p + "attn.hook_v", v);

        NDArray qh = q.transpose(0, 2, 1, 3);                                   // [B, H, T, dh]
        NDArray kht = k.transpose(0, 2, 3, 1);                                  // [B, H, dh, T]
        NDArray vh = v.transpose(0, 2, 1, 3);
        NDArray scores = qh.matMul(kht).muli(1.0f / (float) Math.sqrt(dh)).addi(causalMask); // q·kᵀ/sqrt(dh), masked
        emit(plan, listener, p + "attn.hook_attn_scores", scores);
        NDArray pattern = scores.softmax(-1);
        emit(plan, listener, p + "attn.hook_pattern", pattern);
        NDArray z = pattern.matMul(vh).transpose(0, 2, 1, 3);                  // [B, T, H, dh]
        emit(plan, listener, p + "attn.hook_z", z);
        NDArray zFlat = z.reshape(b, t, (long) heads * dh);
        if (plan.wantsBlock(l, "attn.hook_result")) {
            emit(plan, listener, p + "attn.hook_result", headResults(zFlat, w.outWeightPerHead, b, t));
        }
        NDArray attnOut = linear(zFlat, w.outWeight, w.outBias);               // Σ_h result_h + b_O
        emit(plan, listener, p + "hook_attn_out", attnOut);
        NDArray mid = x.add(attnOut);
        emit(plan, listener, p + "hook_resid_mid", mid);

        NDArray m = layerNorm(mid, w.ln2Gain, w.ln2Bias, plan, p + "ln2.hook_scale", p + "ln2.hook_normalized", listener);
        NDArray pre = linear(m, w.fcWeight, w.fcBias);
        emit(plan, listener, p + "mlp.hook_pre", pre);
        NDArray post = gelu(pre);
        emit(plan, listener, p + "mlp.hook_post", post);
        NDArray mlpOut = linear(post, w.projWeight, w.projBias);
        emit(plan, listener, p + "hook_mlp_out", mlpOut);
        NDArray residPost = mid.add(mlpOut);
        emit(plan, listener, p + "hook_resid_post", residPost);
        return residPost;
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
     * LN(x) = γ ⊙ (x − μ)/σ + β with σ = sqrt(var + ε) (DESIGN §2). The fused kernel serves
     * when nobody asks for σ or x̂; otherwise both are computed and handed out.
     */
    private NDArray layerNorm(NDArray x, NDArray gain, NDArray bias, HookPlan plan,
                              String scaleHook, String normalizedHook, HookListener listener) {
        if (!plan.wants(scaleHook) && !plan.wants(normalizedHook)) {
            return x.getNDArrayInternal()
                    .layerNorm(x, new Shape(config.nEmbd()), gain, bias, (float) config.layerNormEpsilon())
                    .singletonOrThrow();
        }
        NDArray centered = x.sub(x.mean(new int[] {-1}, true));
        NDArray scale = centered.square().mean(new int[] {-1}, true).addi((float) config.layerNormEpsilon()).sqrt();
        NDArray normalized = centered.div(scale);
        emit(plan, listener, scaleHook, scale);
        emit(plan, listener, normalizedHook, normalized);
        return normalized.mul(gain).addi(bias);
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
        return input.getNDArrayInternal().linear(input, tokenEmbedding, null).singletonOrThrow();
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

    private static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
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

    private static void emit(HookPlan plan, HookListener listener, String name, NDArray value) {
        if (plan.wants(name)) {
            listener.onHook(name, value);
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
