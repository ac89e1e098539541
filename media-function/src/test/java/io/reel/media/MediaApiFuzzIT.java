package io.reel.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.reel.core.Json;
import io.reel.core.aws.DynamoDbVideoStore;
import io.reel.core.domain.Rendition;
import io.reel.core.domain.Video;
import io.reel.core.domain.VideoIds;
import io.reel.core.domain.VideoStatus;
import io.reel.fuzz.ApiCheck;
import io.reel.fuzz.ApiRequest;
import io.reel.fuzz.ApiRequests;
import io.reel.fuzz.ApiRequests.Route;
import io.reel.fuzz.ApiWrites;
import io.reel.fuzz.FuzzTarget;
import io.reel.fuzz.Hostile;
import io.reel.fuzz.JsonText;
import io.reel.localaws.calls.AwsCallLog;
import io.reel.localaws.junit.LocalAwsExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Fuzzes every route of the media function through {@link MediaHandler}, wired from its environment as in Lambda,
 * against DynamoDB Local and S3Proxy: the catalogue, playback, progress, the token-authorised playlists and the
 * uploads, with path ids of videos in every state (the caller's own, another's, ones that do not exist, hostile
 * ones), query strings (limits, cursors, owners, playback tokens live, of another video, mutated), bodies of each route's
 * shape with fields kept, dropped or made hostile, any Content-Type, base64 on or off, and callers from none to an admin.
 * Never a 5xx, every 4xx a problem+json with a sentence, and nothing written on a 4xx. Videos a try deletes are put
 * back before the next one.
 */
class MediaApiFuzzIT {
    /** The videos kept for the tries, by what they are to the uploader account. */
    enum Kind { READY, READY_OTHER, PROCESSING, FAILED, AWAITING }

    private static final String TOKEN = ApiRequest.placeholder("playback token");
    private static final String OTHER_TOKEN = ApiRequest.placeholder("playback token of another video");
    private static final String UPLOADER = "u-fz-uploader";
    private static final String OTHER = "u-fz-other";
    private static LocalAwsExtension.Standalone aws;
    private static Path keys;
    private static MediaHandler handler;
    private static DynamoDbVideoStore store;
    private static String mediaBucket;
    private static ApiWrites.Tables tables;
    private static final Map<Kind, String> videos = new EnumMap<>(Kind.class);
    private static final Map<Kind, String> tokens = new EnumMap<>(Kind.class);

    @BeforeContainer
    static void start() throws Exception {
        aws = LocalAwsExtension.standalone(MediaApiFuzzIT.class);
        keys = Files.createTempDirectory("media-fuzz-keys");
        var resources = aws.resources();
        handler = new MediaHandler(resources.env(Map.of("REEL_LOCAL_KEYS_DIR", keys.toString())));
        store = new DynamoDbVideoStore(resources.dynamoDb(), resources.table("VideosTable"));
        mediaBucket = resources.bucket("MediaBucket");
        tables = new ApiWrites.Tables(resources.table("UsersTable"), resources.table("SessionsTable"));
        for (Kind kind : Kind.values()) {
            replenish(kind);
        }
    }

