package org.travelingwords.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A command that reads the tables of an out folder (tw sql, tw tables, tw report): the required
 * --out and Spark's options; the session starts when the command first asks for it and is stopped
 * (if it started here) when the command is done.
 */
abstract class OutFolderCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, description = "The out folder holding the tables (local path or hdfs://, s3a://, …).")
    String out;

    @Mixin
    SparkOptions spark;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public final Integer call() throws IOException {
        try (SparkOptions session = spark) {
            return read(session);
        }
    }

    /** The command's work over the tables under {@link #out}; returns the exit code. */
    abstract int read(SparkOptions session) throws IOException;

    /** Where the command prints (tests set their own). */
    PrintWriter stdout() {
        return spec.commandLine().getOut();
    }
}
