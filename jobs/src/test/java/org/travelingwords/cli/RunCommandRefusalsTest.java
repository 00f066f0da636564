package org.travelingwords.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What would abort or fail every executor is refused on the driver, before Spark starts (this build has no CUDA). */
class RunCommandRefusalsTest {

    @TempDir
    Path dir;

    private String refused(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = TwCommand.commandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(TwCommand.CONFIGURATION_ERROR, cli.execute(args), err.toString());
        return err.toString();
    }

    @Test
    void bf16AndAGpuOnACpuBuildFailBeforeAnyTask() {
        String out = dir.resolve("out").toString();
        assertTrue(refused("run", "--precision", "bf16", "--out", out).contains("bf16 is not supported"));
        assertTrue(refused("run", "--device", "gpu", "--out", out).contains("built without CUDA (libtorch"));
        assertTrue(refused("probe", "--device", "gpu:1", "--out", out).contains("build with -Pcuda"));
        assertTrue(SparkSession.getActiveSession().isEmpty(), "no Spark session was started");
        assertFalse(Files.exists(dir.resolve("out")), "nothing was written");
    }
}
