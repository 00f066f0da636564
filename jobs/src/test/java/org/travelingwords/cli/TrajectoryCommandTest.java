package org.travelingwords.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.travelingwords.catalog.TableSchemas;
import org.travelingwords.catalog.TableStore;
import org.travelingwords.model.Gpt2Config;
import org.travelingwords.model.RandomGpt2;
import org.travelingwords.testing.LocalSpark;
import org.travelingwords.text.Gpt2Tokenizer;
import picocli.CommandLine;

/** {@code tw trajectory} end to end on Spark: the table with its schema and one row per (phrase, position, stage), and a PNG per phrase. */
class TrajectoryCommandTest {

    private static final String PAPER = "To kill two birds with one stone";
    private static final String SECOND = "The cat sat";
    private static final int LAYERS = 2;

    @TempDir
    static Path dir;

    private static SparkSession spark;
    private static Path out;

    @BeforeAll
    static void runTrajectory() throws Exception {
        spark = LocalSpark.start();
        Path model = dir.resolve("model");
        RandomGpt2.generate(Gpt2Config.of(LAYERS, 2, 16, 50257, 32), 12, 0.2).writeFolder(model);
        out = dir.resolve("out");
        int code = new CommandLine(new TrajectoryCommand()).execute("--model", model.toString(), "--out", out.toString(),
                "--text", PAPER, "--text", SECOND, "--run-date", "2026-11-28", "--run-id", "trajectory-1");
        assertEquals(0, code);
    }

    @AfterAll
    static void stopSpark() {
        LocalSpark.stop();
    }

    @Test
    void tableHasEveryStageOfEveryToken() throws Exception {
        Dataset<Row> rows = new TableStore(spark, out.toString()).read(TableSchemas.TRAJECTORIES);
        assertEquals(TableSchemas.schema(TableSchemas.TRAJECTORIES), rows.schema());
        int tokens = Gpt2Tokenizer.get().encode(PAPER).length + Gpt2Tokenizer.get().encode(SECOND).length;
        assertEquals((long) tokens * (LAYERS + 2), rows.count());
        assertEquals(List.of("embed", "embed+pos", "resid_post.0", "resid_post.1"), rows.where("phrase_index = 0 AND position = 0")
                .orderBy("stage_index").select("stage").as(org.apache.spark.sql.Encoders.STRING()).collectAsList());

        Row first = rows.where("phrase_index = 0 AND position = 0 AND stage = 'embed'").first();
        assertEquals("To", first.getAs("token"));
        assertEquals(" kill", first.getAs("next_token"));
        assertNull(first.getAs("layer"));
        assertEquals(5, first.getList(first.fieldIndex("top_probs")).size());
        Row last = rows.where("phrase_index = 1 AND position = 2 AND stage = 'resid_post.1'").first();
        assertEquals(1, (int) last.getAs("layer"));
        assertNull(last.getAs("next_token_id"));
        assertNull(last.getAs("cos_next"));
        assertNotNull(last.getAs("x"));

        Row run = new TableStore(spark, out.toString()).read(TableSchemas.RUNS).first();
        assertEquals("succeeded", run.getAs("status"));
        assertEquals(2L, (long) run.getAs("documents_read"));
        assertEquals((long) tokens, (long) run.getAs("tokens"));
    }

    @Test
    void writesAReadablePngPerPhrase() throws Exception {
        for (String name : List.of("phrase-00.png", "phrase-01.png")) {
            Path png = out.resolve("trajectory-plots").resolve("trajectory-1").resolve(name);
            assertTrue(Files.size(png) > 20_000, name + " is " + Files.size(png) + " bytes");
            BufferedImage image = ImageIO.read(png.toFile());
            assertNotNull(image, name + " decodes");
            assertEquals(1800, image.getWidth());
            assertEquals(760, image.getHeight());
        }
    }
}
