package io.reel.transcode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import io.reel.core.Json;
import io.reel.core.aws.DynamoDbVideoStore;
import io.reel.core.domain.Video;
import io.reel.core.domain.VideoIds;
import io.reel.core.domain.VideoStatus;
import io.reel.localaws.junit.AwsTestResources;
import io.reel.localaws.junit.LocalAwsExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The long-video tasks' handler (issue #16) against DynamoDB Local and S3Proxy: the sample {@code fail} event of
 * {@code events/} turns a PROCESSING video FAILED with the error's sentence; a {@code chunk} task reads its span of a
 * real upload through a presigned URL, writes its files under the attempt's work prefix and moves the progress.
 */
@ExtendWith(LocalAwsExtension.class)
class SplitTaskHandlerIT {
    private static final Path SAMPLE_EVENT = Path.of("..", "events", "transcode-worker-fail.json");
    private static final String SAMPLE_ID = "k7t3v4x2m5n6p2r7sqawbecdfg";
    private static final String SAMPLE_ETAG = "d41d8cd98f00b204e9800998ecf8427e-44";

    @TempDir
    Path workRoot;
    @TempDir
    Path mediaDir;
    private AwsTestResources aws;
    private DynamoDbVideoStore store;
    private SplitTaskHandler handler;

    @BeforeEach
    void setUp(AwsTestResources aws) {
        this.aws = aws;
        store = new DynamoDbVideoStore(aws.dynamoDb(), aws.table("VideosTable"));
        var env = aws.env(Map.of("TRANSCODE_WORK_DIR", workRoot.toString()));
        handler = new SplitTaskHandler(env, io.reel.core.AwsClients.create(env));
    }

    private String processing(String eTag) {
        String id = VideoIds.newId();
        Instant now = Instant.now();
        store.create(new Video(id, "u-owner", "Long", null, VideoStatus.AWAITING_UPLOAD, null, null, 0, 0, List.of(), null, null,
                now, now));
        store.claimProcessing(id, eTag, now, Duration.ofMinutes(16));
        return id;
    }

    private static Map<String, Object> read(String json) throws Exception {
        return Json.mapper().convertValue(Json.mapper().readTree(json), new TypeReference<Map<String, Object>>() { });
    }

    @Test
    void theSampleFailEvent_failsTheVideo_withTheRejectedInputsSentence() throws Exception {
        String id = processing(SAMPLE_ETAG);
        Map<String, Object> event = read(Files.readString(SAMPLE_EVENT).replace(SAMPLE_ID, id));
        Map<String, Object> result = handler.handleRequest(event, null);
        assertThat(result).containsEntry("status", "FAILED");
        Video failed = store.find(id).orElseThrow();
        assertThat(failed.status()).isEqualTo(VideoStatus.FAILED);
        assertThat(failed.failureReason()).isEqualTo("The video is damaged and could not be read past 41:07.");

        // Delivered again (a retried fail task): the video is settled, nothing changes.
        assertThat(handler.handleRequest(event, null)).containsEntry("status", "SETTLED");
        assertThat(store.find(id).orElseThrow().failureReason()).isEqualTo(failed.failureReason());
    }

    @Test
    void aChunkTask_readsItsSpanOfTheUpload_writesItsFiles_andMovesTheProgress() throws Exception {
        Path source = mediaDir.resolve("fourteen.mp4");
        Process ffmpeg = new ProcessBuilder("/usr/bin/ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=s=640x360:r=30:d=14",
                "-f", "lavfi", "-i", "sine=f=440:r=48000:d=14", "-ac", "2", "-c:v", "libx264", "-preset", "ultrafast",
                "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", source.toString()).inheritIO().start();
        assertThat(ffmpeg.waitFor()).isZero();
        String key = "uploads/" + VideoIds.newId() + "/source";
        String eTag = aws.s3().putObject(r -> r.bucket(aws.bucket("UploadsBucket")).key(key), RequestBody.fromFile(source))
                .eTag().replace("\"", "");
        String id = processing(eTag);
        var job = Json.mapper().readTree(Files.readString(SAMPLE_EVENT)).path("job").deepCopy();
        var description = Json.mapper().valueToTree(new io.reel.transcode.probe.MediaProbe(
                io.reel.transcode.probe.ProbeLimits.defaults()).probe(source));
        ((com.fasterxml.jackson.databind.node.ObjectNode) job).put("videoId", id).put("eTag", eTag)
                .put("bucket", aws.bucket("UploadsBucket")).put("key", key).put("work", "work/" + id + "/1/").put("chunks", 2)
                .set("description", description);
        Map<String, Object> chunk = Map.of("index", 1, "startSeconds", 6.0, "endSeconds", 12.0, "firstSegment", 1, "segments", 1);
        Map<String, Object> result = handler.handleRequest(Map.of("action", "chunk", "job", Json.mapper().convertValue(job, Map.class),
                "chunk", chunk), null);

        assertThat(((Number) result.get("index")).intValue()).isEqualTo(1);
        assertThat(((Number) result.get("firstSlot")).longValue()).as("the first frame at or after 6 s").isPositive();
        List<String> keys = aws.s3().listObjectsV2(r -> r.bucket(aws.bucket("MediaBucket")).prefix("work/" + id + "/1/")).contents()
                .stream().map(o -> o.key()).toList();
        assertThat(keys).contains("work/" + id + "/1/chunk-00001/234p.mp4", "work/" + id + "/1/chunk-00001/360p.mp4");
        assertThat(store.find(id).orElseThrow().processingPercent()).as("1 chunk of 2 done").isEqualTo(5 + 85 / 2);

        // A job pinned to another object than the one in the bucket (replaced since the probe): S3 refuses the ranged
        // GETs (If-Match), and the chunk is refused rather than encoding a file nobody probed.
        var replaced = ((com.fasterxml.jackson.databind.node.ObjectNode) job.deepCopy()).put("eTag", "0123456789abcdef0123456789abcdef");
        assertThatThrownBy(() -> handler.handleRequest(Map.of("action", "chunk", "job", Json.mapper().convertValue(replaced, Map.class),
                "chunk", chunk), null)).isInstanceOf(SplitTaskHandler.RejectedInputRuntimeException.class)
                .hasMessageContaining("could not be opened");

        // A video no longer processing (failed meanwhile): refused before any work.
        store.markFailed(id, eTag, "test over", Instant.now());
        assertThatThrownBy(() -> handler.handleRequest(Map.of("action", "chunk", "job", Json.mapper().convertValue(job, Map.class),
                "chunk", chunk), null)).isInstanceOf(SplitTaskHandler.RejectedInputRuntimeException.class)
                .hasMessageContaining("deleted or replaced");
    }
}
