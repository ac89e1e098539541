package io.reel.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import io.reel.core.aws.DynamoDbVideoStore;
import io.reel.core.domain.Video;
import io.reel.core.domain.VideoIds;
import io.reel.core.domain.VideoStatus;
import io.reel.localaws.junit.AwsTestResources;
import io.reel.localaws.junit.FunctionOutput;
import io.reel.localaws.junit.LocalAwsExtension;
import io.reel.localaws.junit.StoredState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** SnapStart priming runs the first-request path and leaves no trace: no write, no metric, no log line. */
@ExtendWith(LocalAwsExtension.class)
class MediaPrimingIT {
    @TempDir
    Path keys;

    @Test
    void priming_writesNothing_countsNothing_logsNothing_andTheHandlerStillAnswers(AwsTestResources aws) {
        String videoId = VideoIds.newId();
        Instant now = Instant.now();
        new DynamoDbVideoStore(aws.dynamoDb(), aws.table("VideosTable")).create(new Video(videoId, "u-owner", "Kept", null,
                VideoStatus.READY, null, Duration.ofSeconds(30), 1280, 720, List.of(), null, null, now, now));
        StoredState before = StoredState.of(aws);
        var primed = FunctionOutput.during(() -> new MediaHandler(aws.env(Map.of("REEL_LOCAL_KEYS_DIR", keys.toString()))),
                made -> made.priming().primeAndRestore());
        MediaHandler handler = primed.value();

        assertThat(primed.jsonLines()).as("metrics and logs while priming").isEmpty();
        assertThat(StoredState.of(aws)).isEqualTo(before);
        var context = new APIGatewayProxyRequestEvent.ProxyRequestContext();
        context.setAuthorizer(Map.of("userId", "u-viewer", "username", "viewer", "scopes", "videos:read"));
        var request = new APIGatewayProxyRequestEvent().withHttpMethod("GET").withResource("/videos/{id}")
                .withPathParameters(Map.of("id", videoId)).withRequestContext(context);
        var response = handler.handleRequest(request, null);
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        assertThat(response.getBody()).contains(videoId).doesNotContain(MediaHandler.PRIMING_VIDEO_ID);
    }
}
