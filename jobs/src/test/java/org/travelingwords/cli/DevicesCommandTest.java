package org.travelingwords.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code tw devices} on this CPU-only machine: the engine line, the CPU check, and --require-gpu failing. */
class DevicesCommandTest {

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = TwCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void printsTheEngineAndChecksTheCpu() {
        String[] result = run("devices");
        assertEquals("0", result[0], result[2]);
        assertTrue(result[1].matches("(?s)engine PyTorch \\S+ cuda_build=false gpus=0 libtorch=\\S+cpu\\S*\n"
                + "device cpu\\(\\): matmul ok, fp16 cast ok \\(\\d+ ms\\)\n"), result[1]);
    }

    @Test
    void requireGpuFailsOnACpuBuildWithTheReason() {
        String[] result = run("devices", "--require-gpu");
        assertEquals("1", result[0]);
        assertTrue(result[2].contains("built without CUDA: build with -Pcuda"), result[2]);
    }
}
