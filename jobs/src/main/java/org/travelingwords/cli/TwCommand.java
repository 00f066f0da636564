package org.travelingwords.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tw}: the one entry point for every subcommand. */
@Command(name = "tw",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Traveling Words: the geometry of GPT-2's residual stream over large corpora, on Spark.",
        subcommands = {
            RunCommand.class,
            SqlCommand.class,
            TablesCommand.class,
            HooksCommand.class,
            MakeModelCommand.class,
            FetchModelCommand.class,
            ProbeCommand.class,
            TrajectoryCommand.class,
            ReportCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class
        })
public final class TwCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, also what tests drive. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new TwCommand());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // A user error reads as one line; a bug keeps its stack trace.
            if (e instanceof java.io.IOException || e instanceof IllegalArgumentException) {
                commandLine.getErr().println("tw " + commandLine.getCommandName() + ": " + e.getMessage());
            } else {
                e.printStackTrace(commandLine.getErr());
            }
            return 1;
        });
        return cli;
    }
}
