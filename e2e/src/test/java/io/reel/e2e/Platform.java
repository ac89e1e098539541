package io.reel.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reel.devserver.DevServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A running Reel as a new user gets it from ./run.sh: the devserver on a free port with fresh data (in memory), the
 * built web page, the demo accounts, and the demo video taken through the real upload and transcode path until it is
 * READY. One per configuration per test JVM (starting one and transcoding the demo video takes ~30 s), stopped when
 * the JVM's tests are done.
 */
public final class Platform implements ExtensionContext.Store.CloseableResource {
    /**
     * Multipart above 5 MiB (S3's smallest part), so the page's multipart path is tried with small clips; long videos'
     * split path from 20 s, so it is tried with a short one.
     */
    static final Map<String, String> STANDARD = Map.of(
            "MULTIPART_THRESHOLD", Long.toString(5L * 1024 * 1024),
            "UPLOAD_PART_SIZE", Long.toString(5L * 1024 * 1024),
            "MAX_UPLOAD_BYTES", Long.toString(200L * 1024 * 1024),
            // Long videos (issue #16) from 20 s, in chunks of 12 s: a 30 s clip goes the split path, the demo video not.
            "TRANSCODE_SPLIT_ABOVE", "20s",
            "TRANSCODE_CHUNK_SECONDS", "12");
    /**
     * Short-lived everything: playback links expire 6 s after the demo video's 10 s (a test watches them run out
     * mid-play), access tokens after 20 s (the page refreshes after 5 s, so a revoked session shows within seconds).
     */
    static final Map<String, String> SHORT_LIVED = Map.of("PLAYBACK_URL_MARGIN", "6s", "ACCESS_TOKEN_TTL", "20s");

    private static final Map<Map<String, String>, Platform> RUNNING = new ConcurrentHashMap<>();
    /** A platform that failed to start fails every later test at once, instead of each trying for minutes. */
    private static final Map<Map<String, String>, RuntimeException> FAILED = new ConcurrentHashMap<>();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DevServer server;
    private final Map<String, String> passwords;
    private final Map<String, String> extraPasswords = new ConcurrentHashMap<>();
    private final String demoVideoId;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Platform(Map<String, String> environment) {
        this.server = DevServer.builder()
                .template(Path.of(System.getProperty("reel.template", "../template.yaml")))
                .siteDirectory(Path.of(System.getProperty("reel.site", "../frontend/dist")))
                .port(0)
                .demoVideo(true)
                .functionEnvironment(environment)
                .start();
        try {
            this.passwords = server.demoPasswords();
            this.demoVideoId = awaitDemoVideo(Duration.ofMinutes(4));
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** The platform with these function settings, started on first use and stopped at the end of the test run. */
    static synchronized Platform get(ExtensionContext context, Map<String, String> environment) {
        RuntimeException failed = FAILED.get(environment);
        if (failed != null) {
            throw new IllegalStateException("The platform did not start for an earlier test: " + failed.getMessage(), failed);
        }
        return RUNNING.computeIfAbsent(environment, env -> {
            try {
                Platform platform = new Platform(env);
                context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put("platform-" + env.hashCode(), platform);
                return platform;
            } catch (RuntimeException e) {
                FAILED.put(env, e);
                throw e;
            }
        });
    }

    @Override
    public void close() {
        RUNNING.values().remove(this);
        server.close();
    }

    public URI base() {
        return server.baseUri();
    }

    public String url(String path) {
        return server.baseUri() + path;
    }

    public String password(String username) {
        return passwords.containsKey(username) ? passwords.get(username) : extraPasswords.get(username);
    }

    public String demoVideoId() {
        return demoVideoId;
    }

    DevServer server() {
        return server;
    }

    /** Waits until the demo video (the demo uploader's) is READY and answers its id. */
    private String awaitDemoVideo(Duration timeout) {
        String token = signIn("uploader");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode list = call("GET", "/videos?owner=me", token, null).body();
            for (JsonNode video : list.path("items")) {
                if (video.path("status").asText().equals("READY")) {
                    return video.path("videoId").asText();
                }
                if (video.path("status").asText().equals("FAILED")) {
                    throw new IllegalStateException("The demo video FAILED: " + video.path("failureReason").asText());
                }
            }
            sleep(500);
        }
        throw new IllegalStateException("The demo video was not READY within " + timeout.toSeconds() + " s");
    }

    /** An access token for a demo account (viewer, uploader, admin) or any account with its password. */
    public String signIn(String username) {
        return signIn(username, password(username));
    }

    public String signIn(String username, String password) {
        Answer answer = call("POST", "/auth/login", null, Map.of("username", username, "password", password));
        if (answer.status() != 200) {
            throw new IllegalStateException("Sign-in of " + username + " failed: " + answer.status() + " " + answer.body());
        }
        return answer.body().path("accessToken").asText();
    }

    /**
     * A new account with these roles (viewer, uploader, admin) and a random password, so a test's positions, uploads
     * and failed sign-ins touch no other test. Answers its username; {@link #password} knows the password.
     */
    public String newAccount(String prefix, String... roles) {
        String username = prefix + "-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        String password = "pw-" + java.util.UUID.randomUUID();
        Answer created = call("POST", "/admin/users", signIn("admin"),
                Map.of("username", username, "password", password, "roles", java.util.List.of(roles)));
        if (created.status() != 201) {
            throw new IllegalStateException("Creating " + username + " failed: " + created.status() + " " + created.body());
        }
        extraPasswords.put(username, password);
        return username;
    }

    /** The S3 client of the local platform, to look at what the page left in the buckets. */
    public software.amazon.awssdk.services.s3.S3Client s3() {
        return server.localAws().s3();
    }

    public String uploadsBucket() {
        return server.names().bucket("UploadsBucket");
    }

    /** A status and JSON body (or null) from the API. */
    public record Answer(int status, JsonNode body) {
    }

    /** One API call, as a script would make it: JSON in, status and JSON out. */
    public Answer call(String method, String path, String token, Object body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url("/api" + path))).timeout(Duration.ofSeconds(30))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            if (body != null) {
                request.header("Content-Type", "application/json");
            }
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body().isEmpty() ? null : JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
