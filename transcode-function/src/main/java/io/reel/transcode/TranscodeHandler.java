package io.reel.transcode;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import io.reel.core.AwsClients;
import io.reel.core.Env;
import io.reel.core.aws.DynamoDbVideoStore;
import io.reel.core.log.JsonLog;
import io.reel.core.metrics.EmfMetrics;
import io.reel.core.metrics.Metrics;
import io.reel.transcode.encode.FfmpegLadderEncoder;
import io.reel.transcode.probe.MediaProbe;
import io.reel.transcode.probe.Natives;
import io.reel.transcode.probe.ProbeLimits;
import io.reel.transcode.split.LongVideoStarter;
import io.reel.transcode.split.SplitPlan;
import software.amazon.awssdk.services.sfn.SfnClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lambda entry point of the transcode function: S3 {@code ObjectCreated} events from the uploads bucket, one
 * {@link Transcoder#process} per record that is a video's upload ({@code uploads/{id}/source}); other keys are logged
 * and ignored.
 *
 * <p>Each record gets a deadline of the invocation's remaining time less a margin, so a video that cannot be finished
 * goes FAILED ("took too long") while the function can still say so, instead of being killed at the timeout and left
 * for the stale-claim rule. Each invocation first fails videos whose processing was abandoned (see
 * {@link Transcoder#sweepAbandoned()}). A transient failure propagates after the other records are done, so Lambda retries the
 * event. When the probe had to abandon FFmpeg on a hostile file, the process exits after the answer is recorded
 * (only in Lambda, where a fresh process replaces it; the retried event then finds the video settled).
 *
 * <p>Environment: {@code VIDEOS_TABLE}, {@code MEDIA_BUCKET}, {@code MAX_UPLOAD_BYTES} (default 5 GiB),
 * {@code TRANSCODE_MAX_DURATION} (default 2h), {@code TRANSCODE_MAX_DIMENSION} (default 4096),
 * {@code TRANSCODE_MAX_ATTEMPTS} (default 3: Lambda's first try and two retries), {@code TRANSCODE_STALE_CLAIM_AFTER}
 * (default 16m: the 15-minute timeout and a margin), {@code TRANSCODE_DEADLINE_MARGIN} (default 30s),
 * {@code TRANSCODE_PRESET} (default veryfast), {@code TRANSCODE_WORK_DIR} (default the JVM's temporary folder,
 * {@code /tmp} in Lambda), and {@link AwsClients}'.
 */
public final class TranscodeHandler implements RequestHandler<S3Event, String> {
    private static final JsonLog LOG = JsonLog.create(TranscodeHandler.class);
    private static final int PUBLISH_PARALLELISM = 8;

    static {
        Natives.prepare(); // JavaCPP's cache in /tmp, before anything loads FFmpeg
        System.setProperty("java.awt.headless", "true"); // poster and storyboard use the JDK's imaging, no display
    }

    private final Transcoder transcoder;
    private final FfmpegPipeline pipeline;
    private final Duration margin;
    private final Runnable exitProcess;
    private final Clock clock;
    private final Metrics metrics;

    public TranscodeHandler() {
        this(Env.system());
    }

    public TranscodeHandler(Env env) {
        this(env, AwsClients.create(env), env.optional("AWS_LAMBDA_RUNTIME_API").isPresent()
                ? () -> Runtime.getRuntime().halt(0) // a stuck FFmpeg thread would keep a System.exit waiting on hooks
                : () -> LOG.warn("transcode.tainted_process_kept", Map.of("why", "not in Lambda: nothing would replace it")));
    }

    TranscodeHandler(Env env, AwsClients clients, Runnable exitProcess) {
        this(env, clients, exitProcess, new EmfMetrics("transcode", System.out, Clock.systemUTC()));
    }

    TranscodeHandler(Env env, AwsClients clients, Runnable exitProcess, Metrics metrics) {
        this.clock = Clock.systemUTC();
        this.metrics = metrics;
        long maxBytes = env.longValue("MAX_UPLOAD_BYTES", 5L << 30);
        int maxDimension = env.integer("TRANSCODE_MAX_DIMENSION", 4096);
        ProbeLimits limits = new ProbeLimits(maxBytes, env.duration("TRANSCODE_MAX_DURATION", Duration.ofHours(2)),
                maxDimension, maxDimension, ProbeLimits.defaults().budget());
        var encoderSettings = FfmpegLadderEncoder.Settings.defaults();
        encoderSettings = new FfmpegLadderEncoder.Settings(env.string("TRANSCODE_PRESET", encoderSettings.preset()),
                encoderSettings.segmentSeconds(), encoderSettings.gopSeconds(), encoderSettings.audioKbps());
        this.pipeline = new FfmpegPipeline(new MediaProbe(limits), new FfmpegLadderEncoder(encoderSettings),
                new OutputPublisher(clients.s3(), env.string("MEDIA_BUCKET"), PUBLISH_PARALLELISM), longVideos(env, clients));
        var settings = new Transcoder.Settings(env.duration("TRANSCODE_STALE_CLAIM_AFTER", Duration.ofMinutes(16)),
                env.integer("TRANSCODE_MAX_ATTEMPTS", 3), maxBytes,
                Path.of(env.string("TRANSCODE_WORK_DIR", System.getProperty("java.io.tmpdir"))));
        this.transcoder = new Transcoder(new DynamoDbVideoStore(clients.dynamoDb(), env.string("VIDEOS_TABLE")), clients.s3(),
                pipeline, settings, clock);
        this.margin = env.duration("TRANSCODE_DEADLINE_MARGIN", Duration.ofSeconds(30));
        this.exitProcess = exitProcess;
    }

    /**
     * The split path (issue #16), when {@code TRANSCODE_STATE_MACHINE_ARN} names the state machine: sources longer than
     * {@code TRANSCODE_SPLIT_ABOVE} (default 8m) go to it in chunks of {@code TRANSCODE_CHUNK_SECONDS} (default 120),
     * growing up to {@code TRANSCODE_MAX_CHUNK_SECONDS} (default 300) to stay within {@code TRANSCODE_MAX_CHUNKS}
     * (default 200).
     */
    private static FfmpegPipeline.LongVideos longVideos(Env env, AwsClients clients) {
        var stateMachine = env.optional("TRANSCODE_STATE_MACHINE_ARN").filter(arn -> !arn.isBlank());
        if (stateMachine.isEmpty()) {
            return null;
        }
        var plan = new SplitPlan.Settings(FfmpegLadderEncoder.Settings.defaults().segmentSeconds(),
                env.duration("TRANSCODE_SPLIT_ABOVE", Duration.ofMinutes(8)).toSeconds(),
                env.integer("TRANSCODE_CHUNK_SECONDS", 120), env.integer("TRANSCODE_MAX_CHUNK_SECONDS", 300),
                env.integer("TRANSCODE_MAX_CHUNKS", 200));
        SfnClient stepFunctions = clients.build(SfnClient.builder(),
                env.optional("AWS_ENDPOINT_URL_SFN").filter(url -> !url.isBlank()).map(java.net.URI::create));
        return new FfmpegPipeline.LongVideos(plan, new LongVideoStarter(stepFunctions, stateMachine.get()));
    }

    /** @return a summary of what became of each record, e.g. {@code "READY"} (for logs and {@code sam local invoke}) */
    @Override
    public String handleRequest(S3Event event, Context context) {
        List<S3EventNotificationRecord> records = event == null || event.getRecords() == null ? List.of() : event.getRecords();
        Map<String, String> outcomes = new LinkedHashMap<>();
        // A redelivered event of a killed attempt takes its stale claim over and finishes the work: spare its videos.
        transcoder.sweepAbandoned(records.stream().map(UploadedObject::from).flatMap(java.util.Optional::stream)
                .map(UploadedObject::videoId).collect(java.util.stream.Collectors.toSet()));
        RuntimeException firstFailure = null;
        for (S3EventNotificationRecord record : records) {
            var upload = UploadedObject.from(record);
            if (upload.isEmpty()) {
                String key = record == null || record.getS3() == null || record.getS3().getObject() == null ? null
                        : record.getS3().getObject().getKey();
                LOG.info("transcode.ignored", Map.of("key", String.valueOf(key),
                        "event", String.valueOf(record == null ? null : record.getEventName())));
                outcomes.put(String.valueOf(key), "IGNORED");
                continue;
            }
            try {
                long started = System.nanoTime();
                Transcoder.Outcome outcome = transcoder.process(upload.get(), deadline(context));
                outcomes.put(upload.get().videoId(), outcome.name());
                count(outcome, Duration.ofNanos(System.nanoTime() - started));
            } catch (RuntimeException e) {
                metrics.count("TranscodeRetried");
                outcomes.put(upload.get().videoId(), "RETRY");
                if (firstFailure == null) {
                    firstFailure = e;
                } else {
                    firstFailure.addSuppressed(e);
                }
            }
        }
        if (pipeline.processTainted()) {
            LOG.warn("transcode.process_tainted", Map.of("why", "the probe abandoned FFmpeg on a hostile file", "outcomes", outcomes));
            exitProcess.run();
        }
        if (firstFailure != null) {
            throw firstFailure;
        }
        return outcomes.toString();
    }

    /** The dashboard's transcode panel and its failure alarm: outcomes, and how long the finished ones took. */
    private void count(Transcoder.Outcome outcome, Duration took) {
        switch (outcome) {
            case READY -> metrics.count("TranscodeReady");
            case FAILED -> metrics.count("TranscodeFailed");
            case SKIPPED -> {
                return;
            }
            case SPLIT -> {
                metrics.count("TranscodeSplit"); // its READY or FAILED is counted by the state machine's last task
                return;
            }
        }
        metrics.record("TranscodeSeconds", took.toMillis() / 1000.0, "Seconds");
    }

    private Instant deadline(Context context) {
        Instant now = clock.instant();
        if (context == null) {
            return now.plus(Duration.ofMinutes(15)).minus(margin);
        }
        return now.plusMillis(context.getRemainingTimeInMillis()).minus(margin);
    }
}
