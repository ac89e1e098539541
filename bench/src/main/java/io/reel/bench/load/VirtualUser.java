package io.reel.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * One person using Reel, in a closed loop (the next request leaves when the last one is answered, after
 * {@code thinkMs}). Signs in once, then repeats a viewing journey as the web page and a player make it:
 *
 * <ol>
 *   <li>the catalogue ({@code GET /api/videos}) and one of its READY videos ({@code GET /api/videos/{id}});</li>
 *   <li>its playback URLs ({@code GET /api/videos/{id}/playback}), then the HLS master playlist the answer points at
 *       and one of the master's variant playlists, references resolved as a player resolves them;</li>
 *   <li>every {@code storyboardEvery}-th journey the storyboard cues; every {@code segmentEvery}-th one media segment
 *       from the S3 emulator through its signed URL (not the API: counted under its own label);</li>
 *   <li>{@code progressSaves} resume positions ({@code PUT /api/videos/{id}/progress}), as a player sends while playing;</li>
 *   <li>for users signed in as the uploader, every {@code uploadEvery}-th journey an upload started
 *       ({@code POST /api/uploads}) and cancelled ({@code DELETE /api/uploads/{id}}) so that nothing piles up;</li>
 *   <li>every {@code reloginEvery}-th journey a sign-in again ({@code POST /api/auth/login}, Argon2 on the server).</li>
 * </ol>
 *
 * A step that fails (an exception, an unexpected status or body) is recorded and ends the journey; the next starts
 * over from the catalogue.
 */
final class VirtualUser {
    static final String SIGN_IN = "POST /api/auth/login";
    static final String CATALOGUE = "GET /api/videos";
    static final String VIDEO = "GET /api/videos/{id}";
    static final String PLAYBACK = "GET /api/videos/{id}/playback";
    static final String MASTER = "GET /api/videos/{id}/hls/master.m3u8";
    static final String VARIANT = "GET /api/videos/{id}/hls/{variant}.m3u8";
    static final String STORYBOARD = "GET /api/videos/{id}/storyboard.vtt";
    static final String PROGRESS = "PUT /api/videos/{id}/progress";
    static final String UPLOAD_START = "POST /api/uploads";
    static final String UPLOAD_CANCEL = "DELETE /api/uploads/{id}";
    static final String SEGMENT = "GET (S3) media segment, signed URL";
    /** Every label, in the order the report lists them. */
    static final List<String> ROUTES = List.of(SIGN_IN, CATALOGUE, VIDEO, PLAYBACK, MASTER, VARIANT, STORYBOARD, PROGRESS,
            UPLOAD_START, UPLOAD_CANCEL, SEGMENT);

    /** Access tokens last 15 minutes: a user signs in again before this age. */
    private static final long TOKEN_MAX_AGE_NANOS = Duration.ofMinutes(12).toNanos();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The end of a phase: thrown instead of sending once the deadline has passed. */
    private static final class Stop extends RuntimeException {
        Stop() {
            super(null, null, false, false);
        }
    }

    /** A failed step (already recorded): the journey ends. */
    private static final class Failed extends Exception {
        Failed() {
            super(null, null, false, false);
        }
    }

    private static final Stop STOP = new Stop();
    private static final Failed FAILED = new Failed();

    /** Counters the progress line reads while a phase runs. */
    record Live(LongAdder requests, LongAdder errors) {
        Live() {
            this(new LongAdder(), new LongAdder());
        }
    }

    private final Account account;
    private final boolean uploads;
    private final Settings settings;
    private final Http1 http;
    private final URI api;
    private final SplittableRandom random;
    private final Live live;
    private final Queue<String> leftovers;
    private String token;
    private long tokenAt;
    private long journey;
    private Map<String, RouteStats> stats;
    private long deadline;

    /** A sign-in. */
    record Account(String username, String password) {
    }

    VirtualUser(int index, Account account, boolean uploads, Settings settings, Live live, Queue<String> leftovers) {
        this.account = account;
        this.uploads = uploads;
        this.settings = settings;
        this.http = new Http1(settings.timeout());
        this.api = URI.create(settings.url().toString().replaceAll("/+$", "") + "/api/");
        this.random = new SplittableRandom(settings.seed() * 1_000_003L + index);
        this.live = live;
        this.leftovers = leftovers;
        this.journey = random.nextInt(1_000_000); // so that the every-n-th steps of the users do not all fall together
    }

    boolean uploads() {
        return uploads;
    }

