package org.travelingwords.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.travelingwords.catalog.OutFolderLock;
import org.travelingwords.catalog.TableStore;
import org.travelingwords.model.Gpt2Config;
import org.travelingwords.model.Gpt2Weights;
import org.travelingwords.model.HostTensor;
import org.travelingwords.model.RandomGpt2;
import org.travelingwords.testing.LocalSpark;

/**
 * {@code tw run} through the CLI's exit codes: each configuration error exits 2 naming the problem and
 * writes nothing; a held out folder makes run and vacuum exit 3 and write nothing; a good run leaves
 * no lock behind and takes its ledger values from the task results; a model that fails to load on the
 * executors (after the driver's header check passed) fails the run, recorded, with every table as it was.
 */
class RunCommandTest {

    private static final Gpt2Config CONFIG = Gpt2Config.of(2, 2, 16, 50257, 32);

    @TempDir
    static Path dir;
    private static SparkSession spark;
    private static Path model;
    private static Path corpus;

    @BeforeAll
    static void start() throws Exception {
        spark = LocalSpark.start();
        model = dir.resolve("model");
        RandomGpt2.generate(CONFIG, 3, 0.2).writeFolder(model);
        corpus = dir.resolve("corpus.jsonl");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            lines.append("{\"text\": \"Document ").append(i).append(" walks to the river and back, counting ")
                    .append(i * 7).append(" stones on the way.\"}\n");
        }
        Files.writeString(corpus, lines, StandardCharsets.UTF_8);
    }

    @AfterAll
    static void stop() {
        LocalSpark.stop();
    }

    private static TwOutcome tw(String... args) {
        return TwOutcome.of(args);
    }

    private static TwOutcome run(Path out, String corpusPath, Path modelFolder) {
        return tw("run", "--corpus", corpusPath, "--model", modelFolder.toString(), "--out", out.toString(),
                "--block-size", "16", "--batch-tokens", "64", "--partitions", "2", "--torch-threads", "1",
                "--run-date", "2026-01-02", "--no-report");
    }

    @Test
    void eachConfigurationErrorExitsTwoNamingTheProblemAndWritesNothing() throws Exception {
        List<String> failures = new ArrayList<>();

        Path out = dir.resolve("out-missing-corpus");
        expectConfigurationError(failures, "missing corpus", run(out, dir.resolve("nowhere/*.jsonl").toString(), model),
                "corpus path matches nothing", out);

        Path truncated = copyModel("truncated");
        byte[] weights = Files.readAllBytes(truncated.resolve("model.safetensors"));
        Files.write(truncated.resolve("model.safetensors"), java.util.Arrays.copyOf(weights, weights.length / 2));
        out = dir.resolve("out-truncated");
        expectConfigurationError(failures, "truncated checkpoint", run(out, corpus.toString(), truncated),
                "outside the", out);

        Path wrongShape = copyModel("wrong-shape");
        Files.writeString(wrongShape.resolve("config.json"), Gpt2Config.of(2, 2, 32, 50257, 32).toJson().toString());
        out = dir.resolve("out-wrong-shape");
        expectConfigurationError(failures, "shapes against config", run(out, corpus.toString(), wrongShape),
                "but the config needs", out);

        Path smallVocabulary = dir.resolve("small-vocabulary");
        RandomGpt2.generate(Gpt2Config.of(2, 2, 16, 500, 32), 3, 0.2).writeFolder(smallVocabulary);
        out = dir.resolve("out-small-vocabulary");
        expectConfigurationError(failures, "vocabulary", run(out, corpus.toString(), smallVocabulary),
                "smaller than GPT-2's tokenizer", out);

        Path aFile = Files.writeString(dir.resolve("not-a-folder"), "x");
        out = aFile.resolve("out");
        expectConfigurationError(failures, "unwritable out", run(out, corpus.toString(), model), "cannot be written", out);

        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    private static void expectConfigurationError(List<String> failures, String what, TwOutcome outcome, String message,
                                                 Path out) {
        if (outcome.code() != TwCommand.CONFIGURATION_ERROR) {
            failures.add(what + ": exit " + outcome.code() + ", expected 2; stderr: " + outcome.err());
        } else if (!outcome.err().contains(message)) {
            failures.add(what + ": stderr does not say '" + message + "': " + outcome.err());
        } else if (Files.exists(out)) {
            failures.add(what + ": " + out + " was written");
        }
    }

    private static Path copyModel(String name) throws Exception {
        Path copy = Files.createDirectories(dir.resolve(name));
        for (String file : List.of("config.json", "model.safetensors")) {
            Files.copy(model.resolve(file), copy.resolve(file));
        }
        return copy;
    }

    @Test
    void whileAnotherWriterHoldsTheLockRunAndVacuumExitThreeAndWriteNothing() throws Exception {
        Path out = dir.resolve("out-locked");
        try (OutFolderLock held = OutFolderLock.acquire(spark.sparkContext().hadoopConfiguration(), out.toString(),
                OutFolderLock.Holder.thisProcess("holder-run", "probe"))) {
            TwOutcome refused = run(out, corpus.toString(), model);
            assertEquals(TwCommand.OUT_FOLDER_LOCKED, refused.code(), refused.err());
            assertTrue(refused.err().contains("probe run holder-run"), refused.err());
            TwOutcome vacuum = tw("vacuum", "--out", out.toString());
            assertEquals(TwCommand.OUT_FOLDER_LOCKED, vacuum.code(), vacuum.err());
            try (var entries = Files.list(out)) {
                assertEquals(List.of(OutFolderLock.FILE), entries.map(p -> p.getFileName().toString())
                        .filter(n -> !n.startsWith(".")).toList(), "nothing but the holder's lock");
            }
        }

        TwOutcome good = run(out, corpus.toString(), model);
        assertEquals(0, good.code(), good.err());
        assertFalse(Files.exists(out.resolve(OutFolderLock.FILE)), "the run released its lock");
        Row ledger = new TableStore(spark, out.toString()).read("runs").first();
        assertEquals("succeeded", ledger.getAs("status"));
        assertEquals(1L, (long) ledger.getAs("model_loads"), "one JVM, one load: " + ledger);
        assertEquals(1, ledger.getList(ledger.fieldIndex("executors")).size());
        long sampled = new TableStore(spark, out.toString()).read("sphere_stats").count();
        assertTrue(sampled > 0);
        assertEquals(0, tw("vacuum", "--out", out.toString(), "--retain-hours", "0").code());
        assertFalse(Files.exists(out.resolve(OutFolderLock.FILE)), "vacuum released its lock");
    }

    @Test
    void aModelLoadThatFailsOnTheExecutorsIsRecordedFailedAndChangesNoTable() throws Exception {
        Path out = dir.resolve("out-executor-failure");
        assertEquals(0, run(out, corpus.toString(), model).code());
        TableStore store = new TableStore(spark, out.toString());
        List<String> before = sortedJson(store, "sphere_stats");
        long version = store.version("sphere_stats");

        // The header is right, so the driver's check passes; reading the weights on an executor refuses an
        // lm_head that is not wte (GPT-2 ties them), so every model task throws and Spark aborts the job.
        Gpt2Weights good = RandomGpt2.generate(CONFIG, 3, 0.2);
        java.util.Map<String, HostTensor> tensors = new java.util.LinkedHashMap<>(good.tensors());
        HostTensor wte = good.get("wte.weight");
        float[] untied = wte.data().clone();
        untied[0] += 1;
        tensors.put("lm_head.weight", new HostTensor(wte.shape(), untied));
        Path untiedModel = dir.resolve("untied");
        new Gpt2Weights(CONFIG, tensors).writeFolder(untiedModel);

        TwOutcome failed = tw("run", "--corpus", corpus.toString(), "--model", untiedModel.toString(), "--out",
                out.toString(), "--block-size", "16", "--batch-tokens", "64", "--partitions", "2", "--run-date",
                "2026-01-02", "--run-id", "untied", "--no-report");
        assertEquals(1, failed.code(), failed.err());
        Row ledger = store.read("runs").where("run_id = 'untied'").first();
        assertEquals("failed", ledger.getAs("status"));
        assertTrue(ledger.<String>getAs("error").contains("lm_head"), ledger.<String>getAs("error"));
        assertEquals(version, store.version("sphere_stats"), "no commit to sphere_stats");
        assertEquals(before, sortedJson(store, "sphere_stats"));
        assertFalse(Files.exists(out.resolve("_journal").resolve("untied.json")), "no journal left");
        assertFalse(Files.exists(out.resolve(OutFolderLock.FILE)), "no lock left");
    }

    private static List<String> sortedJson(TableStore store, String table) throws java.io.IOException {
        List<String> rows = new ArrayList<>(store.read(table).toJSON().collectAsList());
        rows.sort(null);
        return rows;
    }
}
