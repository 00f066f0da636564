package org.travelingwords.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.travelingwords.model.HubDownloader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tw fetch-model}: download a GPT-2 checkpoint into the Hugging Face cache layout. */
@Command(name = "fetch-model", mixinStandardHelpOptions = true,
        description = "Download config.json and model.safetensors of a hub model into the Hugging Face cache "
                + "($HF_HOME/hub), resuming a partial download and verifying size and sha256. HF_ENDPOINT "
                + "overrides the hub address; HF_TOKEN is sent when set.")
final class FetchModelCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "Hub name: gpt2, gpt2-medium, gpt2-large, gpt2-xl, distilgpt2, openai-community/gpt2, …")
    String name;

    @Option(names = "--revision", defaultValue = "main", description = "Branch, tag or commit (default: ${DEFAULT-VALUE}).")
    String revision;

    @Override
    public Integer call() throws Exception {
        Path snapshot = HubDownloader.fromEnvironment().download(name, revision);
        System.out.println(snapshot.toAbsolutePath());
        return 0;
    }
}
