package org.travelingwords.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TokenTravelTest {

    /** One update's arguments. */
    private record Update(int layer, int token, float norm, float layerAngle, float embedAngle, float logRatio) {
        void applyTo(TokenTravel travel) {
            travel.update(layer, token, norm, layerAngle, embedAngle, logRatio);
        }
    }

    /** A row of forEachRow, for comparisons. */
    private record Row(int layer, int token, long count, double norm, double layerAngle, double embedAngle, double logRatio) {
    }

    private static List<Update> randomUpdates(Random random, int n, int layers, int vocab) {
        List<Update> updates = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            updates.add(new Update(random.nextInt(layers), random.nextInt(vocab),
                    50 + 10 * random.nextFloat(), random.nextFloat(), 2 * random.nextFloat(),
                    random.nextInt(4) == 0 ? Float.NaN : (float) random.nextGaussian()));
        }
        return updates;
    }

    private static List<Row> rows(TokenTravel travel) {
        List<Row> rows = new ArrayList<>();
        travel.forEachRow((layer, token, count, norm, layerAngle, embedAngle, logRatio) ->
                rows.add(new Row(layer, token, count, norm, layerAngle, embedAngle, logRatio)));
        return rows;
    }

    /** The naive reference: a sorted map of (layer, token) → {count, sums…, log_ratio count}. */
    private static List<Row> naiveRows(List<Update> updates) {
        Map<List<Integer>, double[]> cells = new TreeMap<>((a, b) ->
                a.get(0).equals(b.get(0)) ? Integer.compare(a.get(1), b.get(1)) : Integer.compare(a.get(0), b.get(0)));
        for (Update u : updates) {
            double[] c = cells.computeIfAbsent(List.of(u.layer(), u.token()), k -> new double[6]);
            c[0]++;
            c[1] += u.norm();
            c[2] += u.layerAngle();
            c[3] += u.embedAngle();
            if (!Float.isNaN(u.logRatio())) {
                c[4]++;
                c[5] += u.logRatio();
            }
        }
        List<Row> rows = new ArrayList<>();
        cells.forEach((k, c) -> rows.add(new Row(k.get(0), k.get(1), (long) c[0], c[1] / c[0], c[2] / c[0], c[3] / c[0],
                c[4] == 0 ? Double.NaN : c[5] / c[4])));
        return rows;
    }

    private static void assertSameRows(List<Row> expected, List<Row> actual, double tolerance) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            Row e = expected.get(i);
            Row a = actual.get(i);
            String where = "row " + i + " " + e;
            assertEquals(e.layer(), a.layer(), where);
            assertEquals(e.token(), a.token(), where);
            assertEquals(e.count(), a.count(), where);
            assertEquals(e.norm(), a.norm(), tolerance * Math.abs(e.norm()), where);
            assertEquals(e.layerAngle(), a.layerAngle(), tolerance * Math.abs(e.layerAngle()), where);
            assertEquals(e.embedAngle(), a.embedAngle(), tolerance * Math.abs(e.embedAngle()), where);
            assertEquals(Double.isNaN(e.logRatio()), Double.isNaN(a.logRatio()), where);
            if (!Double.isNaN(e.logRatio())) {
                assertEquals(e.logRatio(), a.logRatio(), tolerance * Math.abs(e.logRatio()) + 1e-15, where);
            }
        }
    }

    @Test
    void meansMatchANaiveMapInLayerTokenOrder() {
        List<Update> updates = randomUpdates(new Random(1), 20_000, 3, 2000);
        TokenTravel travel = new TokenTravel(3, 2000);
        updates.forEach(u -> u.applyTo(travel));
        List<Row> expected = naiveRows(updates);
        assertTrue(expected.size() > 1024, "exercises column growth");
        assertEquals(expected.size(), travel.nonEmptyCells());
        assertSameRows(expected, rows(travel), 1e-12);
    }

    @Test
    void mergingPartsEqualsOnePass() {
        Random random = new Random(2);
        List<Update> updates = randomUpdates(random, 10_000, 4, 300);
        TokenTravel merged = new TokenTravel(4, 300);
        int from = 0;
        for (int cut : new int[] {1, 2500, 2501, 9000, updates.size()}) {
            TokenTravel part = new TokenTravel(4, 300);
            updates.subList(from, cut).forEach(u -> u.applyTo(part));
            merged.merge(part);
            from = cut;
        }
        merged.merge(new TokenTravel(4, 300));
        assertSameRows(naiveRows(updates), rows(merged), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> merged.merge(new TokenTravel(4, 301)));
    }

    @Test
    void bytesAreSparse() {
        TokenTravel travel = new TokenTravel(12, 50_257);
        List<Update> updates = randomUpdates(new Random(3), 500, 12, 50_257);
        updates.forEach(u -> u.applyTo(travel));
        byte[] bytes = travel.toBytes();
        assertTrue(bytes.length < 100 + 60 * travel.nonEmptyCells(), bytes.length + " bytes");

        for (TokenTravel copy : new TokenTravel[] {TokenTravel.fromBytes(bytes)}) {
            assertEquals(12, copy.layers());
            assertEquals(50_257, copy.vocabSize());
            assertSameRows(rows(travel), rows(copy), 0);
            assertArrayEquals(bytes, copy.toBytes());
        }
        TokenTravel empty = TokenTravel.fromBytes(new TokenTravel(2, 3).toBytes());
        assertEquals(0, empty.nonEmptyCells());
        assertThrows(IllegalArgumentException.class, () -> TokenTravel.fromBytes(new byte[] {'T', 1, 0}));
    }

    @Test
    void logRatioKeepsItsOwnCount() {
        TokenTravel travel = new TokenTravel(2, 10);
        travel.update(1, 7, 10, 0.5f, 1.0f, Float.NaN);
        travel.update(1, 7, 20, 0.5f, 1.0f, Float.NaN);
        travel.update(0, 3, 10, 0.1f, 0.2f, 2f);
        travel.update(0, 3, 30, 0.3f, 0.4f, Float.NaN);
        List<Row> rows = rows(travel);
        assertEquals(2, rows.size());
        Row first = rows.get(0);
        // Sums are doubles of the float inputs.
        assertEquals(new Row(0, 3, 2, 20.0, ((double) 0.1f + 0.3f) / 2, ((double) 0.2f + 0.4f) / 2, 2.0), first);
        Row second = rows.get(1);
        assertEquals(1, second.layer());
        assertEquals(7, second.token());
        assertEquals(2, second.count());
        assertEquals(15.0, second.norm());
        assertTrue(Double.isNaN(second.logRatio()));
    }

    @Test
    void rejectsCellsOutsideTheShape() {
        TokenTravel travel = new TokenTravel(2, 10);
        assertThrows(IllegalArgumentException.class, () -> travel.update(2, 0, 1, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> travel.update(0, 10, 1, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> travel.update(-1, 0, 1, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new TokenTravel(0, 10));
    }
}
