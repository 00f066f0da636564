package org.travelingwords.bench;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.SparkSession;
import org.travelingwords.analyses.AnalysisRegistry;
import org.travelingwords.catalog.RunRecord;
import org.travelingwords.corpus.CorpusOptions;
import org.travelingwords.exec.ModelSettings;
import org.travelingwords.heads.HeadsOptions;
import org.travelingwords.model.Gpt2Config;
import org.travelingwords.model.RandomGpt2;
import org.travelingwords.pass.CorpusRun;
import org.travelingwords.pass.RunConfig;
import org.travelingwords.pass.WindowSettings;
import org.travelingwords.sphere.SphereOptions;

/**
 * The whole corpus job on a GPT-2-124M-shaped random model over a generated corpus: reading,
 * tokenizing, batching, the forward with the enabled analyses and the table writes, timed end to
 * end from the runs ledger, on whatever master the given session has.
 *
 * @param model        the model folder ({@link #writeModel})
 * @param blockSize    window length in tokens
 * @param batchTokens  tokens per batch
 * @param partitions   model-stage partitions
 * @param torchThreads libtorch threads per task
 * @param heads        the heads analysis' options
 */
public record JobBenchmark(Path model, int blockSize, int batchTokens, int partitions, int torchThreads,
                           HeadsOptions heads) {

    /** Two timed runs of one analysis set and the line through them. */
    public record TwoSizes(RunRecord smaller, RunRecord larger, SteadyStateFit fit) {}

    private static final String[] WORDS = ("the of and to in a is that for it as was with be by on not he this are or his "
            + "from at which but have an they you were her she there been one all we their has would when if so no what "
            + "river mountain player kitchen theory planet garden window letter morning winter market village signal")
            .split(" ");

    /** Writes a jsonl corpus of about {@code tokens} GPT-2 tokens (one word ≈ one token). */
    public static Path writeCorpus(Path dir, long tokens, int wordsPerDocument) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("bench.jsonl");
        SplittableRandom random = new SplittableRandom(7);
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (long written = 0, doc = 0; written < tokens; doc++) {
                StringBuilder text = new StringBuilder();
                for (int w = 0; w < wordsPerDocument; w++) {
                    text.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
                }
                out.write("{\"id\": \"doc-" + doc + "\", \"text\": \"" + text + ".\"}\n");
                written += wordsPerDocument;
            }
        }
        return file;
    }

    /** Writes the random model folder the job's executors load. */
    public static Path writeModel(Path dir, Gpt2Config config) throws IOException {
        RandomGpt2.generate(config, 1, 0.02).writeFolder(dir);
        return dir;
    }

    /** One run of {@code analyses} over {@code corpus}, its tables under {@code out}. */
    public RunRecord run(SparkSession spark, Path corpus, Path out, List<String> analyses) throws Exception {
        RunConfig config = new RunConfig(
                new CorpusOptions(List.of(corpus.toString()), null, CorpusOptions.DEFAULT_TEXT_FIELD, null,
                        CorpusOptions.DEFAULT_MAX_DOC_CHARS),
                new ModelSettings(model.toString(), "cpu", torchThreads, "fp32"),
                new WindowSettings(blockSize, blockSize, false, partitions, batchTokens),
                AnalysisRegistry.of(analyses, new AnalysisRegistry.Options(SphereOptions.DEFAULTS, heads)),
                "2000-01-01", out.toString());
        return new CorpusRun(spark, config, "bench-" + System.currentTimeMillis(), "bench").run();
    }

    /**
     * Runs {@code analyses} over both corpora {@code repeats} times each (tables under {@code out}) and fits
     * seconds against tokens through each size's fastest run: a machine's noise only ever adds time, and a
     * run's fixed seconds (Spark jobs, the driver's work) are noisy enough to hide a small corpus difference.
     * The larger goes first: whatever a warm-up left undone then slows the rate found instead of raising it.
     */
    public TwoSizes twoSizes(SparkSession spark, Path smaller, Path larger, Path out, List<String> analyses,
                             int repeats) throws Exception {
        RunRecord big = null;
        RunRecord small = null;
        for (int r = 0; r < repeats; r++) {
            big = fastest(big, run(spark, larger, out.resolve("larger-" + r), analyses));
            small = fastest(small, run(spark, smaller, out.resolve("smaller-" + r), analyses));
        }
        return new TwoSizes(small, big,
                SteadyStateFit.through(small.tokens(), small.durationS(), big.tokens(), big.durationS()));
    }

    private static RunRecord fastest(RunRecord best, RunRecord next) {
        return best == null || next.durationS() < best.durationS() ? next : best;
    }
}
