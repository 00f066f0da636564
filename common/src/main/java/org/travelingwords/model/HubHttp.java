package org.travelingwords.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The HTTP side of {@link HubDownloader}: {@code resolve} URLs, redirects, the token, and errors
 * worded for the user (no access, not found, offline).
 */
final class HubHttp {

    private static final int MAX_REDIRECTS = 10;
    /** Until the response headers arrive; a long body is not cut off by it. */
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);
    private static final String USER_AGENT = "traveling-words (java.net.http)";

    private final URI endpoint;
    private final String token;
    private final Path hubDir;
    private final HttpClient client;

    HubHttp(String endpoint, String token, Path hubDir) {
        this.endpoint = parseEndpoint(endpoint);
        this.token = token == null || token.isBlank() ? null : token.strip();
        this.hubDir = hubDir;
        // Redirects are followed by hand: the token must not travel to the CDN the hub redirects to.
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(20))
                .build();
    }

    /** {@code {endpoint}/{repo}/resolve/{revision}/{file}}. */
    URI resolveUri(String repo, String revision, String file) {
        // The revision is one segment even when it holds a slash (refs/pr/1), as huggingface_hub sends it.
        return URI.create(endpoint + "/" + percentEncode(repo, true) + "/resolve/"
                + percentEncode(revision, false) + "/" + percentEncode(file, true));
    }

    /**
     * A HEAD that follows only relative redirects (a renamed repository), as huggingface_hub does:
     * an absolute one points at the CDN, and the metadata headers are on the redirect itself.
     */
    HttpResponse<Void> head(URI uri) throws IOException {
        URI current = uri;
        for (int hop = 0; hop < MAX_REDIRECTS; hop++) {
            HttpRequest head = request(current).method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
            HttpResponse<Void> response = send(head, HttpResponse.BodyHandlers.discarding());
            Optional<String> location = response.headers().firstValue("Location");
            if (!isRedirect(response.statusCode()) || location.isEmpty()
                    || URI.create(location.get()).isAbsolute()) {
                return response;
            }
            current = current.resolve(location.get());
        }
        throw new IOException("more than " + MAX_REDIRECTS + " redirects for " + uri);
    }

    /** A GET following every redirect, with an optional {@code Range} header kept on each hop. */
    HttpResponse<InputStream> get(URI uri, String range) throws IOException {
        URI current = uri;
        for (int hop = 0; hop < MAX_REDIRECTS; hop++) {
            HttpRequest.Builder builder = request(current).GET();
            if (range != null) {
                builder.header("Range", range);
            }
            HttpResponse<InputStream> response = send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
            Optional<String> location = response.headers().firstValue("Location");
            if (!isRedirect(response.statusCode()) || location.isEmpty()) {
                return response;
            }
            response.body().close();
            current = current.resolve(location.get());
        }
        throw new IOException("more than " + MAX_REDIRECTS + " redirects for " + uri);
    }

    IOException httpError(HttpResponse<?> response, String repo, String revision, String file) {
        int status = response.statusCode();
        String errorCode = response.headers().firstValue("X-Error-Code").orElse("");
        if (status == 401 || status == 403) {
            return new IOException("HTTP " + status + ": no access to " + repo + " (it may be gated, private or"
                    + " misspelt); " + (token == null
                            ? "set HF_TOKEN to a Hugging Face access token that can read it"
                            : "the token in HF_TOKEN cannot read it; accept the model's terms on its hub page"
                                    + " or use another token"));
        }
        if (status == 404 && errorCode.equals("EntryNotFound")) {
            return new IOException(file + " not found in " + repo + " at revision " + revision
                    + " (HTTP 404); this tool needs config.json and model.safetensors");
        }
        if (status == 404) {
            return new IOException("repository or revision not found: " + repo + " at revision " + revision
                    + " (HTTP 404 for " + file + ")");
        }
        return new IOException("HTTP " + status + " from " + response.uri() + " fetching " + file);
    }

    /** The token goes only to the hub itself, never to the CDN or another host it redirects to. */
    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(RESPONSE_TIMEOUT)
                .header("User-Agent", USER_AGENT);
        if (token != null && sameOrigin(uri, endpoint)) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
        try {
            return client.send(request, handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("download interrupted: " + request.uri());
        } catch (IOException e) {
            String reason = unreachableReason(e);
            if (reason != null) {
                throw offline(request.uri(), reason, e);
            }
            throw e;
        }
    }

    /** Why the connection failed, in words, or null when it did not fail to connect. */
    private static String unreachableReason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return "unknown host";
            }
            if (t instanceof HttpConnectTimeoutException) {
                return "connection timed out";
            }
            if (t instanceof NoRouteToHostException) {
                return "no route to host";
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return "could not connect";
            }
        }
        return null;
    }

    private IOException offline(URI uri, String reason, IOException cause) {
        return new IOException("cannot reach " + uri.getScheme() + "://" + uri.getAuthority() + " (" + reason
                + "): this machine looks offline. Without network: copy an existing Hugging Face cache folder"
                + " (models--ORG--NAME) into " + hubDir + " ($HF_HOME/hub), or pass --model with a local"
                + " folder holding config.json and model.safetensors, or set HF_ENDPOINT to a reachable mirror",
                cause);
    }

    private static String percentEncode(String text, boolean keepSlashes) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            boolean unreserved = c < 0x80 && (Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0);
            if (unreserved || (keepSlashes && c == '/')) {
                out.append(c);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static URI parseEndpoint(String endpoint) {
        URI uri = URI.create(endpoint.strip().replaceAll("/+$", ""));
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("HF_ENDPOINT must be an http(s) URL, not '" + endpoint + "'");
        }
        return uri;
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && effectivePort(a) == effectivePort(b);
    }

    private static int effectivePort(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }
}
