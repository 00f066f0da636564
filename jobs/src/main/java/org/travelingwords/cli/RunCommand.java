package org.travelingwords.cli;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.travelingwords.analyses.AnalysisRegistry;
import org.travelingwords.catalog.OutFolderLock;
import org.travelingwords.catalog.RunRecord;
import org.travelingwords.catalog.RunStamp;
import org.travelingwords.corpus.CorpusOptions;
import org.travelingwords.exec.DriverModel;
import org.travelingwords.exec.ModelSettings;
import org.travelingwords.heads.HeadsOptions;
import org.travelingwords.model.Precision;
import org.travelingwords.pass.CorpusRun;
import org.travelingwords.pass.RunConfig;
import org.travelingwords.pass.WindowSettings;
import org.travelingwords.report.ReportWriter;
import org.travelingwords.sphere.SphereOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tw run}: the corpus job — sphere statistics and attention heads over a corpus, as Parquet tables. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the analyses over a corpus on Spark and write the Parquet tables under --out "
                + "(partitioned by run_date; a rerun of a date replaces that date's rows of its model).")
class RunCommand implements Callable<Integer> {

    @Mixin
    JobOptions job;

    @Spec
    CommandSpec spec;

    @Option(names = "--corpus", split = ",",
            description = "Files, folders or globs, local or on a Hadoop file system (hdfs://, s3a://, file://); "
                    + "repeat or comma-separate. Default: the bundled sample corpus (conf/sample-corpus).")
    List<String> corpus;

    @Option(names = "--format", description = "text (a document per file), lines, jsonl or parquet; default: by file extension.")
    String format;

    @Option(names = "--text-field", defaultValue = "text", description = "jsonl field / parquet column with the text (default: ${DEFAULT-VALUE}).")
    String textField;

    @Option(names = "--id-field", description = "jsonl field / parquet column with a document id (default: a hash of file and line).")
    String idField;

    @Option(names = "--max-doc-chars", defaultValue = "1000000", description = "Longer documents are rejected (default: ${DEFAULT-VALUE}).")
    int maxDocChars;

    @Option(names = "--device", defaultValue = "auto",
            description = "auto: the GPU Spark assigned to the task (spark.task.resource.gpu.amount), else the CPU; "
                    + "or cpu, gpu, gpu:N on every executor (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--precision", defaultValue = "fp32",
            description = "fp32 or fp16 for the model on GPUs (bf16 is refused: DJL cannot cast to it); CPUs always run fp32; "
                    + "statistics are fp32 (default: ${DEFAULT-VALUE}).")
    String precision;

    @Option(names = "--torch-threads", defaultValue = "0",
            description = "libtorch intra-op threads per executor JVM; 0 = spark.task.cpus, so concurrent tasks share the cores (default: ${DEFAULT-VALUE}).")
    int torchThreads;

    @Option(names = "--analyses", split = ",", defaultValue = "sphere",
            description = "Analyses to run in the one pass over the corpus: sphere, heads, or both (comma-separated) "
                    + "(default: ${DEFAULT-VALUE}).")
    List<String> analyses;

    @Option(names = "--qk-top", defaultValue = "100", description = "heads: (query, key) token pairs kept per head in qk_pairs (default: ${DEFAULT-VALUE}).")
    int qkTop;

    @Option(names = "--subject-top", defaultValue = "20", description = "heads: tokens per head and view in head_subjects (default: ${DEFAULT-VALUE}).")
    int subjectTop;

    @Option(names = "--promoted-sample-rate", defaultValue = HeadsOptions.DEFAULT_PROMOTED_SAMPLE_RATE,
            description = "heads: share of query tokens whose promoted token is scored over the whole vocabulary for "
                    + "head_subjects' promoted view; the costliest part of heads, about rate x layers x heads x d_model "
                    + "x vocab x 2 FLOP per token. Its accuracy depends on the number of sampled queries: raise it for "
                    + "small corpora (default: ${DEFAULT-VALUE} = 1/256).")
    double promotedSampleRate;

    @Option(names = "--max-clusters", defaultValue = "12", description = "heads: the largest k tried for head_clusters (default: ${DEFAULT-VALUE}).")
    int maxClusters;

    @Option(names = "--clusters", defaultValue = "0",
            description = "heads: a fixed number of head clusters; 0 = choose k in [2, --max-clusters] by the silhouette (default: ${DEFAULT-VALUE}).")
    int clusters;

