package org.travelingwords.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads {@code config.json} and {@code model.safetensors} of a hub repository into the
 * {@link HubCache} layout as huggingface_hub lays it out ({@code blobs/<etag>}, relative symlinks
 * in {@code snapshots/<commit>/}, {@code refs/<branch>}), so that {@link ModelResolver} and Python
 * share one cache. Interrupted downloads resume from {@code blobs/<etag>.incomplete}.
 */
public final class HubDownloader {

    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";
    public static final List<String> MODEL_FILES = List.of("config.json", "model.safetensors");

    /**
     * What a download reports as bytes arrive; {@link DownloadProgressBar} draws it on stderr,
     * tests pass {@link #SILENT}. Called on every buffer, so implementations throttle their output.
     */
    public interface ProgressListener {

        ProgressListener SILENT = new ProgressListener() {
            @Override
            public void update(String file, long done, long total) {}

            @Override
            public void finished(String file, long size) {}
        };

        /** {@code done} counts the bytes on disk, a resumed part included; {@code total} is -1 if unknown. */
        void update(String file, long done, long total);

        void finished(String file, long size);
    }

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern SAFE_FILE_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");
    private static final Pattern CONTENT_RANGE_START = Pattern.compile("bytes (\\d+)-");

    private final HubCache cache;
    private final HubHttp http;
    private final ProgressListener progress;

    /**
     * @param endpoint the hub, e.g. {@link #DEFAULT_ENDPOINT} or a mirror
     * @param token an access token sent as {@code Authorization: Bearer}, or null
     */
    public HubDownloader(HubCache cache, String endpoint, String token, ProgressListener progress) {
        this.cache = Objects.requireNonNull(cache);
        this.http = new HubHttp(endpoint, token, cache.hubDir());
        this.progress = Objects.requireNonNull(progress);
    }

    /** {@code HF_HOME}/{@code HF_HUB_CACHE}, {@code HF_ENDPOINT} and {@code HF_TOKEN}; progress on stderr. */
    public static HubDownloader fromEnvironment() {
        String endpoint = System.getenv("HF_ENDPOINT");
        return new HubDownloader(HubCache.fromEnvironment(),
                endpoint == null || endpoint.isBlank() ? DEFAULT_ENDPOINT : endpoint,
                System.getenv("HF_TOKEN"), DownloadProgressBar.onStderr());
    }

    public Path download(String name) throws IOException {
        return download(name, "main");
    }

    /**
     * Fetches the model files of {@code name} (legacy names such as {@code gpt2} map to their
     * organisation) at {@code revision}, a branch, tag or commit hash.
     *
     * @return the snapshot folder holding config.json and model.safetensors
     */
    public Path download(String name, String revision) throws IOException {
        if (!HubCache.looksLikeRepoName(name)) {
            throw new IOException("'" + name + "' is not a hub repository name (ORG/NAME)");
        }
        if (revision.isBlank() || revision.startsWith("/") || revision.contains("..")) {
            throw new IOException("'" + revision + "' is not a usable revision");
        }
        String repo = HubCache.canonicalRepo(name);
        Path repoDir = cache.repoDir(repo);
        Map<String, Path> blobs = new LinkedHashMap<>();
        String commit = null;
        for (String file : MODEL_FILES) {
            // After the first answer ask by commit, so a push in between cannot mix two revisions.
            FileMetadata metadata = fetchMetadata(repo, commit == null ? revision : commit, file);
            if (commit != null && !commit.equals(metadata.commit())) {
                throw new IOException(repo + ": the hub answered commit " + metadata.commit() + " for " + file
                        + " but " + commit + " before; run the command again");
            }
            commit = metadata.commit();
            blobs.put(file, fetchBlob(repo, file, metadata, repoDir));
        }
        // Link only once every blob is verified: a failed run leaves no half snapshot behind.
        Path snapshot = repoDir.resolve("snapshots").resolve(commit);
        for (Map.Entry<String, Path> e : blobs.entrySet()) {
            link(snapshot.resolve(e.getKey()), e.getValue());
        }
        if (!revision.equals(commit)) {
            Path ref = repoDir.resolve("refs").resolve(revision);
            Files.createDirectories(ref.getParent());
            Files.writeString(ref, commit, StandardCharsets.UTF_8);
        }
        return snapshot;
    }

    /** What the hub says about one file before any byte of it is fetched. */
    private record FileMetadata(String commit, String etag, long size) {}

    private FileMetadata fetchMetadata(String repo, String revision, String file) throws IOException {
        HttpResponse<Void> response = http.head(http.resolveUri(repo, revision, file));
        if (response.statusCode() >= 400) {
            throw http.httpError(response, repo, revision, file);
        }
        HttpHeaders headers = response.headers();
        URI answered = response.uri();
        String commit = headers.firstValue("X-Repo-Commit").orElseThrow(() -> new IOException(answered
                + " sent no X-Repo-Commit header; is HF_ENDPOINT a Hugging Face hub?"));
        String etag = headers.firstValue("X-Linked-Etag").or(() -> headers.firstValue("ETag"))
                .map(HubDownloader::unquoteEtag)
                .orElseThrow(() -> new IOException(answered + " sent no ETag header; cannot name the blob"));
        long size = headers.firstValue("X-Linked-Size").or(() -> headers.firstValue("Content-Length"))
                .map(Long::parseLong).orElse(-1L);
        requireSafeName(commit, "commit", answered);
        requireSafeName(etag, "ETag", answered);
        return new FileMetadata(commit, etag, size);
    }