    /** Signs in, recording into {@code into}; false if it failed. */
    boolean signIn(Map<String, RouteStats> into) {
        this.stats = into;
        this.deadline = Long.MAX_VALUE;
        try {
            signIn();
            return true;
        } catch (Failed e) {
            return false;
        }
    }

    /** Repeats journeys until {@code deadlineNanos}, recording into {@code into}. */
    void run(Map<String, RouteStats> into, long deadlineNanos) {
        this.stats = into;
        this.deadline = deadlineNanos;
        while (System.nanoTime() < deadline) {
            try {
                journey();
            } catch (Stop stop) {
                return;
            } catch (Failed failed) {
                pause(10); // no tight loop of failures
            }
        }
    }

    /**
     * Before any load: signs in and reads the catalogue every 2 s until it lists a READY video (the devserver's demo
     * video is transcoded in the background after its first start). Nothing of this is recorded. False on timeout.
     */
    boolean awaitReadyVideo(Duration timeout) throws InterruptedException {
        this.stats = new LinkedHashMap<>();
        this.deadline = Long.MAX_VALUE;
        long until = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < until) {
            try {
                if (token == null) {
                    signIn();
                }
                JsonNode page = json(CATALOGUE, send(CATALOGUE, "GET", api.resolve("videos"), null, true, 200));
                for (JsonNode item : page.path("items")) {
                    if ("READY".equals(item.path("status").asText())) {
                        return true;
                    }
                }
            } catch (Failed e) {
                // not up yet, or the token went: try again
            }
            Thread.sleep(2_000);
        }
        return false;
    }

    /** Cancels an upload whose cancel failed during the run (not measured); true if it is gone. */
    boolean cancelLeftover(String videoId) {
        this.stats = new LinkedHashMap<>();
        this.deadline = Long.MAX_VALUE;
        try {
            if (token == null) {
                signIn();
            }
            send(UPLOAD_CANCEL, "DELETE", api.resolve("uploads/" + videoId), null, true, 204);
            return true;
        } catch (Failed e) {
            return false;
        }
    }

    private void journey() throws Failed {
        journey++;
        if (token == null || System.nanoTime() - tokenAt > TOKEN_MAX_AGE_NANOS || every(settings.reloginEvery())) {
            signIn();
        }
        JsonNode page = json(CATALOGUE, send(CATALOGUE, "GET", api.resolve("videos"), null, true, 200));
        List<String> ready = new ArrayList<>();
        for (JsonNode item : page.path("items")) {
            if ("READY".equals(item.path("status").asText())) {
                ready.add(item.path("videoId").asText());
            }
        }
        if (ready.isEmpty()) {
            malformed(CATALOGUE, "no READY video in the catalogue");
        }
        String id = ready.get(random.nextInt(ready.size()));

        JsonNode video = json(VIDEO, send(VIDEO, "GET", api.resolve("videos/" + id), null, true, 200));
        double duration = video.path("durationSeconds").asDouble(0);
        if (duration <= 0) {
            malformed(VIDEO, "no durationSeconds in the video");
        }

        URI playbackUri = api.resolve("videos/" + id + "/playback");
        JsonNode playback = json(PLAYBACK, send(PLAYBACK, "GET", playbackUri, null, true, 200));
        String hls = playback.path("hls").asText("");
        if (hls.isEmpty()) {
            malformed(PLAYBACK, "no hls reference in the playback answer");
        }
        URI master = playbackUri.resolve(hls);
        String masterText = text(send(MASTER, "GET", master, null, false, 200));
        List<String> variants = masterText.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        if (!masterText.startsWith("#EXTM3U") || variants.isEmpty()) {
            malformed(MASTER, "not a master playlist with variants");
        }
        URI variant = master.resolve(variants.get(random.nextInt(variants.size())));
        String media = text(send(VARIANT, "GET", variant, null, false, 200));
        List<String> segments = media.lines().filter(l -> l.startsWith("http")).toList();
        if (!media.contains("#EXT-X-ENDLIST") || segments.isEmpty()) {
            malformed(VARIANT, "not a media playlist with segments");
        }

        if (every(settings.storyboardEvery())) {
            String vtt = playback.path("storyboardVtt").asText("");
            if (!vtt.isEmpty() && !text(send(STORYBOARD, "GET", playbackUri.resolve(vtt), null, false, 200)).startsWith("WEBVTT")) {
                malformed(STORYBOARD, "not WebVTT");
            }
        }
        if (every(settings.segmentEvery())) {
            byte[] segment = send(SEGMENT, "GET", URI.create(segments.get(random.nextInt(segments.size()))), null, false, 200);
            if (segment.length < 100) {
                malformed(SEGMENT, "a segment of " + segment.length + " bytes");
            }
        }

        int saves = settings.progressSaves();
        for (int k = 1; k <= saves; k++) {
            double position = Math.round(duration * k / (saves + 1) * 10) / 10.0;
            send(PROGRESS, "PUT", api.resolve("videos/" + id + "/progress"), body(Map.of("positionSeconds", position)), true,
                    204);
        }

        if (uploads && every(settings.uploadEvery())) {
            Map<String, Object> upload = new LinkedHashMap<>();
            upload.put("title", "Load test upload");
            upload.put("fileName", "load-test.mp4");
            upload.put("contentType", "video/mp4");
            upload.put("size", 1_048_576);
            JsonNode started = json(UPLOAD_START, send(UPLOAD_START, "POST", api.resolve("uploads"), body(upload), true, 201));
            String videoId = started.path("videoId").asText("");
            if (videoId.isEmpty() || !started.path("upload").path("url").asText("").startsWith("http")) {
                malformed(UPLOAD_START, "no videoId or upload URL in the answer");
            }
            try {
                send(UPLOAD_CANCEL, "DELETE", api.resolve("uploads/" + videoId), null, true, 204);
            } catch (Failed | Stop e) {
                leftovers.add(videoId);
                throw e;
            }
        }
        pause(settings.thinkMs());
    }

    private void signIn() throws Failed {
        token = null;
        JsonNode tokens = json(SIGN_IN, send(SIGN_IN, "POST", api.resolve("auth/login"),
                body(Map.of("username", account.username(), "password", account.password())), false, 200));
        String accessToken = tokens.path("accessToken").asText("");
        if (accessToken.isEmpty()) {
            malformed(SIGN_IN, "no accessToken in the answer");
        }
        token = accessToken;
        tokenAt = System.nanoTime();
    }

    private boolean every(int n) {
        return n > 0 && journey % n == 0;
    }

    private static byte[] body(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sends, times and records one request ({@code json}: a JSON body, if any; {@code authorised}: with the access
     * token, as the web page sends API calls); the body when the status is {@code expected}.
     */
    private byte[] send(String route, String method, URI uri, byte[] json, boolean authorised, int expected) throws Failed {
        if (System.nanoTime() >= deadline) {
            throw STOP;
        }
        String[] headers = authorised
                ? json != null
                        ? new String[] {"Authorization", "Bearer " + token, "Accept", "application/json", "Content-Type", "application/json"}
                        : new String[] {"Authorization", "Bearer " + token, "Accept", "application/json"}
                : json != null ? new String[] {"Content-Type", "application/json"} : new String[0];
        long start = System.nanoTime();
        Http1.Response response;
        try {
            response = http.send(method, uri, json, headers);
        } catch (IOException e) {
            record(route, start, 0, "exception " + e.getClass().getSimpleName(), method + " " + uri + ": " + e.getMessage());
            throw FAILED;
        }
        int status = response.status();
        if (status == expected) {
            record(route, start, status, null, null);
            return response.body();
        }
        record(route, start, status, "HTTP " + status, method + " " + uri + " -> " + snippet(response.body()));
        if (status == 401 && !route.equals(SIGN_IN)) {
            token = null; // signs in again on the next journey
        }
        throw FAILED;
    }

    private void record(String route, long startNanos, int status, String errorKind, String sample) {
        long micros = (System.nanoTime() - startNanos) / 1000;
        stats.computeIfAbsent(route, r -> new RouteStats()).record(micros, status, errorKind, sample);
        live.requests().increment();
        if (errorKind != null) {
            live.errors().increment();
        }
    }

    /** An answer with the expected status but not the expected content: an error of that route. */
    private void malformed(String route, String error) throws Failed {
        stats.computeIfAbsent(route, r -> new RouteStats()).error("bad answer: " + error, null);
        live.errors().increment();
        throw FAILED;
    }

    private JsonNode json(String route, byte[] body) throws Failed {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            malformed(route, "not JSON (" + e.getClass().getSimpleName() + ")");
            return null; // not reached
        }
    }

    private static String text(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The start of an error body on one line, request ids and the like left in: enough to reproduce. */
    private static String snippet(byte[] body) {
        String text = text(body).replaceAll("\\s+", " ").strip();
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    private static void pause(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw STOP;
        }
    }
}