    @Option(names = "--block-size", defaultValue = "0", description = "Window length in tokens; 0 = the model's n_positions (default: ${DEFAULT-VALUE}).")
    int blockSize;

    @Option(names = "--stride", defaultValue = "0", description = "Tokens between window starts; 0 = the block size (default: ${DEFAULT-VALUE}).")
    int stride;

    @Option(names = "--prepend-eos", description = "Put <|endoftext|> first in each document.")
    boolean prependEos;

    @Option(names = "--partitions", defaultValue = "0", description = "Partitions of the model stage; 0 = Spark's default parallelism (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--batch-tokens", defaultValue = "8192", description = "Token budget of one batch, padding included (default: ${DEFAULT-VALUE}).")
    int batchTokens;

    @Option(names = "--sample-rate", defaultValue = "0.001", description = "Share of tokens written to token_samples (default: ${DEFAULT-VALUE}).")
    double sampleRate;

    @Option(names = "--logit-lens", defaultValue = "basic",
            description = "basic (next_cos, log_ratio) or full (adds next_logprob, next_rank, lens_entropy over the vocabulary) (default: ${DEFAULT-VALUE}).")
    String logitLens;

    @Option(names = "--no-report", description = "Do not write the HTML report (DIR/report/index.html) at the end.")
    boolean noReport;

    @Override
    public Integer call() throws Exception {
        RunStamp stamp = job.stamp();
        RunConfig config = config(stamp);
        try (SparkOptions session = job.spark) {
            Checked checked = preflight(session, config, stamp, "run");
            try (OutFolderLock lock = checked.lock()) {
                RunRecord record = new CorpusRun(session.session(), config, stamp.runId(), VersionProvider.version())
                        .run(checked.model());
                report(session, record);
            }
        }
        return 0;
    }

    /** The run's configuration from the options; a usage error throws before any Spark work. */
    RunConfig config(RunStamp stamp) throws ConfigurationException {
        if (!logitLens.equals("basic") && !logitLens.equals("full")) {
            throw new IllegalArgumentException("--logit-lens must be basic or full, not '" + logitLens + "'");
        }
        Precision modelPrecision = RunPreflight.precision(precision);
        RunPreflight.device(device);
        AnalysisRegistry.Options options = new AnalysisRegistry.Options(
                new SphereOptions(sampleRate, logitLens.equals("full")),
                new HeadsOptions(qkTop, subjectTop, promotedSampleRate, maxClusters, clusters));
        List<String> corpusPaths = corpus != null ? corpus : List.of(ConfFiles.of("sample-corpus").toString());
        return new RunConfig(new CorpusOptions(corpusPaths, format, textField, idField, maxDocChars),
                new ModelSettings(job.model, device, torchThreads, modelPrecision.name().toLowerCase(Locale.ROOT)),
                new WindowSettings(blockSize, stride, prependEos, partitions, batchTokens),
                AnalysisRegistry.of(analyses, options), stamp.runDate(), job.out);
    }

    /** The checked model and the out folder's lock. */
    record Checked(DriverModel model, OutFolderLock lock) {}

    /** The corpus, the model and its vocabulary checked, then the out folder locked: before any Spark work. */
    Checked preflight(SparkOptions session, RunConfig config, RunStamp stamp, String command) throws Exception {
        RunPreflight preflight = new RunPreflight(session.session());
        preflight.corpus(config.corpus().paths());
        DriverModel model = preflight.model(job.model);
        RunPreflight.vocabularyCoversTokenizer(job.model, model.config());
        return new Checked(model, preflight.lockOut(job.out, stamp, command));
    }

    /** The run's summary line, where its tables are, and its report unless --no-report. */
    void report(SparkOptions session, RunRecord record) throws Exception {
        System.out.printf(Locale.ROOT, "%s %s %s: %d documents (%d rejected), %d windows, %d tokens in %.1f s "
                        + "(%.0f tokens/s, padding %.1f%%)%n", spec.name(), record.runId(), record.status(),
                record.documentsRead(), record.documentsRejected(), record.windows(), record.tokens(),
                record.durationS(), record.tokensPerS(), 100 * record.paddingFraction());
        System.out.println(job.tablesLine());
        if (!noReport) {
            System.out.println("report: " + new ReportWriter(session.session(), job.out).write(record.runId(), null));
        }
    }

}
