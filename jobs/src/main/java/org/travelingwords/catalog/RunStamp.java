package org.travelingwords.catalog;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/** A run's id and date as every job makes them: the date defaults to today (UTC), the id to date-time-random. */
public record RunStamp(String runId, String runDate) {

    public static RunStamp of(String runDate, String runId) {
        String date = runDate != null ? LocalDate.parse(runDate).toString() : LocalDate.now(ZoneOffset.UTC).toString();
        String id = runId != null ? runId : date.replace("-", "") + "-"
                + DateTimeFormatter.ofPattern("HHmmss").withZone(ZoneOffset.UTC).format(Instant.now()) + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        return new RunStamp(id, date);
    }
}
