package org.travelingwords.catalog;

/** Another writing command holds the out folder's {@link OutFolderLock}; the CLI exits 3. */
public final class OutFolderLockedException extends Exception {

    public OutFolderLockedException(String out, String holder) {
        super(out + " is locked by " + holder + "; wait for it to finish (a lock whose holder is gone is taken "
                + "over: same host and its pid dead, or no heartbeat for " + OutFolderLock.STALE_AFTER.toMinutes()
                + " minutes)");
    }
}
