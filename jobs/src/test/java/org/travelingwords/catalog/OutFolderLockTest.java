package org.travelingwords.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The out folder's lock on the local Hadoop file system: one holder, its release, and takeovers of stale locks only. */
class OutFolderLockTest {

    private static final Configuration CONF = new Configuration();

    @TempDir
    Path dir;

    private String out() {
        return dir.resolve("out").toString();
    }

    @Test
    void aSecondWriterIsRefusedWithTheHolderNamedAndGetsTheLockOnceReleased() throws Exception {
        OutFolderLock first = OutFolderLock.acquire(CONF, out(), OutFolderLock.Holder.thisProcess("run-1", "run"));
        OutFolderLockedException refused = assertThrows(OutFolderLockedException.class,
                () -> OutFolderLock.acquire(CONF, out(), OutFolderLock.Holder.thisProcess("run-2", "probe")));
        assertTrue(refused.getMessage().contains("run run-1"), refused.getMessage());
        assertTrue(refused.getMessage().contains("pid " + ProcessHandle.current().pid()), refused.getMessage());
        assertEquals("run-1", OutFolderLock.holderOf(CONF, out()).runId());

        first.close();
        assertFalse(Files.exists(dir.resolve("out").resolve(OutFolderLock.FILE)), "released");
        try (OutFolderLock second = OutFolderLock.acquire(CONF, out(), OutFolderLock.Holder.thisProcess("run-2", "probe"))) {
            assertEquals("run-2", OutFolderLock.holderOf(CONF, out()).runId());
        }
    }

    @Test
    void aLockWhoseProcessDiedOnThisHostIsTakenOver() throws Exception {
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        Instant now = Instant.now();
        writeLock(new OutFolderLock.Holder(InetAddress.getLocalHost().getHostName(), finished.pid(), "crashed", "run",
                now, now));
        try (OutFolderLock lock = OutFolderLock.acquire(CONF, out(), OutFolderLock.Holder.thisProcess("next", "run"))) {
            assertEquals("next", OutFolderLock.holderOf(CONF, out()).runId());
        }
    }

    @Test
    void aLiveLockOnAnotherHostIsRefusedUntilItsHeartbeatIsTooOld() throws Exception {
        Instant now = Instant.now();
        writeLock(new OutFolderLock.Holder("another-host", 1, "remote", "run", now, now));
        assertThrows(OutFolderLockedException.class,
                () -> OutFolderLock.acquire(CONF, out(), OutFolderLock.Holder.thisProcess("next", "run")));

        Instant old = now.minus(OutFolderLock.STALE_AFTER).minus(Duration.ofMinutes(1));
        writeLock(new OutFolderLock.Holder("another-host", 1, "remote", "run", old, old));
        try (OutFolderLock lock = OutFolderLock.acquire(CONF, out(), OutFolderLock.Holder.thisProcess("next", "run"))) {
            assertEquals("next", OutFolderLock.holderOf(CONF, out()).runId());
        }
    }

    @Test
    void anUnreadableLockIsRespectedWhileFreshAndTakenOverWhenOld() throws Exception {
        Path file = Files.createDirectories(dir.resolve("out")).resolve(OutFolderLock.FILE);
        Files.writeString(file, "half writ");
        assertThrows(OutFolderLockedException.class,
                () -> OutFolderLock.acquire(CONF, out(), OutFolderLock.Holder.thisProcess("next", "run")));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(OutFolderLock.STALE_AFTER.multipliedBy(2))));
        try (OutFolderLock lock = OutFolderLock.acquire(CONF, out(), OutFolderLock.Holder.thisProcess("next", "run"))) {
            assertNotNull(OutFolderLock.holderOf(CONF, out()));
        }
    }

    @Test
    void closingDoesNotDeleteALockSomeoneElseTookOver() throws Exception {
        OutFolderLock mine = OutFolderLock.acquire(CONF, out(), OutFolderLock.Holder.thisProcess("slow", "run"));
        Instant now = Instant.now();
        writeLock(new OutFolderLock.Holder("another-host", 7, "taker", "run", now, now));
        mine.close();
        assertEquals("taker", OutFolderLock.holderOf(CONF, out()).runId());
    }

    @Test
    void anOutFolderThatCannotBeCreatedIsAnIoError() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        assertThrows(java.io.IOException.class, () -> OutFolderLock.acquire(CONF, file.resolve("out").toString(),
                OutFolderLock.Holder.thisProcess("r", "run")));
    }

    private void writeLock(OutFolderLock.Holder holder) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("out"));
        Files.writeString(folder.resolve(OutFolderLock.FILE), holder.text(), StandardCharsets.UTF_8);
        Files.deleteIfExists(folder.resolve("." + OutFolderLock.FILE + ".crc"));
    }
}
