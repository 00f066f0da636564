package org.travelingwords.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tw nightly --config FILE}: the file's keys are the options' defaults; the command line wins; typos fail. */
class ConfigFileTest {

    @TempDir
    Path dir;

    private NightlyCommand parse(Path config, String... more) throws Exception {
        CommandLine cli = TwCommand.commandLine();
        CommandLine nightly = cli.getSubcommands().get("nightly");
        String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("nightly", "--config", config.toString()),
                java.util.stream.Stream.of(more)).toArray(String[]::new);
        ConfigFile.applyTo(nightly, args);
        cli.parseArgs(args);
        return nightly.getCommand();
    }

    @Test
    void keysAreTheLongOptionsAndTheCommandLineWins() throws Exception {
        Path config = Files.writeString(dir.resolve("nightly.properties"), """
                # the corpus and where the tables go
                corpus = hdfs:///dumps/news/,hdfs:///dumps/blogs/
                out = hdfs:///tw/news
                analyses = sphere,heads
                batch-tokens = 4096
                on-change = fail
                full = true
                """);
        NightlyCommand night = parse(config, "--out", "/tmp/elsewhere");
        assertEquals(List.of("hdfs:///dumps/news/", "hdfs:///dumps/blogs/"), night.corpus);
        assertEquals("/tmp/elsewhere", night.job.out, "the command line wins");
        assertEquals(List.of("sphere", "heads"), night.analyses);
        assertEquals(4096, night.batchTokens);
        assertEquals("fail", night.onChange);
        assertTrue(night.full);
        assertEquals("demo", night.job.model, "an option in neither keeps its default");
    }

    @Test
    void anUnknownKeyOrAMissingFileIsAConfigurationError() throws Exception {
        Path typo = Files.writeString(dir.resolve("typo.properties"), "corpus = a.jsonl\nbatch_tokens = 4096\n");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> parse(typo));
        assertTrue(e.getMessage().contains("unknown key 'batch_tokens'"), e.getMessage());
        assertEquals(TwCommand.CONFIGURATION_ERROR, TwCommand.execute("nightly", "--config", typo.toString()));
        ConfigurationException missing = assertThrows(ConfigurationException.class, () -> parse(dir.resolve("none")));
        assertTrue(missing.getMessage().contains("no such file"), missing.getMessage());
        assertFalse(missing.getMessage().isBlank());
    }
}
