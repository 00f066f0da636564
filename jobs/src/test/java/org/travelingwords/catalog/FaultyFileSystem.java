package org.travelingwords.catalog;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * The local file system under the scheme {@code faulty:}, for fault injection: it counts every
 * write (file creation), rename and delete, and throws on the N-th one after {@link #failAt(int)}.
 * Registered with {@code fs.faulty.impl}; Delta's log goes through {@code LocalLogStore} for it.
 */
public final class FaultyFileSystem extends RawLocalFileSystem {

    public static final String SCHEME = "faulty";

    private static final AtomicInteger OPERATIONS = new AtomicInteger();
    private static volatile int failAt = -1;

    /** Counts from zero again; the {@code n}-th operation from now fails ({@code n} ≤ 0: none does). */
    public static void failAt(int n) {
        OPERATIONS.set(0);
        failAt = n;
    }

    /** The operations counted since the last {@link #failAt}. */
    public static int operations() {
        return OPERATIONS.get();
    }

    @Override
    public URI getUri() {
        return URI.create(SCHEME + ":///");
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize,
                                     short replication, long blockSize, Progressable progress) throws IOException {
        count("create " + f);
        return super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress);
    }

    @Override
    public FSDataOutputStream createNonRecursive(Path f, FsPermission permission, boolean overwrite, int bufferSize,
                                                 short replication, long blockSize, Progressable progress)
            throws IOException {
        count("create " + f);
        return super.createNonRecursive(f, permission, overwrite, bufferSize, replication, blockSize, progress);
    }

    @Override
    public boolean rename(Path src, Path dst) throws IOException {
        count("rename " + src + " to " + dst);
        return super.rename(src, dst);
    }

    @Override
    public boolean delete(Path p, boolean recursive) throws IOException {
        count("delete " + p);
        return super.delete(p, recursive);
    }

    private static void count(String operation) throws IOException {
        if (OPERATIONS.incrementAndGet() == failAt) {
            throw new IOException("injected failure at operation " + failAt + ": " + operation);
        }
    }
}
