package org.travelingwords.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.travelingwords.model.Gpt2Config;
import org.travelingwords.model.RandomGpt2;
import org.travelingwords.model.SafetensorsFile;

/** {@code tw hooks} end to end: the file holds the chosen hooks batch first, and the token bookkeeping. */
class HooksCommandTest {

    @TempDir
    Path dir;

    @Test
    void writesChosenHooksWithTokensMaskAndLengths() throws Exception {
        Path model = dir.resolve("model");
        RandomGpt2.generate(Gpt2Config.of(2, 2, 16, 50257, 32), 3, 0.2).writeFolder(model);
        Path out = dir.resolve("hooks.safetensors");
        int code = TwCommand.commandLine().execute("hooks", "--model", model.toString(),
                "--tokens", "464,3797,318", "--tokens", "15496,995", "--names", "blocks.*.hook_resid_post,logits",
                "--out", out.toString());
        assertEquals(0, code);
        try (SafetensorsFile file = SafetensorsFile.open(out)) {
            assertTrue(file.entries().keySet().containsAll(java.util.List.of(
                    "blocks.0.hook_resid_post", "blocks.1.hook_resid_post", "logits", "tokens", "attention_mask", "lengths")));
            assertEquals(6, file.entries().size(), "only the chosen hooks: " + file.entries().keySet());
            assertArrayEquals(new long[] {2, 3, 16}, file.entries().get("blocks.1.hook_resid_post").shape());
            assertArrayEquals(new long[] {2, 3, 50257}, file.entries().get("logits").shape());
            assertArrayEquals(new long[] {464, 3797, 318, 15496, 995, 0}, file.readLongs("tokens"));
            assertArrayEquals(new long[] {1, 1, 1, 1, 1, 0}, file.readLongs("attention_mask"));
            assertArrayEquals(new long[] {3, 2}, file.readLongs("lengths"));
        }
    }

    /** --compare passes against the same forward and fails against another model's, beyond the tolerance. */
    @Test
    void comparesWithAnEarlierFileWithinATolerance() throws Exception {
        Path model = dir.resolve("model-a");
        Path other = dir.resolve("model-b");
        RandomGpt2.generate(Gpt2Config.of(1, 2, 8, 100, 8), 1, 0.2).writeFolder(model);
        RandomGpt2.generate(Gpt2Config.of(1, 2, 8, 100, 8), 2, 0.2).writeFolder(other);
        String reference = dir.resolve("reference.safetensors").toString();
        String[] inputs = {"--tokens", "1,2,3", "--names", "blocks.0.hook_resid_post"};
        assertEquals(0, hooks(model, reference, inputs));
        assertEquals(0, hooks(model, dir.resolve("again.safetensors").toString(), inputs, "--compare", reference));
        assertEquals(1, hooks(other, dir.resolve("other.safetensors").toString(), inputs, "--compare", reference,
                "--tolerance", "1e-4"));
    }

    private static int hooks(Path model, String out, String[] inputs, String... more) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("hooks", "--model", model.toString(), "--out", out));
        args.addAll(java.util.List.of(inputs));
        args.addAll(java.util.List.of(more));
        return TwCommand.commandLine().execute(args.toArray(String[]::new));
    }

    @Test
    void refusesUnknownHookNamesAndOutOfVocabularyIds() throws Exception {
        String model = dir.resolve("small").toString();
        RandomGpt2.generate(Gpt2Config.of(1, 2, 8, 100, 8), 1, 0.2).writeFolder(Path.of(model));
        assertNotEquals(0, TwCommand.commandLine().execute("hooks", "--model", model, "--tokens", "1,2",
                "--names", "blocks.*.hook_nothing", "--out", dir.resolve("x.safetensors").toString()));
        assertNotEquals(0, TwCommand.commandLine().execute("hooks", "--model", model, "--tokens", "1,100",
                "--out", dir.resolve("y.safetensors").toString()));
    }
}
