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
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** PUT /videos/{id}/progress and the position returned with playback, per user, across devices (function instances). */
@ExtendWith(LocalAwsExtension.class)
class ResumeIT {
    @TempDir
    Path keys;
    private AwsTestResources aws;
    private DynamoDbVideoStore store;
    private MediaHandler phone;
    private String viewer;

    @BeforeEach
    void setUp(AwsTestResources aws) {
        this.aws = aws;
        store = new DynamoDbVideoStore(aws.dynamoDb(), aws.table("VideosTable"));
        phone = handler();
        viewer = "u-" + UUID.randomUUID();
    }

    @Test
    void aPositionSavedOnOneDevice_isWhereAnotherDeviceResumes_andOnlyForThatViewer() throws Exception {
        String id = video(VideoStatus.READY, "u-owner");
        assertThat(playback(phone, id, viewer).path("resumeAt").isNull()).as("nothing saved yet").isTrue();

        assertThat(save(phone, id, viewer, "{\"positionSeconds\": 61.25}").getStatusCode()).isEqualTo(204);
        assertThat(save(phone, id, viewer, "{\"positionSeconds\": 125.5}").getStatusCode()).isEqualTo(204);

        MediaHandler laptop = handler();
        assertThat(playback(laptop, id, viewer).path("resumeAt").asDouble()).isEqualTo(125.5);
        assertThat(playback(laptop, id, "u-someone-else").path("resumeAt").isNull()).isTrue();
    }

    @Test
    void aPositionAtTheEnd_meansFinished_soPlaybackStartsOver() throws Exception {
        String id = video(VideoStatus.READY, "u-owner");
        assertThat(save(phone, id, viewer, "{\"positionSeconds\": 595}").getStatusCode()).isEqualTo(204);
        assertThat(playback(phone, id, viewer).path("resumeAt").isNull()).isTrue();
        assertThat(save(phone, id, viewer, "{\"positionSeconds\": 590}").getStatusCode()).isEqualTo(204);
        assertThat(playback(phone, id, viewer).path("resumeAt").isNull()).as("the last 10 s of a long video").isTrue();
        assertThat(save(phone, id, viewer, "{\"positionSeconds\": 589}").getStatusCode()).isEqualTo(204);
        assertThat(playback(phone, id, viewer).path("resumeAt").asDouble()).isEqualTo(589);
    }

    @ParameterizedTest(name = "{0} s of a 10 s video resumes at {1}")
    @CsvSource(value = {"5, 5", "9.4, 9.4", "0.5, 0.5", "9.5, null", "9.8, null", "10, null"}, nullValues = "null")
    void inAShortVideo_onlyTheLastFivePercentIsTheEnd(double position, Double resumeAt) throws Exception {
        String id = video(VideoStatus.READY, "u-owner", Duration.ofSeconds(10));

        assertThat(save(phone, id, viewer, "{\"positionSeconds\": " + position + "}").getStatusCode()).isEqualTo(204);

        JsonNode resume = playback(phone, id, viewer).path("resumeAt");
        if (resumeAt == null) {
            assertThat(resume.isNull()).as("finished: starts over").isTrue();
        } else {
            assertThat(resume.asDouble()).isEqualTo(resumeAt);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"positionSeconds\": -1}", "{\"positionSeconds\": 601}", "{\"positionSeconds\": \"12\"}",
            "{\"positionSeconds\": null}", "{\"positionSeconds\": 1e400}", "{\"positionSeconds\": NaN}", "{\"position\": 3}",
            "{\"positionSeconds\": 3, \"userId\": \"u-other\"}", "[]", "12", "not json", ""})
    void badPositions_are400WithAReason_andNothingIsSaved(String body) throws Exception {
        String id = video(VideoStatus.READY, "u-owner");
        var response = save(phone, id, viewer, body);
        assertThat(response.getStatusCode()).as(body).isEqualTo(400);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
        assertThat(Json.mapper().readTree(response.getBody()).path("detail").asText()).isNotBlank();
        assertThat(playback(phone, id, viewer).path("resumeAt").isNull()).isTrue();
    }

    @Test
    void hostileIds_othersUnfinishedVideos_andUnfinishedOwnVideos_areRefused() {
        for (String bad : new String[] {"../x", "%2e%2e", "a".repeat(2048), "", "ünïcode"}) {
            assertThat(save(phone, bad, viewer, "{\"positionSeconds\": 1}").getStatusCode()).as(bad).isEqualTo(404);
        }
        String processing = video(VideoStatus.PROCESSING, viewer);
        assertThat(save(phone, processing, "u-stranger", "{\"positionSeconds\": 1}").getStatusCode()).isEqualTo(404);
        var own = save(phone, processing, viewer, "{\"positionSeconds\": 1}");
        assertThat(own.getStatusCode()).isEqualTo(409);
        assertThat(own.getBody()).contains("PROCESSING");
    }

    private MediaHandler handler() {
        return new MediaHandler(aws.env(Map.of("REEL_LOCAL_KEYS_DIR", keys.toString())));
    }

    private String video(VideoStatus status, String owner) {
        return video(status, owner, Duration.ofMinutes(10));
    }

    private String video(VideoStatus status, String owner, Duration duration) {
        String id = VideoIds.newId();
        Instant now = Instant.now();
        store.create(new Video(id, owner, "Resume test", null, status, null, duration, 1280, 720,
                List.of(new Rendition("720p", Rendition.Kind.MP4, 1280, 720, 3000, "videos/" + id + "/mp4/720p.mp4")),
                null, null, now, now));
        return id;
    }

    private static APIGatewayProxyRequestEvent request(String method, String resource, String id, String userId, String body) {
        var context = new APIGatewayProxyRequestEvent.ProxyRequestContext();
        context.setAuthorizer(Map.of("userId", userId, "username", "name", "scopes", "videos:read"));
        return new APIGatewayProxyRequestEvent().withHttpMethod(method).withResource(resource)
                .withPathParameters(Map.of("id", id)).withRequestContext(context).withBody(body);
    }

    private static APIGatewayProxyResponseEvent save(MediaHandler handler, String id, String userId, String body) {
        return handler.handleRequest(request("PUT", "/videos/{id}/progress", id, userId, body), null);
    }

    private static JsonNode playback(MediaHandler handler, String id, String userId) throws Exception {
        var response = handler.handleRequest(request("GET", "/videos/{id}/playback", id, userId, null), null);
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        return Json.mapper().readTree(response.getBody());
    }
}
