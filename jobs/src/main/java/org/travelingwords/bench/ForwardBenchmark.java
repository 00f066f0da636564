package org.travelingwords.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.travelingwords.analysis.OnePassForward;
import org.travelingwords.attention.HeadAggregates;
import org.travelingwords.attention.HeadAnalysis;
import org.travelingwords.attention.PromotedScorer;
import org.travelingwords.geometry.SphereAnalysis;
import org.travelingwords.model.Gpt2Config;
import org.travelingwords.model.HookListener;
import org.travelingwords.model.HookPlan;
import org.travelingwords.model.HookedGpt2;
import org.travelingwords.model.TokenBatch;
import org.travelingwords.model.TorchThreads;

/**
 * Times the engine: float32 matmul peak and the three forwards of the engine issue (with logits,
 * without, with the DESIGN §4 sphere analysis on its residual hooks). Medians of repeated runs
 * after a warm-up.
 */
public final class ForwardBenchmark {

    /** One measured line. */
    public record Figure(String name, double tokensPerSecond, double flopsPerToken, double mfu) {}

    private final HookedGpt2 model;
    private final int batch;
    private final int seq;
    private final int runs;

    public ForwardBenchmark(HookedGpt2 model, int batch, int seq, int runs) {
        this.model = model;
        this.batch = batch;
        this.seq = seq;
        this.runs = runs;
    }

    /** Model FLOPs per token: 2·(matmul weights) + causal attention's q·kᵀ and p·v over T keys (full T, as computed). */
    public static double flopsPerToken(Gpt2Config c, int seq, boolean logits) {
        double d = c.nEmbd();
        double perLayer = 2 * (d * 3 * d + d * d + 2 * d * c.nInner()) + 4.0 * seq * d;
        return c.nLayer() * perLayer + (logits ? 2 * d * c.vocabSize() : 0);
    }

    /**
     * Median GFLOP/s of a [B·T, D] × [D, 4D] matmul, the shape that dominates the forward, on the model's
     * GEMM path and in its precision.
     */
    public double matmulGflops() {
        Gpt2Config c = model.config();
        long m = (long) batch * seq;
        try (NDManager manager = NDManager.newBaseManager(model.device(), "PyTorch")) {
            NDArray a = manager.randomNormal(new Shape(m, c.nEmbd())).toType(model.dataType(), false);
            NDArray w = manager.randomNormal(new Shape(c.nInner(), c.nEmbd())).toType(model.dataType(), false);
            double flops = 2.0 * m * c.nEmbd() * c.nInner();
            double seconds = medianSeconds(() -> {
                try (NDArray y = model.gemm().linear(a, w, null)) {
                    y.toFloatArray(); // forces completion on asynchronous devices
                }
                return null;
            }, Math.max(runs * 4, 20));
            return flops / seconds / 1e9;
        }
    }

    public Figure forward(String name, HookPlan plan, HookListener listener, boolean logits, double matmulGflops) {
        TokenBatch tokens = randomBatch();
        double seconds = medianSeconds(() -> {
            try (NDManager scope = NDManager.newBaseManager(model.device(), "PyTorch")) {
                model.forward(tokens, plan, listener, scope);
            }
            return null;
        }, runs);
        return figure(name, tokens.realTokens() / seconds, logits, matmulGflops);
    }

