package org.travelingwords.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Exit code and standard error of one {@code tw} command line, run in this JVM. */
record TwOutcome(int code, String err) {

    static TwOutcome of(String... args) {
        CommandLine cli = TwCommand.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        return new TwOutcome(cli.execute(args), err.toString());
    }
}
