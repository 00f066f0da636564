package org.travelingwords.cli;

import org.travelingwords.catalog.OutFolderLockedException;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code tw}: the one entry point for every subcommand. */
@Command(name = "tw",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Traveling Words: the geometry of GPT-2's residual stream over large corpora, on Spark.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:done", "1:the command failed (a writing command records it in runs and rolls its tables back)",
            "2:usage or configuration error, found before any Spark work; nothing was written",
            "3:another writing command holds --out (its lock names it)"},
        subcommands = {
            RunCommand.class,
            NightlyCommand.class,
            SqlCommand.class,
            TablesCommand.class,
            HooksCommand.class,
            MakeModelCommand.class,
            FetchModelCommand.class,
            ProbeCommand.class,
            TrajectoryCommand.class,
            ReportCommand.class,
            HistoryCommand.class,
            VacuumCommand.class,
            BenchCommand.class,
            DevicesCommand.class,
            CommandLine.HelpCommand.class
        })
public final class TwCommand implements Runnable {

    /** Exit code of a usage or configuration error found before any Spark work (nothing written). */
    public static final int CONFIGURATION_ERROR = 2;
    /** Exit code when another writing command holds the out folder. */
    public static final int OUT_FOLDER_LOCKED = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs {@code tw args} and returns the exit code: the command line, with nightly's --config file read first. */
    public static int execute(String... args) {
        CommandLine cli = commandLine();
        CommandLine nightly = cli.getSubcommands().get("nightly");
        try {
            ConfigFile.applyTo(nightly, args);
        } catch (ConfigurationException e) {
            nightly.getErr().println("tw nightly: " + e.getMessage());
            return CONFIGURATION_ERROR;
        }
        return cli.execute(args);
    }

    /** The configured command line, also what tests drive. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new TwCommand());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // A user error reads as one line; a bug keeps its stack trace.
            if (e instanceof ConfigurationException) {
                commandLine.getErr().println("tw " + commandLine.getCommandName() + ": " + e.getMessage());
                return CONFIGURATION_ERROR;
            }
            if (e instanceof OutFolderLockedException) {
                commandLine.getErr().println("tw " + commandLine.getCommandName() + ": " + e.getMessage());
                return OUT_FOLDER_LOCKED;
            }
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
