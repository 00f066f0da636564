package org.travelingwords.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs a tw command in this JVM, expects it to succeed, and checks the lines it printed on stdout. */
final class PrintedLines {

    /** A number as the bench lines print it (%.Nf). */
    static final String NUMBER = "-?\\d+\\.\\d+";

    private final String printed;

    private PrintedLines(String printed) {
        this.printed = printed;
    }

    static PrintedLines ofSuccessful(String... args) {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = TwCommand.commandLine().execute(args);
        } finally {
            System.setOut(out);
        }
        String printed = captured.toString(StandardCharsets.UTF_8);
        System.out.print(printed);   // for the test report
        assertEquals(0, code, printed);
        return new PrintedLines(printed);
    }

    /** Exactly one printed line matches {@code regex}. */
    void assertOne(String regex) {
        assertEquals(1, printed.lines().filter(line -> line.matches(regex)).count(), regex + " in\n" + printed);
    }
}
