package org.travelingwords.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubDownloaderTest {

    private static final String REPO = "openai-community/gpt2";
    private static final String COMMIT = "607a30d783dfa663caf39e06633721c8d4cfcd7e";
    private static final String TOKEN = "hf_test_token";

    @TempDir
    Path tmp;

    private Gpt2Weights original;
    private FakeHub server;
    private Path hub;

    @BeforeEach
    void startServer() throws IOException {
        original = RandomGpt2.generate(Gpt2Config.of(1, 2, 8, 50, 8), 7, 0.02);
        Path source = tmp.resolve("source");
        original.writeFolder(source);
        server = new FakeHub(Files.readAllBytes(source.resolve("config.json")),
                Files.readAllBytes(source.resolve("model.safetensors")));
        hub = tmp.resolve("hf-home").resolve("hub");
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private HubDownloader downloader(String token) {
        return new HubDownloader(new HubCache(hub), server.endpoint(), token, HubDownloader.ProgressListener.SILENT);
    }

    private Path repoDir() {
        return hub.resolve("models--openai-community--gpt2");
    }

    @Test
    void cleanDownloadIsFoundByTheResolverUnderTheLegacyName() throws IOException {
        RecordingProgress progress = new RecordingProgress();
        Path snapshot = new HubDownloader(new HubCache(hub), server.endpoint(), null, progress).download("gpt2");

        assertEquals(repoDir().resolve("snapshots").resolve(COMMIT), snapshot);
        assertEquals(COMMIT, Files.readString(repoDir().resolve("refs").resolve("main")));
        Path weightsLink = snapshot.resolve("model.safetensors");
        assertTrue(Files.isSymbolicLink(weightsLink));
        assertEquals(Path.of("..", "..", "blobs", server.weightsSha), Files.readSymbolicLink(weightsLink));
        assertEquals(Path.of("..", "..", "blobs", server.configEtag),
                Files.readSymbolicLink(snapshot.resolve("config.json")));
        assertFalse(Files.exists(repoDir().resolve("blobs").resolve(server.weightsSha + ".incomplete")));
        assertEquals(Map.of("config.json", (long) server.config.length, "model.safetensors",
                (long) server.weights.length), progress.finished);

        ModelSource resolved = new ModelResolver(new HubCache(hub), new DemoModel(tmp.resolve("tw-cache")))
                .resolve("gpt2");
        assertEquals(snapshot, resolved.folder());
        assertEquals(REPO, resolved.name());
        Gpt2Weights loaded = resolved.readWeights();
        assertEquals(original.config(), loaded.config());
        original.tensors().forEach((name, tensor) ->
                assertArrayEquals(tensor.data(), loaded.get(name).data(), name));

        assertTrue(server.requests.stream().allMatch(r -> r.authorization() == null));
        assertTrue(server.requests.stream().anyMatch(r -> r.server().equals("hub") && r.method().equals("HEAD")));
    }

    @Test
    void secondRunReusesTheBlobsAndACommitRevisionWritesNoRef() throws IOException {
        HubDownloader downloader = downloader(null);
        Path snapshot = downloader.download("gpt2", COMMIT);
        assertFalse(Files.exists(repoDir().resolve("refs")));
        server.requests.clear();

        assertEquals(snapshot, downloader.download("gpt2", COMMIT));
        assertTrue(server.requests.stream().noneMatch(r -> r.method().equals("GET")));
    }

    @Test
    void resumesAPartialDownloadWithARangeRequest() throws IOException {
        Path blobs = Files.createDirectories(repoDir().resolve("blobs"));
        int half = server.weights.length / 2;
        Files.write(blobs.resolve(server.weightsSha + ".incomplete"), Arrays.copyOf(server.weights, half));

        Path snapshot = downloader(null).download("gpt2");

        assertTrue(server.requests.stream().anyMatch(r -> r.server().equals("cdn")
                && ("bytes=" + half + "-").equals(r.range())));
        assertEquals(server.weightsSha, ModelSource.sha256(snapshot.resolve("model.safetensors")));
        assertFalse(Files.exists(blobs.resolve(server.weightsSha + ".incomplete")));
    }

    @Test
    void restartsFromZeroWhenTheServerIgnoresTheRange() throws IOException {
        server.honourRanges = false;
        Path blobs = Files.createDirectories(repoDir().resolve("blobs"));
        Files.write(blobs.resolve(server.weightsSha + ".incomplete"), new byte[] {1, 2, 3});

        Path snapshot = downloader(null).download("gpt2");

        assertEquals(server.weightsSha, ModelSource.sha256(snapshot.resolve("model.safetensors")));
    }

    @Test
    void corruptedBodyFailsTheSha256CheckAndLeavesNothingBehind() {
        server.corruptWeights = true;

        IOException e = assertThrows(IOException.class, () -> downloader(null).download("gpt2"));

        assertTrue(e.getMessage().contains("model.safetensors"), e.getMessage());
        assertTrue(e.getMessage().contains("sha256 " + server.weightsSha), e.getMessage());
        assertFalse(Files.exists(repoDir().resolve("snapshots").resolve(COMMIT).resolve("model.safetensors")));
        assertFalse(Files.exists(repoDir().resolve("blobs").resolve(server.weightsSha + ".incomplete")));
        assertFalse(Files.exists(repoDir().resolve("blobs").resolve(server.weightsSha)));
    }

    @Test
    void shortBodyFailsTheSizeCheck() {
        server.truncateWeights = true;

        IOException e = assertThrows(IOException.class, () -> downloader(null).download("gpt2"));

        assertTrue(e.getMessage().contains("expected " + server.weights.length + " bytes"), e.getMessage());
        assertFalse(Files.exists(repoDir().resolve("blobs").resolve(server.weightsSha + ".incomplete")));
    }

    @Test
    void unknownRepositoryOrRevisionIsReportedAsNotFound() {
        IOException repo = assertThrows(IOException.class, () -> downloader(null).download("nobody/missing"));
        assertTrue(repo.getMessage().contains("repository or revision not found"), repo.getMessage());

        IOException revision = assertThrows(IOException.class, () -> downloader(null).download("gpt2", "v9"));
        assertTrue(revision.getMessage().contains("repository or revision not found"), revision.getMessage());
    }

    @Test
    void missingTokenPointsAtHfToken() {
        server.requiredToken = TOKEN;

        IOException e = assertThrows(IOException.class, () -> downloader(null).download("gpt2"));

        assertTrue(e.getMessage().contains("HF_TOKEN"), e.getMessage());
        assertTrue(e.getMessage().contains("401"), e.getMessage());
    }

    @Test
    void tokenIsSentToTheHubAsBearerButNotToTheCdn() throws IOException {
        server.requiredToken = TOKEN;

        downloader(TOKEN).download("gpt2");

        List<Request> hubRequests = server.requests.stream().filter(r -> r.server().equals("hub")).toList();
        assertFalse(hubRequests.isEmpty());
        assertTrue(hubRequests.stream().allMatch(r -> ("Bearer " + TOKEN).equals(r.authorization())));
        assertTrue(server.requests.stream().anyMatch(r -> r.server().equals("cdn")));
        assertTrue(server.requests.stream().filter(r -> r.server().equals("cdn"))
                .allMatch(r -> r.authorization() == null));
    }

    @Test
    void closedPortGivesTheOfflineAdvice() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        HubDownloader downloader = new HubDownloader(new HubCache(hub), "http://127.0.0.1:" + port, null,
                HubDownloader.ProgressListener.SILENT);

        IOException e = assertThrows(IOException.class, () -> downloader.download("gpt2"));

        assertTrue(e.getMessage().contains("looks offline"), e.getMessage());
        assertTrue(e.getMessage().contains("models--"), e.getMessage());
        assertTrue(e.getMessage().contains("--model"), e.getMessage());
        assertTrue(e.getMessage().contains("HF_ENDPOINT"), e.getMessage());
    }

    @Test
    void progressBarRedrawsAtMostFourTimesASecond() {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        AtomicLong clock = new AtomicLong();
        DownloadProgressBar bar = new DownloadProgressBar(new PrintStream(text, true, StandardCharsets.UTF_8),
                clock::get);
        long total = 10L << 20;
        for (int i = 0; i <= 1000; i++) {
            clock.set(i * 1_000_000L); // 1 ms per update, one second in all
            bar.update("model.safetensors", total * i / 1000, total);
        }
        bar.finished("model.safetensors", total);

        String drawn = text.toString(StandardCharsets.UTF_8);
        long redraws = drawn.chars().filter(c -> c == '\r').count();
        assertTrue(redraws >= 2 && redraws <= 7, redraws + " redraws");
        assertTrue(drawn.contains("10.0/10.0 MB 100%"), drawn);
        assertTrue(drawn.contains("10.0 MB/s"), drawn);
        assertTrue(drawn.endsWith(System.lineSeparator()), drawn);
    }

    private static final class RecordingProgress implements HubDownloader.ProgressListener {
        final Map<String, Long> finished = new ConcurrentHashMap<>();

        @Override
        public void update(String file, long done, long total) {}

        @Override
        public void finished(String file, long total) {
            finished.put(file, total);
        }
    }

    record Request(String server, String method, String path, String authorization, String range) {}

    /**
     * Answers like huggingface.co: {@code resolve} URLs carry X-Repo-Commit and ETags; the LFS file
     * is a 302 to a second server standing in for the CDN, which honours Range requests.
     */
    private static final class FakeHub implements AutoCloseable {
        final byte[] config;
        final byte[] weights;
        final String weightsSha;
        final String configEtag;
        final List<Request> requests = new CopyOnWriteArrayList<>();
        volatile String requiredToken;
        volatile boolean corruptWeights;
        volatile boolean truncateWeights;
        volatile boolean honourRanges = true;
        private final HttpServer hub;
        private final HttpServer cdn;
        private final ExecutorService threads = Executors.newCachedThreadPool();

        FakeHub(byte[] config, byte[] weights) throws IOException {
            this.config = config;
            this.weights = weights;
            this.weightsSha = hex("SHA-256", weights);
            this.configEtag = gitBlobId(config);
            hub = start("hub", this::serveHub);
            cdn = start("cdn", this::serveCdn);
        }

        String endpoint() {
            return "http://127.0.0.1:" + hub.getAddress().getPort();
        }

        private HttpServer start(String name, Handler handler) throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                try (exchange) {
                    requests.add(new Request(name, exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                            exchange.getRequestHeaders().getFirst("Authorization"),
                            exchange.getRequestHeaders().getFirst("Range")));
                    handler.handle(exchange);
                }
            });
            server.setExecutor(threads);
            server.start();
            return server;
        }

        private void serveHub(HttpExchange exchange) throws IOException {
            if (requiredToken != null
                    && !("Bearer " + requiredToken).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            // /{org}/{name}/resolve/{revision}/{file}
            String[] parts = exchange.getRequestURI().getPath().split("/", 6);
            if (parts.length != 6 || !parts[3].equals("resolve") || !(parts[1] + "/" + parts[2]).equals(REPO)) {
                notFound(exchange, "RepoNotFound");
                return;
            }
            if (!parts[4].equals("main") && !parts[4].equals(COMMIT)) {
                notFound(exchange, "RevisionNotFound");
                return;
            }
            var headers = exchange.getResponseHeaders();
            headers.set("X-Repo-Commit", COMMIT);
            switch (parts[5]) {
                case "config.json" -> {
                    // A small git file: its ETag is the git blob id, its size the Content-Length.
                    headers.set("ETag", "\"" + configEtag + "\"");
                    sendBody(exchange, 200, config);
                }
                case "model.safetensors" -> {
                    headers.set("ETag", "W/\"" + hex("SHA-1", weights) + "\"");
                    headers.set("X-Linked-Etag", "\"" + weightsSha + "\"");
                    headers.set("X-Linked-Size", Integer.toString(weights.length));
                    headers.set("Location", "http://127.0.0.1:" + cdn.getAddress().getPort() + "/cdn/" + weightsSha);
                    exchange.sendResponseHeaders(302, -1);
                }
                default -> notFound(exchange, "EntryNotFound");
            }
        }

        private void serveCdn(HttpExchange exchange) throws IOException {
            byte[] body = truncateWeights ? Arrays.copyOf(weights, weights.length - 10) : weights.clone();
            if (corruptWeights) {
                body[body.length / 2] ^= 0x5a;
            }
            String range = exchange.getRequestHeaders().getFirst("Range");
            if (range == null || !honourRanges) {
                sendBody(exchange, 200, body);
                return;
            }
            int from = Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
            exchange.getResponseHeaders().set("Content-Range",
                    "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
            sendBody(exchange, 206, Arrays.copyOfRange(body, from, body.length));
        }

        private static void notFound(HttpExchange exchange, String errorCode) throws IOException {
            exchange.getResponseHeaders().set("X-Error-Code", errorCode);
            exchange.sendResponseHeaders(404, -1);
        }

        private static void sendBody(HttpExchange exchange, int status, byte[] body) throws IOException {
            if (exchange.getRequestMethod().equals("HEAD")) {
                exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }

        private static String gitBlobId(byte[] content) {
            byte[] header = ("blob " + content.length + "\0").getBytes(StandardCharsets.UTF_8);
            byte[] all = Arrays.copyOf(header, header.length + content.length);
            System.arraycopy(content, 0, all, header.length, content.length);
            return hex("SHA-1", all);
        }

        private static String hex(String algorithm, byte[] data) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            hub.stop(0);
            cdn.stop(0);
            threads.shutdownNow();
        }

        private interface Handler {
            void handle(HttpExchange exchange) throws IOException;
        }
    }
}
