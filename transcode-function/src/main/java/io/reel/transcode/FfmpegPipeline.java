package io.reel.transcode;

import io.reel.core.domain.Rendition;
import io.reel.core.domain.VideoIds;
import io.reel.core.port.VideoStore.Outputs;
import io.reel.transcode.probe.Description;
import io.reel.transcode.probe.MediaProbe;
import io.reel.transcode.probe.ProbeResult;
import io.reel.transcode.probe.SafeOpen;
import io.reel.transcode.split.LongVideoStarter;
import io.reel.transcode.split.SplitJob;
import io.reel.transcode.split.SplitPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.IntConsumer;

/**
 * The production {@link MediaPipeline}: {@link MediaProbe} refuses what cannot become a video, {@link LadderEncoding}
 * writes the outputs into the work folder, {@link OutputPublisher} uploads them under {@code videos/{id}/}, and the
 * keys go to the {@code Videos} item. A probe that timed out on a hostile file leaves FFmpeg busy on a thread it
 * cannot stop; {@link #processTainted()} then tells the handler to let this process end after answering.
 */
final class FfmpegPipeline implements MediaPipeline {
    /** Where the progress stands once every output is written, before they are uploaded. */
    static final int ENCODED_PERCENT = 95;
    private final MediaProbe probe;
    private final LadderEncoding encoder;
    private final OutputPublisher publisher;
    private final LongVideos longVideos;
    private volatile boolean processTainted;

    /** Where long videos go (issue #16): the plan's settings and the state machine; null: every video is done here. */
    record LongVideos(SplitPlan.Settings plan, LongVideoStarter starter) {
    }

    FfmpegPipeline(MediaProbe probe, LadderEncoding encoder, OutputPublisher publisher) {
        this(probe, encoder, publisher, null);
    }

    FfmpegPipeline(MediaProbe probe, LadderEncoding encoder, OutputPublisher publisher, LongVideos longVideos) {
        this.probe = probe;
        this.encoder = encoder;
        this.publisher = publisher;
        this.longVideos = longVideos;
    }

    boolean processTainted() {
        return processTainted;
    }

    @Override
    public Result process(UploadedObject upload, int attempt, Path source, Path workDir, Instant deadline, IntConsumer progress)
            throws RejectedInputException, IOException {
        String videoId = upload.videoId();
        Description description = switch (probe.probe(source)) {
            case Description d -> d;
            case ProbeResult.Refused refused -> throw new RejectedInputException(refused.message());
            case ProbeResult.TimedOut timedOut -> {
                processTainted |= timedOut.processTainted();
                throw new RejectedInputException(timedOut.message());
            }
        };
        if (longVideos != null) {
            // The description's duration is one the probe measured or checked against the file's last packets, never a
            // header's claim alone, and the plan has a ceiling on its chunks: a lying file cannot make it explode.
            SplitPlan plan;
            try {
                plan = SplitPlan.plan(description.duration().toNanos() / 1e9, longVideos.plan());
            } catch (SplitPlan.TooLongException e) {
                throw new RejectedInputException(e.getMessage(), e);
            }
            if (plan.mode() == SplitPlan.Mode.SPLIT) {
                SplitJob job = new SplitJob(videoId, upload.eTag(), upload.bucket(), upload.key(), SafeOpen.demuxerOf(source),
                        SplitJob.workPrefix(videoId, attempt), plan.chunks().size(), description);
                return new HandedOver(longVideos.starter().start(job, attempt, plan), plan.chunks().size());
            }
        }
        Path out = Files.createDirectories(workDir.resolve("out"));
        // Encoding is nearly all of the time; publishing takes the last few percent.
        LadderEncoding.Encoded encoded = encoder.encode(source, description, out, deadline,
                percent -> progress.accept(Math.min(ENCODED_PERCENT, percent * ENCODED_PERCENT / 100)));
        progress.accept(ENCODED_PERCENT);
        publisher.publish(videoId, out);
        return new Finished(outputs(videoId, description, encoded));
    }

    /** What the {@code Videos} item records on READY, the files' keys under {@code videos/{id}/}. */
    static Outputs outputs(String videoId, Description description, LadderEncoding.Encoded encoded) {
        String prefix = VideoIds.mediaPrefix(videoId);
        return new Outputs(description.duration(), description.displayWidth(), description.displayHeight(),
                encoded.renditions().stream().map(r -> new Rendition(r.name(), r.kind(), r.width(), r.height(), r.bitrateKbps(),
                        prefix + r.key())).toList(),
                encoded.poster() == null ? null : prefix + encoded.poster(),
                encoded.storyboard() == null ? null : prefix + encoded.storyboard());
    }
}
