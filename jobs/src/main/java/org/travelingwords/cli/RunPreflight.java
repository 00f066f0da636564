package org.travelingwords.cli;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.travelingwords.catalog.OutFolderLock;
import org.travelingwords.catalog.OutFolderLockedException;
import org.travelingwords.catalog.RunStamp;
import org.travelingwords.corpus.CorpusReader;
import org.travelingwords.exec.DriverModel;
import org.travelingwords.exec.TaskDevice;
import org.travelingwords.model.Gpt2Config;
import org.travelingwords.model.Precision;
import org.travelingwords.model.TorchEngine;
import org.travelingwords.text.Gpt2Tokenizer;

/**
 * What a writing command checks before any Spark work (DESIGN §7), in this order: the inputs (the
 * corpus paths, the model's checkpoint against its config, its vocabulary against GPT-2's tokenizer),
 * which write nothing, then the out folder, whose lock is the command's first write. A failed check is
 * a {@link ConfigurationException} (exit 2); a live lock, {@link OutFolderLockedException} (exit 3).
 */
final class RunPreflight {

    private final Configuration hadoop;

    RunPreflight(SparkSession spark) {
        this.hadoop = spark.sparkContext().hadoopConfiguration();
    }

    /** {@code --precision}, refused when the executors could not run it (bf16 aborts the JVM inside DJL). */
    static Precision precision(String precision) throws ConfigurationException {
        try {
            return Precision.parse(precision);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("--precision: " + e.getMessage());
        }
    }

    /** {@code --device}, refused when it names a GPU this build or machine cannot run on. */
    static String device(String device) throws ConfigurationException {
        try {
            TaskDevice.checkOnDriver(device, TorchEngine::current);
            return device;
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ConfigurationException("--device " + device + ": " + e.getMessage());
        }
    }

    void corpus(List<String> paths) throws ConfigurationException {
        try {
            CorpusReader.checkPaths(hadoop, paths);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigurationException("--corpus: " + e.getMessage());
        }
    }

    /** The model, described (its weights file hashed for model_id, not loaded) and its header checked against its config. */
    DriverModel model(String model) throws ConfigurationException {
        try {
            return DriverModel.describe(model);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigurationException("--model " + model + ": " + e.getMessage());
        }
    }

    /** The corpus is cut into GPT-2 tokens: every id the tokenizer can give must be a row of the embedding. */
    static void vocabularyCoversTokenizer(String model, Gpt2Config config) throws ConfigurationException {
        if (config.vocabSize() < Gpt2Tokenizer.VOCAB_SIZE) {
            throw new ConfigurationException("--model " + model + ": a vocabulary of " + config.vocabSize()
                    + " tokens is smaller than GPT-2's tokenizer's " + Gpt2Tokenizer.VOCAB_SIZE);
        }
    }

    /** For commands that only rework existing tables: the out folder must be there. */
    void existingOut(String out) throws ConfigurationException {
        try {
            org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(out);
            if (!root.getFileSystem(hadoop).exists(root)) {
                throw new ConfigurationException("--out " + out + " does not exist");
            }
        } catch (IOException e) {
            throw new ConfigurationException("--out " + out + " cannot be read: " + e.getMessage());
        }
    }

    /** Creates the out folder if needed and takes its lock for run {@code stamp} of {@code command}. */
    OutFolderLock lockOut(String out, RunStamp stamp, String command)
            throws ConfigurationException, OutFolderLockedException {
        try {
            return OutFolderLock.acquire(hadoop, out, OutFolderLock.Holder.thisProcess(stamp.runId(), command));
        } catch (IOException e) {
            throw new ConfigurationException("--out " + out + " cannot be written: " + e.getMessage());
        }
    }
}
