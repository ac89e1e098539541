package io.reel.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import io.reel.core.AwsClients;
import io.reel.core.aws.DynamoDbVideoStore;
import io.reel.core.domain.Video;
import io.reel.core.domain.VideoIds;
import io.reel.core.domain.VideoStatus;
import io.reel.core.metrics.Metrics;
import io.reel.fuzz.FuzzStats;
import io.reel.fuzz.FuzzTarget;
import io.reel.localaws.junit.LocalAwsExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzes the transcode function's handler with S3 events of one to three generated records ({@link S3Records}),
 * against DynamoDB Local and S3Proxy: records naming a video that waits for its upload (whose object does not exist),
 * a settled video, or no video at all, with whatever is missing or malformed. The handler must always answer: each
 * record is ignored, skipped or failed (with the uploader's reason), never an exception, which would make Lambda
 * deliver the same event again - and fail the same way each time.
 */
class TranscodeHandlerFuzzIT {
    private static final Set<String> OUTCOMES = Set.of("IGNORED", "SKIPPED", "FAILED", "READY");
    private static LocalAwsExtension.Standalone aws;
    private static TranscodeHandler handler;
    private static DynamoDbVideoStore videos;
    private static String uploadsBucket;
    private static String settled;
    private static Path workRoot;

    @BeforeContainer
    static void start() throws Exception {
        aws = LocalAwsExtension.standalone(TranscodeHandlerFuzzIT.class);
        var resources = aws.resources();
        workRoot = Files.createTempDirectory("transcode-fuzz");
        var env = resources.env(Map.of("TRANSCODE_WORK_DIR", workRoot.toString()));
        Metrics quiet = new Metrics() {
            @Override
            public void count(String metric) {
            }

            @Override
            public void record(String metric, double value, String unit) {
            }
        };
        handler = new TranscodeHandler(env, AwsClients.create(env),
                () -> { throw new AssertionError("the handler wanted the process to exit: the probe was abandoned"); }, quiet);
        videos = new DynamoDbVideoStore(resources.dynamoDb(), resources.table("VideosTable"));
        uploadsBucket = resources.bucket("UploadsBucket");
        settled = video(VideoStatus.READY);
    }

    @AfterContainer
    static void stop() throws Exception {
        if (aws != null) {
            aws.close();
        }
        try (var paths = Files.walk(workRoot)) {
            assertThat(paths.filter(p -> !p.equals(workRoot)).toList()).as("work folders left behind").isEmpty();
        }
    }

    private static String video(VideoStatus status) {
        String id = VideoIds.newId();
        Instant now = Instant.now();
        videos.create(new Video(id, "u-owner", "Fuzzed upload", null, status, null,
                status == VideoStatus.READY ? Duration.ofSeconds(3) : null, 0, 0, List.of(), null, null, now, now));
        return id;
    }

    @Property
    @FuzzTarget(value = "transcode-s3-event", tries = 60, timeoutMillis = 30_000)
    void anyEvent_isAnswered_eachRecordIgnoredSkippedOrFailed(@ForAll("events") List<S3Records.Spec> specs) {
        var records = specs.stream().map(spec -> spec.build(uploadsBucket, () -> video(VideoStatus.AWAITING_UPLOAD), () -> settled))
                .toList();
        String answer = handler.handleRequest(new S3Event(records), null);
        assertThat(answer).startsWith("{").endsWith("}");
        String inside = answer.substring(1, answer.length() - 1);
        for (String outcome : inside.isEmpty() ? List.<String>of() : List.of(inside.split(", "))) {
            String what = outcome.substring(outcome.lastIndexOf('=') + 1);
            assertThat(OUTCOMES).as(answer).contains(what);
            FuzzStats.outcome(what);
        }
    }

    @Provide
    Arbitrary<List<S3Records.Spec>> events() {
        return S3Records.events();
    }
}
