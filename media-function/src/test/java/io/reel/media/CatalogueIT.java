package io.reel.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.reel.core.Json;
import io.reel.core.aws.DynamoDbVideoStore;
import io.reel.core.domain.Rendition;
import io.reel.core.domain.Video;
import io.reel.core.domain.VideoIds;
import io.reel.core.domain.VideoStatus;
import io.reel.core.port.VideoStore;
import io.reel.localaws.junit.AwsTestResources;
import io.reel.localaws.junit.LocalAwsExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;

/** The catalogue routes through the real handler, against DynamoDB Local and S3Proxy. */
@ExtendWith(LocalAwsExtension.class)
class CatalogueIT {
    private static final Instant T0 = Instant.now().minus(Duration.ofDays(1));
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private MediaHandler handler;
    @TempDir
    Path keys;
    private AwsTestResources aws;
    private DynamoDbVideoStore store;
    private final AtomicInteger storeCalls = new AtomicInteger();
    private String owner;
    private String other;

    @BeforeEach
    void setUp(AwsTestResources aws) {
        this.aws = aws;
        store = new DynamoDbVideoStore(aws.dynamoDb(), aws.table("VideosTable"));
        handler = new MediaHandler(aws.env(Map.of("REEL_LOCAL_KEYS_DIR", keys.toString())));
        owner = "u-" + UUID.randomUUID();
        other = "u-" + UUID.randomUUID();
    }

    @Test
    void noCaller_is401() {
        var response = handler.handleRequest(new APIGatewayProxyRequestEvent().withHttpMethod("GET").withResource("/videos"), null);
        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
    }

