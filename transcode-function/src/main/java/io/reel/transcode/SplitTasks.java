package io.reel.transcode;

import com.fasterxml.jackson.databind.JsonNode;
import io.reel.core.Json;
import io.reel.core.log.JsonLog;
import io.reel.core.port.VideoStore;
import io.reel.transcode.encode.FfmpegLadderEncoder;
import io.reel.transcode.encode.LadderPlan;
import io.reel.transcode.encode.MasterPlaylist;
import io.reel.transcode.encode.RungStitch;
import io.reel.transcode.encode.StitchOutputs;
import io.reel.transcode.probe.SafeOpen;
import io.reel.transcode.split.SplitJob;
import io.reel.transcode.split.SplitPlan;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The steps of a long video's execution (issue #16), each one Lambda task:
 * <ol>
 * <li>{@link #chunk}: one chunk's video, every rung, read from the upload by ranged GETs of a presigned URL pinned to
 * the upload's eTag; its files go under the attempt's work prefix and the video's progress moves (chunks done / chunks);</li>
 * <li>{@link #audio}: the whole video's audio, once, in parallel with the chunks;</li>
 * <li>{@link #stitchRung}, one task per rung in parallel: the rung's segments and MP4 from its chunks and the audio
 * (remuxed, never encoded again), published under {@code videos/{id}/};</li>
 * <li>{@link #finish}: the master playlist, the best chunk's poster, the storyboard from every chunk's tiles; then READY
 * under the same claim rules as the one-invocation path;</li>
 * <li>{@link #fail}: FAILED with a sentence made from the error that ended the execution.</li>
 * </ol>
 * Every step can run again (a retry, a redrive, a duplicate execution) and gives the same files and at most one READY.
 */
final class SplitTasks {
    private static final JsonLog LOG = JsonLog.create(SplitTasks.class);
    /** Where progress stands when the chunks are all encoded; the stitch takes the rest. */
    static final int CHUNKS_DONE_PERCENT = 90;
    static final int STARTED_PERCENT = 5;
    static final Duration PRESIGNED_FOR = Duration.ofMinutes(20);
    static final String TOO_LONG = "Processing took too long. Try a shorter video or a lower resolution.";
    static final String OUR_SIDE = "Processing failed for a reason on our side; please upload the video again.";

    /** What one chunk task gives the stitch. */
    record ChunkDone(int index, long firstSlot, long frames, double posterScore, List<Integer> tiles, List<LadderPlan.Output> rungs,
                     List<LadderPlan.Output> mp4, double frameRate) {
    }

    record AudioDone(boolean hasAudio) {
    }

    record Stitched(String status, boolean ready) {
    }

    record Failed(String status, String reason) {
    }

    /** Uploads a folder under {@code videos/{id}/} ({@link OutputPublisher#publish}). */
    @FunctionalInterface
    interface Publisher {
        int publish(String videoId, Path folder) throws IOException;
    }

    private final VideoStore videos;
    private final S3Client s3;
    private final S3Presigner presigner;
    private final String mediaBucket;
    private final FfmpegLadderEncoder.Settings settings;
    private final FfmpegLadderEncoder encoder;
    private final Publisher publisher;
    private final Path workRoot;
    private final Clock clock;
    private final boolean batchDeletes;

    /** @param batchDeletes delete the work files with DeleteObjects (S3), or one by one (S3Proxy refuses the SDK's batch) */
    SplitTasks(VideoStore videos, S3Client s3, S3Presigner presigner, String mediaBucket, FfmpegLadderEncoder.Settings settings,
               Publisher publisher, Path workRoot, Clock clock, boolean batchDeletes) {
        this.batchDeletes = batchDeletes;
        this.videos = videos;
        this.s3 = s3;
        this.presigner = presigner;
        this.mediaBucket = mediaBucket;
        this.settings = settings;
        this.encoder = new FfmpegLadderEncoder(settings);
        this.publisher = publisher;
        this.workRoot = workRoot;
        this.clock = clock;
    }

    ChunkDone chunk(SplitJob job, SplitPlan.Chunk chunk, Instant deadline) throws RejectedInputException, IOException {
        if (chunk == null || chunk.index() < 0 || chunk.index() >= job.chunks()) {
            throw new IllegalArgumentException("Not a chunk of this job: " + chunk);
        }
        requireStillProcessing(job);
        Path work = Files.createTempDirectory(Files.createDirectories(workRoot), "reel-chunk-");
        try {
            URI source = presignedSource(job);
            long start = Math.round(chunk.startSeconds() * 1e6);
            long end = chunk.index() == job.chunks() - 1 ? Long.MAX_VALUE : Math.round(chunk.endSeconds() * 1e6);
            FfmpegLadderEncoder.ChunkEncoded encoded = encoder.encodeChunk(
                    () -> SafeOpen.remote(source, job.demuxer(), Map.of("If-Match", job.eTag())), job.key(), job.description(),
                    new FfmpegLadderEncoder.Span(start, end), work, deadline, percent -> { });
            for (LadderPlan.Output rung : encoded.rungs()) {
                put(job.chunkKey(chunk.index(), rung.name() + ".mp4"), work.resolve(rung.name() + ".mp4"));
            }
            if (encoded.posterScore() >= 0) {
                put(job.chunkKey(chunk.index(), "poster.jpg"), work.resolve("poster.jpg"));
            }
            for (int tile : encoded.tiles()) {
                put(job.chunkKey(chunk.index(), "tiles/" + tile + ".png"), work.resolve("tiles").resolve(tile + ".png"));
            }
            int done = videos.recordChunkDone(job.videoId(), job.eTag(), chunk.index(), clock.instant());
            if (done >= 0) {
                int percent = STARTED_PERCENT + (CHUNKS_DONE_PERCENT - STARTED_PERCENT) * done / job.chunks();
                videos.recordProgressAtLeast(job.videoId(), job.eTag(), Math.min(CHUNKS_DONE_PERCENT, percent), clock.instant());
            }
            LOG.info("transcode.chunk_done", Map.of("videoId", job.videoId(), "chunk", chunk.index(), "of", job.chunks(),
                    "frames", encoded.frames()));
            return new ChunkDone(chunk.index(), encoded.firstSlot(), encoded.frames(), encoded.posterScore(), encoded.tiles(),
                    encoded.rungs(), encoded.mp4(), encoded.frameRate());
        } finally {
            deleteQuietly(work);
        }
    }

    AudioDone audio(SplitJob job, Instant deadline) throws RejectedInputException, IOException {
        requireStillProcessing(job);
        Path work = Files.createTempDirectory(Files.createDirectories(workRoot), "reel-audio-");
        try {
            URI source = presignedSource(job);
            Path file = work.resolve("audio.mp4");
            boolean hasAudio = encoder.encodeAudio(() -> SafeOpen.remote(source, job.demuxer(), Map.of("If-Match", job.eTag())),
                    file, deadline);
            if (hasAudio) {
                put(job.audioKey(), file);
            }
            return new AudioDone(hasAudio);
        } finally {
            deleteQuietly(work);
        }
    }

    /**
     * One rung's stitch, a task of its own so the rungs are stitched in parallel: its chunks read by ranged GETs (never
     * copied here); its HLS written, published and removed; then its MP4, when it has one, likewise. {@code /tmp}
     * holds the larger of the two, for one rung.
     *
     * @return the rung's measured playlist facts for the master playlist, or null when the video is no longer ours
     */
    MasterPlaylist.Variant stitchRung(SplitJob job, List<ChunkDone> chunks, AudioDone audio, String rungName, Instant deadline)
            throws RejectedInputException, IOException {
        if (!videos.recordProgressAtLeast(job.videoId(), job.eTag(), CHUNKS_DONE_PERCENT, clock.instant()) && !stillProcessing(job)) {
            LOG.info("transcode.stitch_skipped", Map.of("videoId", job.videoId(), "rung", String.valueOf(rungName),
                    "why", "settled, deleted or replaced"));
            return null;
        }
        List<ChunkDone> ordered = ordered(job, chunks);
        ChunkDone first = ordered.getFirst();
        LadderPlan.Output rung = first.rungs().stream().filter(r -> r.name().equals(rungName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Not a rung of this video: " + rungName));
        Path work = Files.createTempDirectory(Files.createDirectories(workRoot), "reel-stitch-");
        try {
            Path audioFile = audio != null && audio.hasAudio() ? get(job.audioKey(), work.resolve("audio.mp4")) : null;
            List<RungStitch.Part> parts = new ArrayList<>();
            for (ChunkDone chunk : ordered) {
                parts.add(new RungStitch.Part(presigned(mediaBucket, job.chunkKey(chunk.index(), rung.name() + ".mp4"), null)
                        .toString(), chunk.firstSlot()));
            }
            Path stage = Files.createDirectories(work.resolve("rung"));
            MasterPlaylist.Variant variant = RungStitch.hls(settings, rung, first.frameRate(), parts, audioFile, stage.resolve("hls"),
                    job.description().duration().toNanos() / 1e9);
            checkDeadline(deadline);
            publisher.publish(job.videoId(), stage);
            deleteQuietly(stage);
            if (first.mp4().contains(rung)) {
                Files.createDirectories(stage);
                RungStitch.mp4(first.frameRate(), parts, audioFile, stage.resolve(rung.name() + ".mp4"));
                checkDeadline(deadline);
                publisher.publish(job.videoId(), stage);
            }
            LOG.info("transcode.rung_stitched", Map.of("videoId", job.videoId(), "rung", rung.name(),
                    "peakBitsPerSecond", variant.peakBitsPerSecond()));
            return variant;
        } finally {
            deleteQuietly(work);
        }
    }

    /**
     * The last step: the master playlist from every rung's facts, the best chunk's poster and the storyboard from the
     * chunks' tiles, published; then READY (conditional, as in the one-invocation path) and the work files removed.
     *
     * @param variants the rungs' stitch results in ladder order (null entries: a rung's task found the video settled)
     */
    Stitched finish(SplitJob job, List<ChunkDone> chunks, List<MasterPlaylist.Variant> variants, AudioDone audio)
            throws IOException {
        List<ChunkDone> ordered = ordered(job, chunks);
        ChunkDone first = ordered.getFirst();
        if (variants == null || variants.size() != first.rungs().size() || variants.contains(null) || !stillProcessing(job)) {
            LOG.info("transcode.finish_skipped", Map.of("videoId", job.videoId(), "why", "settled, deleted or replaced"));
            deleteWork(job);
            return new Stitched("SETTLED", false);
        }
        Path work = Files.createTempDirectory(Files.createDirectories(workRoot), "reel-finish-");
        try {
            Path out = Files.createDirectories(work.resolve("out"));
            StitchOutputs.master(out, first.rungs(), variants, audio != null && audio.hasAudio(), first.frameRate());
            ChunkDone best = ordered.stream().filter(c -> c.posterScore() >= 0).max(Comparator.comparingDouble(ChunkDone::posterScore))
                    .orElse(null);
            String poster = null;
            if (best != null) {
                get(job.chunkKey(best.index(), "poster.jpg"), out.resolve("poster.jpg"));
                poster = "poster.jpg";
            }
            TreeMap<Integer, BufferedImage> tiles = new TreeMap<>();
            for (ChunkDone chunk : ordered) {
                for (int tile : chunk.tiles()) {
                    Path file = get(job.chunkKey(chunk.index(), "tiles/" + tile + ".png"), work.resolve("tiles").resolve(tile + ".png"));
                    tiles.put(tile, ImageIO.read(file.toFile()));
                }
            }
            String storyboard = StitchOutputs.storyboard(out, tiles, job.description().duration().toNanos() / 1000,
                    first.rungs().getLast(), first.frameRate());
            publisher.publish(job.videoId(), out);
            var encoded = new LadderEncoding.Encoded(FfmpegLadderEncoder.renditions(first.rungs(), first.mp4()), poster, storyboard);
            boolean ready = videos.markReady(job.videoId(), job.eTag(), FfmpegPipeline.outputs(job.videoId(), job.description(), encoded),
                    clock.instant());
            LOG.info(ready ? "transcode.ready" : "transcode.settled_meanwhile", Map.of("videoId", job.videoId(),
                    "chunks", job.chunks(), "renditions", encoded.renditions().size()));
            deleteWork(job);
            return new Stitched(ready ? "READY" : "SETTLED", ready);
        } finally {
            deleteQuietly(work);
        }
    }

    private static List<ChunkDone> ordered(SplitJob job, List<ChunkDone> chunks) {
        List<ChunkDone> ordered = chunks == null ? List.of()
                : chunks.stream().sorted(Comparator.comparingInt(ChunkDone::index)).toList();
        for (int i = 0; i < job.chunks(); i++) {
            if (ordered.size() != job.chunks() || ordered.get(i).index() != i) {
                throw new IllegalArgumentException("The stitch needs chunks 0 to " + (job.chunks() - 1) + ", got "
                        + ordered.stream().map(ChunkDone::index).toList());
            }
        }
        return ordered;
    }

    /**
     * FAILED with a sentence for the uploader, from the error that ended the execution: a rejected input's own
     * reason, a timeout's "took too long", anything else ours. Its files go.
     */
    Failed fail(SplitJob job, JsonNode error) {
        String reason = reason(error);
        boolean written = videos.markFailed(job.videoId(), job.eTag(), reason, clock.instant());
        LOG.info("transcode.split_failed", Map.of("videoId", job.videoId(), "reason", reason, "written", written,
                "error", error == null ? "none" : error.path("Error").asText()));
        deleteWork(job);
        return new Failed(written ? "FAILED" : "SETTLED", reason);
    }

    static String reason(JsonNode error) {
        if (error == null) {
            return OUR_SIDE;
        }
        String type = error.path("Error").asText("");
        if (type.equals(SplitTaskHandler.RejectedInputRuntimeException.class.getName())) {
            try {
                String message = Json.mapper().readTree(error.path("Cause").asText("{}")).path("errorMessage").asText("");
                if (!message.isBlank()) {
                    return message;
                }
            } catch (IOException | RuntimeException unreadable) {
                // fall through to ours
            }
        }
        if (type.equals("States.Timeout") || type.equals("Lambda.Unknown") || type.equals("Sandbox.Timedout")) {
            return TOO_LONG;
        }
        return OUR_SIDE;
    }

    private void requireStillProcessing(SplitJob job) throws RejectedInputException {
        if (!stillProcessing(job)) {
            throw new RejectedInputException("The video was deleted or replaced while it was being processed.");
        }
    }

    private boolean stillProcessing(SplitJob job) {
        // The eTag is checked by every conditional write; this only saves the work for a deleted or settled video.
        return videos.find(job.videoId()).filter(v -> v.status() == io.reel.core.domain.VideoStatus.PROCESSING).isPresent();
    }

    private URI presignedSource(SplitJob job) {
        return presigned(job.bucket(), job.key(), job.eTag());
    }

    /** A GET of one object for FFmpeg's http(s) protocol, by ranged requests; {@code eTag} non-null pins the object. */
    private URI presigned(String bucket, String key, String eTag) {
        return URI.create(presigner.presignGetObject(r -> r.signatureDuration(PRESIGNED_FOR)
                .getObjectRequest(g -> g.bucket(bucket).key(key).ifMatch(eTag))).url().toString());
    }

    private void checkDeadline(Instant deadline) throws RejectedInputException {
        if (clock.instant().isAfter(deadline)) {
            throw new RejectedInputException(TOO_LONG);
        }
    }

    private void put(String key, Path file) {
        s3.putObject(r -> r.bucket(mediaBucket).key(key), RequestBody.fromFile(file));
    }

    private Path get(String key, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        s3.getObject(r -> r.bucket(mediaBucket).key(key), file);
        return file;
    }

    /** Removes the attempt's intermediate files; a failure is left to the bucket's lifecycle rule on {@code work/}. */
    private void deleteWork(SplitJob job) {
        try {
            for (var page : s3.listObjectsV2Paginator(r -> r.bucket(mediaBucket).prefix(job.work()))) {
                List<ObjectIdentifier> keys = page.contents().stream().map(o -> ObjectIdentifier.builder().key(o.key()).build()).toList();
                if (keys.isEmpty()) {
                    continue;
                }
                if (batchDeletes) {
                    s3.deleteObjects(r -> r.bucket(mediaBucket).delete(d -> d.objects(keys).quiet(true)));
                } else {
                    keys.forEach(id -> s3.deleteObject(r -> r.bucket(mediaBucket).key(id.key())));
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("transcode.work_not_deleted", Map.of("videoId", job.videoId(), "prefix", job.work(), "why", String.valueOf(e)));
        }
    }

    private static void deleteQuietly(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    LOG.warn("transcode.cleanup_failed", Map.of("path", path.toString()));
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("transcode.cleanup_failed", Map.of("path", folder.toString()));
        }
    }
}
