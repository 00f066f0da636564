package org.travelingwords.bench;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.SparkSession;
import org.travelingwords.catalog.RunRecord;
import org.travelingwords.exec.CorpusRun;
import org.travelingwords.exec.RunConfig;
import org.travelingwords.heads.HeadsOptions;
import org.travelingwords.model.Gpt2Config;
import org.travelingwords.model.RandomGpt2;

/**
 * The whole corpus job in local mode on a GPT-2-124M-shaped random model over a generated corpus:
 * reading, tokenizing, batching, the forward with the enabled analyses and the table writes,
 * timed end to end from the runs ledger.
 */
public final class JobBenchmark {

    private static final String[] WORDS = ("the of and to in a is that for it as was with be by on not he this are or his "
            + "from at which but have an they you were her she there been one all we their has would when if so no what "
            + "river mountain player kitchen theory planet garden window letter morning winter market village signal")
            .split(" ");

    private JobBenchmark() {}

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

    public static RunRecord run(SparkSession spark, Path corpus, Path model, Path out, int blockSize, int batchTokens,
                                int partitions, int torchThreads, List<String> analyses, HeadsOptions heads)
            throws IOException {
        RunConfig config = new RunConfig(List.of(corpus.toString()), null, "text", null, 1_000_000, model.toString(),
                "cpu", torchThreads, blockSize, blockSize, false, partitions, batchTokens, 0.001, false, analyses,
                "2000-01-01", out.toString(), "fp32", heads);
        return new CorpusRun(spark, config, "bench-" + System.currentTimeMillis(), "bench").run();
    }
}