    private Path fetchBlob(String repo, String file, FileMetadata metadata, Path repoDir) throws IOException {
        Path blobs = repoDir.resolve("blobs");
        Path blob = blobs.resolve(metadata.etag());
        if (isStored(blob, metadata)) {
            return blob;
        }
        Files.createDirectories(blobs);
        Path lockFile = cache.hubDir().resolve(".locks").resolve(repoDir.getFileName())
                .resolve(metadata.etag() + ".lock");
        Files.createDirectories(lockFile.getParent());
        // Two processes fetching the same model must not append to one .incomplete file together.
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = channel.lock()) {
            if (isStored(blob, metadata)) {
                return blob;
            }
            Path partial = blobs.resolve(metadata.etag() + ".incomplete");
            transfer(repo, file, metadata, partial);
            verify(file, partial, metadata);
            Files.move(partial, blob, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return blob;
        }
    }

    /** A blob is verified before it gets its final name, so an existing one of the right size is good. */
    private static boolean isStored(Path blob, FileMetadata metadata) throws IOException {
        return Files.isRegularFile(blob) && (metadata.size() < 0 || Files.size(blob) == metadata.size());
    }

    private void transfer(String repo, String file, FileMetadata metadata, Path partial) throws IOException {
        URI uri = http.resolveUri(repo, metadata.commit(), file);
        long expectedSize = metadata.size();
        long have = Files.isRegularFile(partial) ? Files.size(partial) : 0;
        if (expectedSize >= 0 && have > expectedSize) {
            Files.delete(partial);
            have = 0;
        }
        if (have > 0 && have == expectedSize) {
            return; // a run that died between the last byte and the rename
        }
        HttpResponse<InputStream> response = http.get(uri, have > 0 ? "bytes=" + have + "-" : null);
        if (have > 0 && !resumesAt(response, have)) {
            // The server ignored or refused the range: start over rather than append wrong bytes.
            response.body().close();
            have = 0;
            response = http.get(uri, null);
        }
        if (response.statusCode() != 200 && response.statusCode() != 206) {
            response.body().close();
            throw http.httpError(response, repo, metadata.commit(), file);
        }
        StandardOpenOption mode = have > 0 ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING;
        long done = have;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = response.body();
             OutputStream out = Files.newOutputStream(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode)) {
            progress.update(file, done, expectedSize);
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                done += n;
                progress.update(file, done, expectedSize);
            }
        } catch (IOException e) {
            throw new IOException(file + ": download stopped after " + done + " bytes (" + e.getMessage()
                    + "); run the command again to resume from " + partial, e);
        }
        progress.finished(file, done);
    }

    private static boolean resumesAt(HttpResponse<?> response, long offset) {
        if (response.statusCode() != 206) {
            return false;
        }
        Matcher start = CONTENT_RANGE_START.matcher(response.headers().firstValue("Content-Range").orElse(""));
        return start.lookingAt() && Long.parseLong(start.group(1)) == offset;
    }

    /** Size against the hub's size; for LFS files, whose ETag is the sha256, the content too. */
    private static void verify(String file, Path partial, FileMetadata metadata) throws IOException {
        long size = Files.size(partial);
        String problem = null;
        if (metadata.size() >= 0 && size != metadata.size()) {
            problem = "expected " + metadata.size() + " bytes but got " + size;
        } else if (SHA256_HEX.matcher(metadata.etag()).matches()) {
            String actual = ModelSource.sha256(partial);
            if (!actual.equalsIgnoreCase(metadata.etag())) {
                problem = "expected sha256 " + metadata.etag().toLowerCase(Locale.ROOT) + " but got sha256 " + actual;
            }
        }
        if (problem != null) {
            Files.deleteIfExists(partial);
            throw new IOException(file + " failed verification: " + problem
                    + "; the downloaded file was deleted, run the command again");
        }
    }

    private static void link(Path snapshotFile, Path blob) throws IOException {
        Files.createDirectories(snapshotFile.getParent());
        Files.deleteIfExists(snapshotFile);
        try {
            Files.createSymbolicLink(snapshotFile, snapshotFile.getParent().relativize(blob));
        } catch (IOException | UnsupportedOperationException noSymlinks) {
            // Windows without developer mode, some network file systems: a copy works everywhere.
            Files.copy(blob, snapshotFile, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** {@code W/"abc"} → {@code abc}. */
    private static String unquoteEtag(String etag) {
        String value = etag.strip();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        return value.replace("\"", "");
    }

    private static void requireSafeName(String value, String what, URI uri) throws IOException {
        // Both become file names in the cache: nothing a server sends may climb out of it.
        if (!SAFE_FILE_NAME.matcher(value).matches()) {
            throw new IOException(uri + " sent an unusable " + what + " '" + value + "'");
        }
    }
}