    /**
     * The bare forward as a Spark executor runs it: {@code tasks} forwards at once, each on its own
     * thread and batch, with libtorch on one thread per call (spark.task.cpus = 1), so that every
     * product takes the model's GEMM path, OpenBLAS included (it serves one-thread products only).
     * Tokens/s of all tasks together: the median wall time until all of a round's forwards ended.
     */
    public Figure concurrentForward(int tasks, double matmulGflops) {
        TokenBatch tokens = randomBatch();
        HookPlan plan = HookPlan.fullForward(model.config().nLayer(), false);
        ExecutorService pool = Executors.newFixedThreadPool(tasks);
        try {
            double seconds = TorchThreads.singleThreaded(() -> medianSeconds(() -> {
                List<Future<?>> round = new ArrayList<>();
                for (int i = 0; i < tasks; i++) {
                    round.add(pool.submit(() -> {
                        try (NDManager scope = NDManager.newBaseManager(model.device(), "PyTorch")) {
                            model.forward(tokens, plan, (n, v) -> { }, scope);
                        }
                    }));
                }
                for (Future<?> forward : round) {
                    try {
                        forward.get();
                    } catch (InterruptedException | ExecutionException e) {
                        throw new IllegalStateException("a concurrent forward failed", e);
                    }
                }
                return null;
            }, runs));
            return figure("forward_nologits_tasks", (double) tasks * tokens.realTokens() / seconds, false, matmulGflops);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The forward with the DESIGN §4 sphere analysis reducing its residual hooks on the device (line c). */
    public Figure sphere(double matmulGflops) {
        SphereAnalysis analysis = new SphereAnalysis(model, false);
        TokenBatch tokens = randomBatch();
        double seconds = medianSeconds(() -> {
            try (NDManager scope = NDManager.newBaseManager(model.device(), "PyTorch")) {
                analysis.run(tokens, scope, metrics -> { });
            }
            return null;
        }, runs);
        return figure("forward_hooked", tokens.realTokens() / seconds, false, matmulGflops);
    }

    /**
     * The forward with the sphere and the heads analyses sharing it (DESIGN §5), every
     * {@code promotedEvery}-th query in the promoted view, and the heads folded on the host, as
     * a partition of {@code tw run --analyses sphere,heads} does (line d).
     */
    public Figure sphereAndHeads(double matmulGflops, int promotedEvery) {
        Gpt2Config c = model.config();
        SphereAnalysis sphere = new SphereAnalysis(model, false);
        HeadAnalysis heads = new HeadAnalysis(model);
        TokenBatch tokens = randomBatch();
        int[] promoted = java.util.stream.IntStream.range(0, batch * seq)
                .filter(cell -> cell % seq >= 1 && cell % promotedEvery == 0).toArray();
        double seconds = medianSeconds(() -> {
            HeadAggregates fold = new HeadAggregates(c.nLayer(), c.nHead(), c.nEmbd(), HeadAggregates.sketchSizeFor(100));
            PromotedScorer scorer = heads.promotedScorer(fold::addPromoted);
            try (NDManager scope = NDManager.newBaseManager(model.device(), "PyTorch")) {
                OnePassForward.run(model, tokens, scope, List.of(sphere.into(metrics -> { }), heads.into(promoted, layer -> {
                    fold.update(layer);
                    scorer.add(layer);
                })));
            }
            scorer.flush(); // this batch's cells alone, where the job scores 256 cells per layer at a time
            return null;
        }, runs);
        return figure("forward_heads", tokens.realTokens() / seconds, false, matmulGflops);
    }

    /** A rate with its FLOPs per token and its model FLOPs utilisation against the measured matmul. */
    private Figure figure(String name, double tokensPerSecond, boolean logits, double matmulGflops) {
        double flops = flopsPerToken(model.config(), seq, logits);
        return new Figure(name, tokensPerSecond, flops, tokensPerSecond * flops / (matmulGflops * 1e9));
    }

    private TokenBatch randomBatch() {
        SplittableRandom random = new SplittableRandom(42);
        int[][] rows = new int[batch][seq];
        for (int[] row : rows) {
            for (int t = 0; t < seq; t++) {
                row[t] = random.nextInt(model.config().vocabSize());
            }
        }
        return TokenBatch.of(rows);
    }

    /** Warm-up (half the runs, at least 2), then the median wall time of {@code runs} calls. */
    private static double medianSeconds(Supplier<Void> work, int runs) {
        for (int i = 0; i < Math.max(2, runs / 2); i++) {
            work.get();
        }
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            work.get();
            times.add((System.nanoTime() - start) / 1e9);
        }
        double[] sorted = times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

}
