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
import io.reel.localaws.junit.AwsTestResources;
import io.reel.localaws.junit.LocalAwsExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;

/** GET /videos/{id}/playback through the real handler; the returned URLs fetched from S3Proxy. */
@ExtendWith(LocalAwsExtension.class)
class PlaybackIT {
    private final HttpClient http = HttpClient.newHttpClient();
    @TempDir
    Path keys;
    private AwsTestResources aws;
    private DynamoDbVideoStore store;
    private MediaHandler handler;
    private String owner;

    @BeforeEach
    void setUp(AwsTestResources aws) {
        this.aws = aws;
        store = new DynamoDbVideoStore(aws.dynamoDb(), aws.table("VideosTable"));
        handler = new MediaHandler(aws.env(Map.of("PLAYBACK_URL_MARGIN", "10m", "PLAYBACK_URL_MAX_LIFETIME", "2h",
                "REEL_LOCAL_KEYS_DIR", keys.toString())));
        owner = "u-" + UUID.randomUUID();
    }

    @Test
    void playback_returnsRangeCapableMp4Urls_expiringAfterTheDurationPlusTheMargin() throws Exception {
        String id = VideoIds.newId();
        byte[] mp4 = new byte[64 * 1024];
        new Random(7).nextBytes(mp4);
        put("videos/" + id + "/mp4/720p.mp4", mp4);
        put("videos/" + id + "/poster.jpg", new byte[] {1, 2, 3});
        store.create(video(id, VideoStatus.READY, Duration.ofMinutes(20), List.of(
                new Rendition("720p", Rendition.Kind.MP4, 1280, 720, 3000, "videos/" + id + "/mp4/720p.mp4"),
                new Rendition("hls", Rendition.Kind.HLS, 1280, 720, 3000, "videos/" + id + "/hls/master.m3u8")),
                "videos/" + id + "/poster.jpg"));
        Instant before = Instant.now();

        JsonNode body = ok(playback(id, "u-viewer"));

        assertThat(body.path("mp4")).hasSize(1);
        String url = body.path("mp4").get(0).path("url").asText();
        assertThat(url).contains("X-Amz-Signature=").contains(id).doesNotContain("hls");
        var range = http.send(HttpRequest.newBuilder(URI.create(url)).header("Range", "bytes=1000-1999").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(mp4, 1000, 2000));
        var poster = http.send(HttpRequest.newBuilder(URI.create(body.path("poster").asText())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(poster.body()).containsExactly(1, 2, 3);
        assertThat(body.path("storyboard").isNull()).isTrue();
        Instant expires = Instant.parse(body.path("expiresAt").asText());
        assertThat(expires).as("20 min of video + 10 min margin")
                .isBetween(before.plus(Duration.ofMinutes(30)).minusSeconds(2), Instant.now().plus(Duration.ofMinutes(30)));
    }

    @Test
    void longVideos_areCappedAtTheMaximum_andARecordPointingAtAnotherVideoIsNotSigned() throws Exception {
        String id = VideoIds.newId();
        String other = VideoIds.newId();
        store.create(video(id, VideoStatus.READY, Duration.ofHours(5), List.of(
                new Rendition("720p", Rendition.Kind.MP4, 1280, 720, 3000, "videos/" + id + "/mp4/720p.mp4"),
                new Rendition("stolen", Rendition.Kind.MP4, 1280, 720, 3000, "videos/" + other + "/mp4/720p.mp4"),
                new Rendition("climb", Rendition.Kind.MP4, 1280, 720, 3000, "videos/" + id + "/../" + other + "/mp4/720p.mp4")),
                null));

        JsonNode body = ok(playback(id, "u-viewer"));

        assertThat(body.path("mp4")).extracting(n -> n.path("name").asText()).containsExactly("720p");
        assertThat(Instant.parse(body.path("expiresAt").asText())).isBefore(Instant.now().plus(Duration.ofHours(2)).plusSeconds(2));
    }

    @Test
    void notReady_is409WithTheStatus_andOthersUnfinishedVideosAre404() throws Exception {
        String id = VideoIds.newId();
        store.create(video(id, VideoStatus.PROCESSING, null, List.of(), null));

        var own = playback(id, owner);
        assertThat(own.getStatusCode()).isEqualTo(409);
        assertThat(own.getBody()).contains("PROCESSING");
        assertThat(playback(id, "u-viewer").getStatusCode()).isEqualTo(404);
        assertThat(playback("../" + id, owner).getStatusCode()).isEqualTo(404);
    }

    private Video video(String id, VideoStatus status, Duration duration, List<Rendition> renditions, String posterKey) {
        Instant now = Instant.now();
        return new Video(id, owner, "Playback test", null, status, null, duration, 1280, 720, renditions, posterKey, null, now, now);
    }

    private void put(String key, byte[] bytes) {
        aws.s3().putObject(r -> r.bucket(aws.bucket("MediaBucket")).key(key), RequestBody.fromBytes(bytes));
    }

    private APIGatewayProxyResponseEvent playback(String id, String userId) {
        var context = new APIGatewayProxyRequestEvent.ProxyRequestContext();
        context.setAuthorizer(Map.of("userId", userId, "username", "name", "scopes", "videos:read"));
        return handler.handleRequest(new APIGatewayProxyRequestEvent().withHttpMethod("GET").withResource("/videos/{id}/playback")
                .withPathParameters(Map.of("id", id)).withRequestContext(context), null);
    }

    private static JsonNode ok(APIGatewayProxyResponseEvent response) throws Exception {
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        return Json.mapper().readTree(response.getBody());
    }
}
