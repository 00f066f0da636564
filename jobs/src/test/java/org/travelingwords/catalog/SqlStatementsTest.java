package org.travelingwords.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SqlStatementsTest {

    @Test
    void splitsAtSemicolonsThatEndStatements() {
        String script = """
                -- counts; per table
                SELECT count(*) FROM runs;
                SELECT 'a;b' AS s, "c;d" AS t, `e;f` FROM x /* g; h */ ;
                SELECT 'it\\'s;' AS u
                ;;  -- trailing comment only
                """;
        assertEquals(List.of(
                "-- counts; per table\nSELECT count(*) FROM runs",
                "SELECT 'a;b' AS s, \"c;d\" AS t, `e;f` FROM x /* g; h */",
                "SELECT 'it\\'s;' AS u"), SqlStatements.split(script));
    }

    @Test
    void aLastStatementNeedsNoSemicolon() {
        assertEquals(List.of("SELECT 1", "SELECT 2"), SqlStatements.split("SELECT 1;\nSELECT 2\n"));
        assertEquals(List.of(), SqlStatements.split("  \n-- nothing\n/* at all */ ; "));
    }
}