    @AfterContainer
    static void stop() throws Exception {
        if (aws != null) {
            aws.close();
        }
        try (var files = Files.walk(keys)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** A new video of this kind (and, for a READY one, its playlists, cues and a playback token). */
    private static void replenish(Kind kind) {
        String id = VideoIds.newId();
        String owner = kind == Kind.READY_OTHER ? OTHER : UPLOADER;
        VideoStatus status = switch (kind) {
            case READY, READY_OTHER -> VideoStatus.READY;
            case PROCESSING -> VideoStatus.PROCESSING;
            case FAILED -> VideoStatus.FAILED;
            case AWAITING -> VideoStatus.AWAITING_UPLOAD;
        };
        boolean ready = status == VideoStatus.READY;
        String prefix = VideoIds.mediaPrefix(id);
        Instant now = Instant.now();
        List<Rendition> renditions = ready ? List.of(new Rendition("720p", Rendition.Kind.HLS, 1280, 720, 3000, prefix + "hls/720p.m3u8"),
                new Rendition("720p", Rendition.Kind.MP4, 1280, 720, 3000, prefix + "720p.mp4")) : List.of();
        store.create(new Video(id, owner, "Fuzzed " + kind.name().toLowerCase(Locale.ROOT), "A video the fuzz test keeps.", status,
                kind == Kind.FAILED ? "The file is empty." : null, ready ? Duration.ofSeconds(12) : null, ready ? 1280 : 0,
                ready ? 720 : 0, renditions, ready ? prefix + "poster.jpg" : null, ready ? prefix + "storyboard.jpg" : null, now, now));
        if (ready) {
            put(prefix + "hls/master.m3u8", "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=3000000,RESOLUTION=1280x720\n720p.m3u8\n");
            put(prefix + "hls/720p.m3u8", "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXT-X-MAP:URI=\"720p/init.mp4\"\n#EXTINF:4.0,\n"
                    + "720p/segment_00001.m4s\n#EXTINF:4.0,\n720p/segment_00002.m4s\n#EXT-X-ENDLIST\n");
            put(prefix + "storyboard.vtt", "WEBVTT\n\n00:00.000 --> 00:05.000\nstoryboard.jpg#xywh=0,0,160,90\n");
        }
        videos.put(kind, id);
        if (ready) {
            var playback = handler.handleRequest(new ApiRequest("GET", "/videos/{id}/playback", Map.of("id", id), null, null, null,
                    false, caller(owner, "videos:read")).toEvent(s -> s), null);
            assertThat(playback.getStatusCode()).as(playback.getBody()).isEqualTo(200);
            String hls = Json.read(playback.getBody(), com.fasterxml.jackson.databind.JsonNode.class).path("hls").asText();
            tokens.put(kind, hls.substring(hls.indexOf("token=") + "token=".length()));
        }
    }

    private static void put(String key, String text) {
        aws.resources().s3().putObject(r -> r.bucket(mediaBucket).key(key), RequestBody.fromString(text));
    }

    @Property
    @FuzzTarget(value = "media-api", tries = 300, timeoutMillis = 20_000)
    void everyRoute_neverA5xx_refusalsAreProblems_andWriteNothing(@ForAll("requests") ApiRequest request) {
        APIGatewayProxyRequestEvent sent = request.toEvent(MediaApiFuzzIT::fill);
        APIGatewayProxyResponseEvent response;
        List<AwsCallLog.Call> calls;
        try (AwsCallLog.Watch watch = AwsCallLog.watch()) {
            response = handler.handleRequest(sent, null);
            calls = watch.calls();
        }
        try {
            ApiCheck.check(request, sent, response, calls, tables);
        } finally {
            if (response != null && response.getStatusCode() != null && response.getStatusCode() < 300
                    && "DELETE".equals(request.method())) {
                for (Kind kind : Kind.values()) {
                    if (store.find(videos.get(kind)).filter(v -> v.status() == statusOf(kind)).isEmpty()) {
                        replenish(kind);
                    }
                }
            }
        }
    }

    private static VideoStatus statusOf(Kind kind) {
        return switch (kind) {
            case READY, READY_OTHER -> VideoStatus.READY;
            case PROCESSING -> VideoStatus.PROCESSING;
            case FAILED -> VideoStatus.FAILED;
            case AWAITING -> VideoStatus.AWAITING_UPLOAD;
        };
    }

    private static String fill(String text) {
        for (Kind kind : Kind.values()) {
            text = text.replace(ApiRequest.placeholder(kind.name()), videos.get(kind));
        }
        return text.replace(TOKEN, tokens.get(Kind.READY)).replace(OTHER_TOKEN, tokens.get(Kind.READY_OTHER));
    }

    // ---------------------------------------------------------------------------------------------------------------

    @Provide
    Arbitrary<ApiRequest> requests() {
        Arbitrary<String> ids = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.of(Kind.class).map(kind -> ApiRequest.placeholder(kind.name()))),
                Tuple.of(1, Arbitraries.of("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxy",
                        "abcdefghijklmnopqrstuvwxyz2", "abcdefghijklmnopqrstuvwxy1", "аbcdefghijklmnopqrstuvwxyz", "..%2F..%2Fetc",
                        "../../videos", "%00")),
                Tuple.of(1, Arbitraries.of(Kind.class).map(kind -> ApiRequest.placeholder(kind.name()) + "/")),
                Tuple.of(2, Hostile.strings()));
        Arbitrary<String> playlists = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of("master.m3u8", "720p.m3u8")),
                Tuple.of(1, Arbitraries.of("missing.m3u8", "../master.m3u8", "MASTER.M3U8", "master.m3u8%00", ".m3u8", "a".repeat(70)
                        + ".m3u8", "storyboard.vtt")),
                Tuple.of(1, Hostile.strings()));
        Arbitrary<String> playbackTokens = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of(TOKEN, OTHER_TOKEN)),
                Tuple.of(1, Arbitraries.of(TOKEN + "x", "1." + "A".repeat(43), "9999999999999.AAAA", "1893456000.", ".abc", "")),
                Tuple.of(1, Hostile.strings()));
        Arbitrary<String> texts = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of("My holiday", "  Padded title  ", "Ünïcödé ✓",
                "A", "T".repeat(200), "T".repeat(201), "")), Tuple.of(2, Hostile.strings()));
        Arbitrary<String> numbers = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of("0", "1.5", "12", "11.9", "-1", "1e309",
                        "86401", "3", "0.0", "-0", "1E1", "1000000000000000000000")),
                Tuple.of(1, Arbitraries.doubles().map(d -> Double.toString(d)).filter(s -> !s.contains("N") && !s.contains("I"))));
        Arbitrary<String> sizes = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of("1000", "1", "104857600", "104857601",
                        "209715200", "5368709120", "5368709121", "0", "-5", "1.5", "1e3", "99999999999999999999999")),
                Tuple.of(1, Arbitraries.longs().between(1, 1L << 33).map(Object::toString)));
        Arbitrary<String> uploadIds = Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.of("2~abcdefghij", "upload-1",
                        "x".repeat(1024), "x".repeat(1025), "a b", "")),
                Tuple.of(1, Hostile.strings()));
        Arbitrary<String> parts = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("[{\"partNumber\":1,\"etag\":\"\\\"abc\\\"\"}]",
                        "[{\"partNumber\":1,\"etag\":\"a\"},{\"partNumber\":2,\"etag\":\"b\"}]", "[]", "[null]",
                        "[{\"partNumber\":2,\"etag\":\"a\"}]", "[{\"partNumber\":1.5,\"etag\":\"a\"}]", "[{\"partNumber\":1}]",
                        "[{\"partNumber\":1,\"etag\":\"" + "e".repeat(129) + "\"}]", "[{\"partNumber\":\"1\",\"etag\":\"a\"}]")),
                Tuple.of(1, Arbitraries.integers().between(1, 10_001).map(n -> {
                    StringBuilder out = new StringBuilder("[");
                    for (int i = 1; i <= n; i++) {
                        out.append(i == 1 ? "" : ",").append("{\"partNumber\":").append(i).append(",\"etag\":\"e").append(i).append("\"}");
                    }
                    return out.append(']').toString();
                })));
        Map<String, Arbitrary<String>> none = Map.of();
        Map<String, Arbitrary<String>> id = Map.of("id", ids);
        var details = List.of(JsonText.field("title", JsonText.strings(texts)), JsonText.field("description", JsonText.strings(texts)));
        var position = List.of(JsonText.field("positionSeconds", numbers));
        var upload = List.of(JsonText.field("title", JsonText.strings(texts)), JsonText.field("description", JsonText.strings(texts)),
                JsonText.field("fileName", JsonText.strings(Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of("clip.mp4",
                        "movie.MOV", "a.mkv", "b.webm", "c.m4v", "clip.avi", "clip", ".mp4", "dir/clip.mp4", "clip.mp4\u202e")),
                        Tuple.of(1, Hostile.strings())))),
                JsonText.field("contentType", JsonText.strings(Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of("video/mp4",
                        "video/quicktime", "video/x-matroska", "video/webm", "VIDEO/MP4", "video/avi", "")), Tuple.of(1,
                        Hostile.strings())))),
                JsonText.field("size", sizes));
        var complete = List.of(JsonText.field("uploadId", JsonText.strings(uploadIds)), JsonText.field("parts", parts));
        Map<String, Arbitrary<String>> listing = new LinkedHashMap<>();
        listing.put("limit", Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of("1", "20", "100", "101", "0", "-1", "1e3", "ten", "")),
                Tuple.of(1, Hostile.strings())));
        listing.put("owner", Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of("me", "ME", UPLOADER, "")), Tuple.of(1, Hostile.strings())));
        listing.put("cursor", Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.of("garbage", "eyJ4IjoxfQ", "!!!!", "Li4vLi4v",
                "eyJ2aWRlb0lkIjp7IlMiOiJ4In19", "x".repeat(513))), Tuple.of(1, Hostile.strings())));
        List<Route> routes = List.of(
                new Route("GET", "/videos", none, null, listing),
                new Route("GET", "/videos/{id}", id, null, none),
                new Route("PATCH", "/videos/{id}", id, details, none),
                new Route("DELETE", "/videos/{id}", id, null, none),
                new Route("GET", "/videos/{id}/playback", id, null, none),
                new Route("PUT", "/videos/{id}/progress", id, position, none),
                new Route("GET", "/videos/{id}/hls/{playlist}", Map.of("id", ids, "playlist", playlists), null,
                        Map.of("token", playbackTokens)),
                new Route("GET", "/videos/{id}/storyboard.vtt", id, null, Map.of("token", playbackTokens)),
                new Route("GET", "/uploads/limits", none, null, none),
                new Route("POST", "/uploads", none, upload, none),
                new Route("POST", "/uploads/{id}/complete", id, complete, none),
                new Route("DELETE", "/uploads/{id}", id, null, Map.of("uploadId", uploadIds)));
        return ApiRequests.requests(routes, callers(), Hostile.headerValues());
    }

    private static Arbitrary<Map<String, Object>> callers() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just((Map<String, Object>) null)),
                Tuple.of(5, Arbitraries.of(caller(UPLOADER, "videos:read videos:upload"))),
                Tuple.of(2, Arbitraries.of(caller(OTHER, "videos:read videos:upload"), caller("u-fz-viewer", "videos:read"),
                        caller("u-fz-admin", "admin videos:read videos:upload"), caller(UPLOADER, "videos:read"), caller(UPLOADER, ""))),
                Tuple.of(1, Arbitraries.of(Map.<String, Object>of("principalId", "x"), Map.<String, Object>of("userId", UPLOADER),
                        Map.<String, Object>of("userId", 7, "username", "fz", "scopes", "videos:read"))),
                // Any user id the auth function could have issued a token for (the authorizer passes only a verified token's).
                Tuple.of(1, Arbitraries.strings().withChars("abcdef0123456789-").ofMinLength(1).ofMaxLength(36)
                        .map(s -> caller("u-" + s, "videos:upload videos:read"))));
    }

    private static Map<String, Object> caller(String userId, String scopes) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("principalId", userId);
        context.put("userId", userId);
        context.put("username", "fz-" + Math.abs(userId.hashCode()));
        context.put("scopes", scopes);
        return context;
    }
}
