package org.travelingwords.cli;

import ai.djl.ndarray.NDManager;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.travelingwords.model.HookCapture;
import org.travelingwords.model.HookPlan;
import org.travelingwords.model.HookedGpt2;
import org.travelingwords.model.HostTensor;
import org.travelingwords.model.ModelSource;
import org.travelingwords.model.SafetensorsWriter;
import org.travelingwords.model.TokenBatch;
import org.travelingwords.text.Gpt2Tokenizer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tw hooks}: run texts or token lists through the model and save the named hooks (debugging, DESIGN §1). */
@Command(name = "hooks", mixinStandardHelpOptions = true,
        description = "Run texts or token ids through the model and write the chosen hooks to a .safetensors file.")
final class HooksCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions;

    static final class Inputs {
        @Option(names = "--text", description = "A text to tokenize (GPT-2 BPE); repeat for a batch.")
        List<String> texts = new ArrayList<>();

        @Option(names = "--tokens", description = "Token ids, comma separated (one row); repeat for a batch.")
        List<String> tokenLists = new ArrayList<>();
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Inputs inputs;

    @Option(names = "--names", split = ",", defaultValue = "*",
            description = "Hook names or globs, comma separated, e.g. blocks.*.hook_resid_post,logits (default: every hook).")
    List<String> names;

    @Option(names = "--out", required = true, description = "The .safetensors file to write.")
    Path out;

    @Option(names = "--compare", paramLabel = "FILE",
            description = "An earlier tw hooks file of the same inputs (e.g. from --device cpu): print each hook's largest "
                    + "absolute difference from it and exit 1 if one exceeds --tolerance.")
    Path compare;

    @Option(names = "--tolerance", defaultValue = "1e-4",
            description = "Largest absolute difference --compare accepts (default: ${DEFAULT-VALUE}).")
    double tolerance;

    @Override
    public Integer call() throws Exception {
        int[][] rows = rows();
        ModelSource source = modelOptions.resolve();
        try (HookedGpt2 model = modelOptions.load(source);
             NDManager scope = NDManager.newBaseManager(model.device(), "PyTorch")) {
            HookPlan plan = HookPlan.select(model.config().nLayer(), names);
            for (int[] row : rows) {
                for (int id : row) {
                    if (id < 0 || id >= model.config().vocabSize()) {
                        throw new IllegalArgumentException("token id " + id + " is outside the model's vocabulary [0, "
                                + model.config().vocabSize() + ")");
                    }
                }
            }
            TokenBatch batch = TokenBatch.of(rows);
            HookCapture capture = new HookCapture();
            model.forward(batch, plan, capture, scope);
            SafetensorsWriter writer = new SafetensorsWriter()
                    .metadata("model", source.name())
                    .metadata("model_folder", source.folder().toString());
            for (Map.Entry<String, HostTensor> hook : capture.captured().entrySet()) {
                writer.add(hook.getKey(), hook.getValue());
            }
            long[] shape = {batch.batchSize(), batch.seqLen()};
            long[] lengths = new long[batch.batchSize()];
            for (int b = 0; b < lengths.length; b++) {
                lengths[b] = batch.lengths()[b];
            }
            writer.addLongs("tokens", shape, batch.ids())
                    .addLongs("attention_mask", shape, batch.attentionMask())
                    .addLongs("lengths", new long[] {lengths.length}, lengths)
                    .write(out);
            System.out.println("wrote " + capture.captured().size() + " hooks for " + rows.length + " rows of up to "
                    + batch.seqLen() + " tokens to " + out.toAbsolutePath());
            if (compare != null) {
                PrintWriter stdout = new PrintWriter(System.out, true);
                boolean within = HookComparison.within(capture.captured(), compare, tolerance, stdout);
                stdout.flush();
                return within ? 0 : 1;
            }
        }
        return 0;
    }

    private int[][] rows() {
        if (!inputs.texts.isEmpty()) {
            int[][] rows = new int[inputs.texts.size()][];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = Gpt2Tokenizer.get().encode(inputs.texts.get(i));
                if (rows[i].length == 0) {
                    throw new IllegalArgumentException("--text '" + inputs.texts.get(i) + "' has no tokens");
                }
            }
            return rows;
        }
        int[][] rows = new int[inputs.tokenLists.size()][];
        for (int i = 0; i < rows.length; i++) {
            String[] ids = inputs.tokenLists.get(i).split(",");
            rows[i] = new int[ids.length];
            for (int j = 0; j < ids.length; j++) {
                try {
                    rows[i][j] = Integer.parseInt(ids[j].trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--tokens '" + inputs.tokenLists.get(i) + "': '" + ids[j] + "' is not a token id");
                }
            }
        }
        return rows;
    }
}
