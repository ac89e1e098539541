package io.reel.transcode;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.reel.core.AwsClients;
import io.reel.core.Env;
import io.reel.core.Json;
import io.reel.core.aws.DynamoDbVideoStore;
import io.reel.core.log.JsonLog;
import io.reel.core.metrics.EmfMetrics;
import io.reel.core.metrics.Metrics;
import io.reel.core.port.VideoStore;
import io.reel.transcode.encode.FfmpegLadderEncoder;
import io.reel.transcode.encode.MasterPlaylist;
import io.reel.transcode.probe.Natives;
import io.reel.transcode.split.SplitJob;
import io.reel.transcode.split.SplitPlan;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Lambda entry point of the tasks of a long video's state machine (issue #16, {@code statemachine/long-video.asl.json}):
 * {@code {"action": "chunk" | "audio" | "stitch-rung" | "finish" | "fail", "job": …}}, each one step of {@link SplitTasks}. A task that
 * cannot succeed throws: {@link RejectedInputException} (the input's fault, not retried by the state machine), anything
 * else (retried with backoff). The state machine's Catch then calls {@code fail}, which turns the error into the
 * sentence the uploader reads.
 *
 * <p>Environment: {@code VIDEOS_TABLE}, {@code MEDIA_BUCKET}, {@code TRANSCODE_PRESET}, {@code TRANSCODE_WORK_DIR},
 * {@code TRANSCODE_DEADLINE_MARGIN} (default 30s), and {@link AwsClients}'.
 */
public final class SplitTaskHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private static final JsonLog LOG = JsonLog.create(SplitTaskHandler.class);

    static {
        Natives.prepare();
        System.setProperty("java.awt.headless", "true");
    }

    /** One task's input, as the state machine's Parameters build it. */
    record Request(String action, SplitJob job, SplitPlan.Chunk chunk, List<SplitTasks.ChunkDone> chunks, SplitTasks.AudioDone audio,
                   String rung, List<MasterPlaylist.Variant> rungs, JsonNode error) {
    }

    private final SplitTasks tasks;
    private final Duration margin;
    private final Clock clock;
    private final Metrics metrics;

    public SplitTaskHandler() {
        this(Env.system());
    }

    public SplitTaskHandler(Env env) {
        this(env, AwsClients.create(env));
    }

    SplitTaskHandler(Env env, AwsClients clients) {
        this.clock = Clock.systemUTC();
        this.metrics = new EmfMetrics("transcode", System.out, clock);
        var defaults = FfmpegLadderEncoder.Settings.defaults();
        var settings = new FfmpegLadderEncoder.Settings(env.string("TRANSCODE_PRESET", defaults.preset()), defaults.segmentSeconds(),
                defaults.gopSeconds(), defaults.audioKbps());
        VideoStore videos = new DynamoDbVideoStore(clients.dynamoDb(), env.string("VIDEOS_TABLE"));
        String mediaBucket = env.string("MEDIA_BUCKET");
        this.tasks = new SplitTasks(videos, clients.s3(), clients.s3Presigner(), mediaBucket, settings,
                new OutputPublisher(clients.s3(), mediaBucket, 8)::publish,
                Path.of(env.string("TRANSCODE_WORK_DIR", System.getProperty("java.io.tmpdir"))), clock, !clients.s3Emulated());
        this.margin = env.duration("TRANSCODE_DEADLINE_MARGIN", Duration.ofSeconds(30));
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        Request request = Json.mapper().convertValue(input, Request.class);
        if (request.action() == null || request.job() == null) {
            throw new IllegalArgumentException("A task names its action and job");
        }
        Instant deadline = clock.instant().plusMillis(context == null ? Duration.ofMinutes(15).toMillis()
                : context.getRemainingTimeInMillis()).minus(margin);
        try {
            Object result = switch (request.action()) {
                case "chunk" -> tasks.chunk(request.job(), request.chunk(), deadline);
                case "audio" -> tasks.audio(request.job(), deadline);
                case "stitch-rung" -> {
                    MasterPlaylist.Variant variant = tasks.stitchRung(request.job(), request.chunks(), request.audio(), request.rung(),
                            deadline);
                    yield variant; // null: the video was settled meanwhile, and finish will find it so
                }
                case "finish" -> {
                    SplitTasks.Stitched stitched = tasks.finish(request.job(), request.chunks(), request.rungs(), request.audio());
                    metrics.count(stitched.ready() ? "TranscodeReady" : "TranscodeSettledMeanwhile");
                    yield stitched;
                }
                case "fail" -> {
                    SplitTasks.Failed failed = tasks.fail(request.job(), request.error());
                    metrics.count("TranscodeFailed");
                    yield failed;
                }
                default -> throw new IllegalArgumentException("Unknown action: " + request.action());
            };
            @SuppressWarnings("unchecked")
            Map<String, Object> output = Json.mapper().convertValue(result, Map.class);
            return output;
        } catch (RejectedInputException e) {
            LOG.info("transcode.task_rejected", Map.of("videoId", request.job().videoId(), "action", request.action(),
                    "reason", e.reason()));
            throw new RejectedInputRuntimeException(e);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A {@link RejectedInputException} thrown out of the handler: Lambda reports its class name as the error type, which
     * the state machine does not retry, and its message as the error message, which {@code fail} shows the uploader.
     */
    public static final class RejectedInputRuntimeException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RejectedInputRuntimeException(RejectedInputException cause) {
            super(cause.reason(), cause);
        }
    }
}