    @Test
    void listing_showsReadyVideosNewestFirst_acrossPages_andOwnersSeeTheirUnfinishedOnes() throws Exception {
        Video failed = save(video(owner, VideoStatus.FAILED, 1).withFailure("no video stream found"));
        Video processing = save(video(owner, VideoStatus.PROCESSING, 2).withProgress(37));
        List<String> ready = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ready.add(0, save(video(other, VideoStatus.READY, 10 + i)).videoId());
        }

        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = json(get("/videos", owner, "videos:read videos:upload", Map.of("limit", "2"),
                    cursor == null ? Map.of() : Map.of("cursor", cursor)));
            page.path("items").forEach(item -> seen.add(item.path("videoId").asText()));
            cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
        } while (cursor != null);
        assertThat(seen.stream().filter(ready::contains).toList()).as("READY, newest first, each once").isEqualTo(ready);
        assertThat(seen).doesNotContain(failed.videoId(), processing.videoId());

        JsonNode mine = json(get("/videos", owner, "videos:read videos:upload", Map.of("owner", "me"), Map.of()));
        assertThat(mine.path("items")).extracting(n -> n.path("videoId").asText())
                .containsExactly(processing.videoId(), failed.videoId());
        assertThat(mine.path("items").get(1).path("status").asText()).isEqualTo("FAILED");
        assertThat(mine.path("items").get(1).path("failureReason").asText()).isEqualTo("no video stream found");
        assertThat(mine.path("items").get(0).path("processingPercent").asInt()).as("the transcoder's progress").isEqualTo(37);
        assertThat(mine.path("items").get(1).path("processingPercent").isNumber()).as("FAILED has no progress").isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "101", "-1", "ten", "1e3", ""})
    void badLimit_is400(String limit) {
        assertThat(get("/videos", owner, "videos:read", Map.of("limit", limit), Map.of()).getStatusCode()).isEqualTo(400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "eyJ4IjoxfQ", "!!!!", "Li4vLi4v"})
    void foreignCursor_is400(String cursor) {
        var response = get("/videos", owner, "videos:read", Map.of(), Map.of("cursor", cursor));
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(400);
    }

    @Test
    void ownerOtherThanMe_is400() {
        assertThat(get("/videos", owner, "videos:read", Map.of("owner", other), Map.of()).getStatusCode()).isEqualTo(400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../etc/passwd", "%2e%2e", "..", "", "ÄÖÜaaaaaaaaaaaaaaaaaaaaaaa", "AAAAAAAAAAAAAAAAAAAAAAAAAA"})
    void hostileIds_are404_withoutTouchingTheStore(String id) {
        VideoStore counting = countingStore();
        var routes = new MediaRoutes(counting, null, null, null, null, null, io.reel.core.http.HttpResponses.create(aws.env()), java.time.Clock.systemUTC());
        var response = routes.route(request("GET", "/videos/{id}", owner, "videos:read", Map.of("id", id), Map.of(), null));
        assertThat(response.getStatusCode()).isEqualTo(404);
        var huge = routes.route(request("GET", "/videos/{id}", owner, "videos:read", Map.of("id", "a".repeat(2048)), Map.of(), null));
        assertThat(huge.getStatusCode()).isEqualTo(404);
        assertThat(storeCalls).as("no store call for an id that is not ours").hasValue(0);
    }

    @Test
    void unfinishedVideos_areVisibleOnlyToTheirOwnerAndAdmins() throws Exception {
        Video mine = save(video(owner, VideoStatus.PROCESSING, 3));
        Video readyOfOther = save(video(other, VideoStatus.READY, 4).withFailure(null));

        assertThat(get("/videos/{id}", other, "videos:read videos:upload", Map.of(), Map.of(), mine.videoId()).getStatusCode())
                .as("another user's unfinished video does not exist for them").isEqualTo(404);
        JsonNode own = json(get("/videos/{id}", owner, "videos:read videos:upload", Map.of(), Map.of(), mine.videoId()));
        assertThat(own.path("status").asText()).isEqualTo("PROCESSING");
        assertThat(get("/videos/{id}", "u-admin", "admin videos:read videos:upload", Map.of(), Map.of(), mine.videoId())
                .getStatusCode()).isEqualTo(200);
        JsonNode shown = json(get("/videos/{id}", owner, "videos:read", Map.of(), Map.of(), readyOfOther.videoId()));
        assertThat(shown.path("title").asText()).isEqualTo(readyOfOther.title());
        assertThat(shown.path("renditions").get(0).has("key")).as("keys are never shown").isFalse();
        assertThat(shown.path("durationSeconds").asDouble()).isEqualTo(61.5);
    }

    @Test
    void listsAndDetails_carryTheSignedPosterUrl_validAnHourOrMore_andTheSameAllHour() throws Exception {
        String uploader = "u-" + UUID.randomUUID();
        Video withPoster = save(video(uploader, VideoStatus.READY, 30));
        Video without = save(video(uploader, VideoStatus.READY, 31).withPosterKey(null));
        Video pointingElsewhere = save(video(uploader, VideoStatus.READY, 32).withPosterKey(withPoster.posterKey()));
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 1, 2, 3, 4, (byte) 0xFF, (byte) 0xD9};
        aws.s3().putObject(r -> r.bucket(aws.bucket("MediaBucket")).key(withPoster.posterKey()).contentType("image/jpeg")
                .cacheControl("public, max-age=31536000, immutable"), RequestBody.fromBytes(jpeg));
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);

        JsonNode mine = json(get("/videos", uploader, "videos:read videos:upload", Map.of("owner", "me"), Map.of()));
        JsonNode ready = json(get("/videos", owner, "videos:read", Map.of(), Map.of()));
        JsonNode detail = json(get("/videos/{id}", owner, "videos:read", Map.of(), Map.of(), withPoster.videoId()));
        JsonNode fromAnotherContainer = json(new MediaHandler(aws.env(Map.of("REEL_LOCAL_KEYS_DIR", keys.toString())))
                .handleRequest(request("GET", "/videos/{id}", owner, "videos:read", Map.of("id", withPoster.videoId()), Map.of(),
                        null), null));

        JsonNode card = item(mine, withPoster.videoId());
        assertThat(card.properties()).extracting(Map.Entry::getKey).containsSubsequence("durationSeconds", "posterUrl", "width");
        String url = card.path("posterUrl").asText();
        var fetched = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(fetched.body()).isEqualTo(jpeg);
        assertThat(URI.create(url).getRawPath()).endsWith("/" + withPoster.posterKey());
        Instant signedAt = AMZ_DATE.parse(query(url, "X-Amz-Date"), Instant::from);
        Instant expires = signedAt.plusSeconds(Long.parseLong(query(url, "X-Amz-Expires")));
        assertThat(expires).as("valid for at least an hour after the response").isAfterOrEqualTo(Instant.now().plus(Duration.ofHours(1)));
        if (Instant.now().truncatedTo(ChronoUnit.HOURS).equals(hour)) { // no hour turned during the test
            assertThat(signedAt).isEqualTo(hour);
            assertThat(item(ready, withPoster.videoId()).path("posterUrl").asText()).isEqualTo(url);
            assertThat(detail.path("posterUrl").asText()).isEqualTo(url);
            assertThat(fromAnotherContainer.path("posterUrl").asText()).isEqualTo(url);
        }
        // Null, which the API's JSON leaves out as it does every null field of a video (description, durationSeconds, …).
        assertThat(item(mine, without.videoId()).has("posterUrl")).as("no poster").isFalse();
        assertThat(item(mine, without.videoId()).path("hasPoster").asBoolean()).isFalse();
        assertThat(item(mine, pointingElsewhere.videoId()).has("posterUrl"))
                .as("a key outside the video's own folder is never signed").isFalse();
    }

    @Test
    void edit_byOwnerOrAdmin_withValidation() throws Exception {
        Video video = save(video(owner, VideoStatus.READY, 5));
        String id = video.videoId();

        var edited = patch(id, owner, "{\"title\":\"  New title \",\"description\":\"About it\"}");
        assertThat(edited.getStatusCode()).as(edited.getBody()).isEqualTo(200);
        assertThat(store.find(id).orElseThrow().title()).isEqualTo("New title");
        assertThat(store.find(id).orElseThrow().description()).isEqualTo("About it");
        assertThat(patch(id, other, "{\"title\":\"Mine now\"}").getStatusCode()).as("not the owner").isEqualTo(403);
        assertThat(patch(id, owner, "{\"title\":\"\"}").getStatusCode()).isEqualTo(400);
        assertThat(patch(id, owner, "{\"title\":\"" + "x".repeat(201) + "\"}").getStatusCode()).isEqualTo(400);
        assertThat(patch(id, owner, "{\"description\":\"" + "x".repeat(5_001) + "\"}").getStatusCode()).isEqualTo(400);
        assertThat(patch(id, owner, "{\"owner\":\"u-x\"}").getStatusCode()).as("unknown field").isEqualTo(400);
        assertThat(patch(id, owner, "{\"title\":42}").getStatusCode()).as("wrong type").isEqualTo(400);
        assertThat(patch(id, owner, "not json").getStatusCode()).isEqualTo(400);
        assertThat(patch(id, owner, "{\"title\":\"" + "x".repeat(20_000) + "\"}").getStatusCode()).isEqualTo(413);
        // Issue #15, defect 7: titles took NUL, control and direction-override characters that fileName refuses.
        for (String hostile : List.of("{\"title\":\"a\\u0000b\"}", "{\"title\":\"evil\\u202egnp.exe\"}", "{\"title\":\"two\\nlines\"}",
                "{\"description\":\"x\\u2066y\"}", "{\"description\":\"bell\\u0007\"}", "{\"title\":\"lone \\ud800\"}")) {
            var refused = patch(id, owner, hostile);
            assertThat(refused.getStatusCode()).as(hostile).isEqualTo(400);
            assertThat(refused.getBody()).as(hostile).contains("\"detail\"");
        }
        assertThat(store.find(id).orElseThrow().title()).isEqualTo("New title");
        assertThat(patch(id, owner, "{\"description\":\"line one\\nline two\"}").getStatusCode()).isEqualTo(200);
        var request = request("PATCH", "/videos/{id}", "u-admin", "admin videos:read videos:upload", Map.of("id", id), Map.of(),
                "{\"description\":\"\"}");
        assertThat(handler.handleRequest(request, null).getStatusCode()).isEqualTo(200);
        assertThat(store.find(id).orElseThrow().description()).as("an empty description clears it").isNull();
        assertThat(store.find(id).orElseThrow().title()).isEqualTo("New title");
    }

    @Test
    void delete_removesEveryObjectAndTheItem() throws Exception {
        Video video = save(video(owner, VideoStatus.READY, 6));
        String id = video.videoId();
        Video neighbour = save(video(owner, VideoStatus.READY, 7));
        for (String key : List.of("videos/" + id + "/hls/master.m3u8", "videos/" + id + "/hls/720p/seg_001.m4s", "videos/" + id + "/poster.jpg")) {
            aws.s3().putObject(r -> r.bucket(aws.bucket("MediaBucket")).key(key), RequestBody.fromString("x"));
        }
        aws.s3().putObject(r -> r.bucket(aws.bucket("UploadsBucket")).key("uploads/" + id + "/source"), RequestBody.fromString("x"));
        String neighbourKey = "videos/" + neighbour.videoId() + "/poster.jpg";
        aws.s3().putObject(r -> r.bucket(aws.bucket("MediaBucket")).key(neighbourKey), RequestBody.fromString("x"));

        var refused = handler.handleRequest(request("DELETE", "/videos/{id}", other, "videos:read videos:upload", Map.of("id", id),
                Map.of(), null), null);
        assertThat(refused.getStatusCode()).isEqualTo(403);
        var deleted = handler.handleRequest(request("DELETE", "/videos/{id}", owner, "videos:read videos:upload", Map.of("id", id),
                Map.of(), null), null);

        assertThat(deleted.getStatusCode()).as(deleted.getBody()).isEqualTo(204);
        assertThat(aws.s3().listObjectsV2(r -> r.bucket(aws.bucket("MediaBucket")).prefix("videos/" + id + "/")).contents()).isEmpty();
        assertThat(aws.s3().listObjectsV2(r -> r.bucket(aws.bucket("UploadsBucket")).prefix("uploads/" + id + "/")).contents()).isEmpty();
        assertThat(aws.s3().listObjectsV2(r -> r.bucket(aws.bucket("MediaBucket")).prefix(neighbourKey)).contents())
                .as("another video's objects stay").hasSize(1);
        assertThat(store.find(id)).isEmpty();
        assertThat(get("/videos/{id}", owner, "videos:read", Map.of(), Map.of(), id).getStatusCode()).isEqualTo(404);
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private record Draft(Video video) {
        Draft withFailure(String reason) {
            Video v = video;
            return new Draft(new Video(v.videoId(), v.ownerId(), v.title(), v.description(), v.status(), reason, v.duration(),
                    v.width(), v.height(), v.renditions(), v.posterKey(), v.storyboardKey(), v.createdAt(), v.updatedAt()));
        }

        Draft withPosterKey(String key) {
            Video v = video;
            return new Draft(new Video(v.videoId(), v.ownerId(), v.title(), v.description(), v.status(), v.failureReason(),
                    v.duration(), v.width(), v.height(), v.renditions(), key, v.storyboardKey(), v.createdAt(), v.updatedAt()));
        }

        Draft withProgress(Integer percent) {
            Video v = video;
            return new Draft(new Video(v.videoId(), v.ownerId(), v.title(), v.description(), v.status(), v.failureReason(),
                    v.duration(), v.width(), v.height(), v.renditions(), v.posterKey(), v.storyboardKey(), v.createdAt(),
                    v.updatedAt(), percent));
        }
    }

    private Draft video(String ownerId, VideoStatus status, int minute) {
        String id = VideoIds.newId();
        Instant created = T0.plus(Duration.ofMinutes(minute));
        return new Draft(new Video(id, ownerId, "Video " + minute, null, status, null,
                status == VideoStatus.READY ? Duration.ofMillis(61_500) : null, 1920, 1080,
                List.of(new Rendition("720p", Rendition.Kind.MP4, 1280, 720, 3000, "videos/" + id + "/mp4/720p.mp4")),
                "videos/" + id + "/poster.jpg", null, created, created));
    }

    private Video save(Draft draft) {
        store.create(draft.video());
        return draft.video();
    }

    private APIGatewayProxyResponseEvent get(String resource, String userId, String scopes, Map<String, String> query,
                                             Map<String, String> more) {
        Map<String, String> all = new HashMap<>(query);
        all.putAll(more);
        return handler.handleRequest(request("GET", resource, userId, scopes, Map.of(), all, null), null);
    }

    private APIGatewayProxyResponseEvent get(String resource, String userId, String scopes, Map<String, String> query,
                                             Map<String, String> more, String id) {
        return handler.handleRequest(request("GET", resource, userId, scopes, Map.of("id", id), query, null), null);
    }

    private APIGatewayProxyResponseEvent patch(String id, String userId, String body) {
        return handler.handleRequest(request("PATCH", "/videos/{id}", userId, "videos:read videos:upload", Map.of("id", id),
                Map.of(), body), null);
    }

    private static APIGatewayProxyRequestEvent request(String method, String resource, String userId, String scopes,
                                                       Map<String, String> path, Map<String, String> query, String body) {
        var context = new APIGatewayProxyRequestEvent.ProxyRequestContext();
        context.setAuthorizer(Map.of("userId", userId, "username", "name-" + userId, "scopes", scopes));
        return new APIGatewayProxyRequestEvent().withHttpMethod(method).withResource(resource).withPathParameters(path)
                .withQueryStringParameters(query).withBody(body).withRequestContext(context);
    }

    private static JsonNode item(JsonNode page, String videoId) {
        for (JsonNode item : page.path("items")) {
            if (item.path("videoId").asText().equals(videoId)) {
                return item;
            }
        }
        throw new AssertionError(videoId + " is not listed in " + page);
    }

    private static String query(String url, String name) {
        Matcher m = Pattern.compile("(?:^|&)" + Pattern.quote(name) + "=([^&]*)").matcher(URI.create(url).getRawQuery());
        assertThat(m.find()).as(name + " in " + url).isTrue();
        return m.group(1);
    }

    private static JsonNode json(APIGatewayProxyResponseEvent response) throws Exception {
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        return Json.mapper().readTree(response.getBody());
    }

    private VideoStore countingStore() {
        return CountingVideoStore.around(store, storeCalls);
    }
}
