package org.travelingwords.probejob;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nouns are encoded without a leading space; those that are not one token of the model are skipped, with the reason. */
class NounListTest {

    @TempDir
    Path dir;

    @Test
    void keepsSingleTokenNounsAndSaysWhyOthersAreSkipped() throws Exception {
        Path file = dir.resolve("nouns.txt");
        Files.writeString(file, "# a comment\ntime\n\n  year \nteacher\ntime\n");
        NounList nouns = NounList.read(file, 50257);
        assertEquals(List.of("time", "year"), nouns.words());
        assertArrayEquals(new int[] {2435, 1941}, nouns.ids(), "'time' and 'year' without a leading space");
        assertEquals(List.of("teacher (2 tokens)", "time (listed twice)"), nouns.skipped());
    }

    @Test
    void aVocabularyWithoutTheNounsIsAnError() throws Exception {
        Path file = dir.resolve("nouns.txt");
        Files.writeString(file, "time\n");
        assertThrows(IllegalArgumentException.class, () -> NounList.read(file, 100));
    }
}
