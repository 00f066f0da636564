package org.travelingwords.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The Hugging Face hub cache layout: {@code $HF_HOME/hub} (default {@code ~/.cache/huggingface/hub})
 * holding {@code models--ORG--NAME/snapshots/REV/} and {@code refs/REV_NAME} files, so a model a user
 * already downloaded with Python is found without a copy.
 */
public final class HubCache {

    /** The organisations the hub moved the legacy un-namespaced GPT-2 names to. */
    private static final Map<String, String> LEGACY_NAMES = Map.of(
            "gpt2", "openai-community/gpt2",
            "gpt2-medium", "openai-community/gpt2-medium",
            "gpt2-large", "openai-community/gpt2-large",
            "gpt2-xl", "openai-community/gpt2-xl",
            "distilgpt2", "distilbert/distilgpt2");

    private final Path hubDir;

    public HubCache(Path hubDir) {
        this.hubDir = hubDir;
    }

    /** The cache the environment points at, as huggingface_hub resolves it. */
    public static HubCache fromEnvironment() {
        String hubCache = System.getenv("HF_HUB_CACHE");
        if (hubCache != null && !hubCache.isBlank()) {
            return new HubCache(Path.of(hubCache));
        }
        String home = System.getenv("HF_HOME");
        Path base = home != null && !home.isBlank()
                ? Path.of(home)
                : Path.of(System.getProperty("user.home"), ".cache", "huggingface");
        return new HubCache(base.resolve("hub"));
    }

    public Path hubDir() {
        return hubDir;
    }

    /** The canonical repository id for a name: {@code gpt2} → {@code openai-community/gpt2}. */
    public static String canonicalRepo(String name) {
        return LEGACY_NAMES.getOrDefault(name.toLowerCase(Locale.ROOT), name);
    }

    /** True when the string looks like a hub repository name rather than a path. */
    public static boolean looksLikeRepoName(String name) {
        return name.matches("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?");
    }

    public Path repoDir(String repo) {
        return hubDir.resolve("models--" + repo.replace("/", "--"));
    }

    /**
     * The snapshot folder for {@code name} at {@code revision} (a branch name resolved through
     * refs/, or a commit hash), trying the legacy un-namespaced folder too.
     */
    public Optional<Path> findSnapshot(String name, String revision) throws IOException {
        String canonical = canonicalRepo(name);
        for (String repo : canonical.equals(name) ? new String[] {name} : new String[] {canonical, name}) {
            Optional<Path> found = snapshotIn(repoDir(repo), revision);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> snapshotIn(Path repoDir, String revision) throws IOException {
        Path snapshots = repoDir.resolve("snapshots");
        if (!Files.isDirectory(snapshots)) {
            return Optional.empty();
        }
        Path ref = repoDir.resolve("refs").resolve(revision);
        String commit = Files.isRegularFile(ref) ? Files.readString(ref, StandardCharsets.UTF_8).trim() : revision;
        Path direct = snapshots.resolve(commit);
        if (isComplete(direct)) {
            return Optional.of(direct);
        }
        if (!revision.equals("main")) {
            return Optional.empty();
        }
        // No refs/main (a cache copied by hand): take the newest complete snapshot.
        try (Stream<Path> all = Files.list(snapshots)) {
            return all.filter(HubCache::isComplete)
                    .max(Comparator.comparingLong(p -> p.toFile().lastModified()));
        }
    }

    static boolean isComplete(Path snapshot) {
        return Files.isRegularFile(snapshot.resolve("config.json"))
                && Files.isRegularFile(snapshot.resolve("model.safetensors"));
    }
}
