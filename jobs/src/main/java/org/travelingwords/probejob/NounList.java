package org.travelingwords.probejob;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.travelingwords.text.Gpt2Tokenizer;

/**
 * The query nouns of the QK and VO probes: a file with one noun per line ({@code #} comments and
 * blank lines ignored), each encoded as written, without a leading space, as the paper does. A noun
 * that is not exactly one GPT-2 token, or whose token the model's vocabulary lacks, is skipped and
 * listed with the reason.
 *
 * @param words   the nouns kept, in file order
 * @param ids     their token ids
 * @param skipped "noun (why)" for each noun left out
 */
public record NounList(List<String> words, int[] ids, List<String> skipped) {

    public static NounList read(Path file, int vocabSize) throws IOException {
        List<String> words = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String noun = line.strip();
            if (noun.isEmpty() || noun.startsWith("#")) {
                continue;
            }
            int[] tokens = Gpt2Tokenizer.get().encode(noun);
            if (tokens.length != 1) {
                skipped.add(noun + " (" + tokens.length + " tokens)");
            } else if (tokens[0] >= vocabSize) {
                skipped.add(noun + " (token " + tokens[0] + " outside the model's vocabulary of " + vocabSize + ")");
            } else if (ids.contains(tokens[0])) {
                skipped.add(noun + " (listed twice)");
            } else {
                words.add(noun);
                ids.add(tokens[0]);
            }
        }
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("no noun of " + file + " is a single token of the model: " + skipped);
        }
        return new NounList(List.copyOf(words), ids.stream().mapToInt(Integer::intValue).toArray(), List.copyOf(skipped));
    }
}
