package io.reel.transcode.encode;

import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ422P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ444P;
import static org.bytedeco.ffmpeg.global.avutil.av_image_get_buffer_size;

import io.reel.core.domain.Rendition;
import io.reel.core.log.JsonLog;
import io.reel.transcode.LadderEncoding;
import io.reel.transcode.RejectedInputException;
import io.reel.transcode.probe.Description;
import io.reel.transcode.probe.SafeOpen;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntConsumer;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacv.FFmpegFrameFilter;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameFilter;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.FrameRecorder;

/**
 * The production {@link LadderEncoding}: FFmpeg in-process through JavaCV, decoding the source <em>once</em> and
 * encoding every output from that one pass.
 *
 * <p>Written into the output folder (keys under {@code videos/{id}/} once published):
 * <pre>
 * hls/master.m3u8                 every rung, with BANDWIDTH, AVERAGE-BANDWIDTH, CODECS, RESOLUTION, FRAME-RATE
 * hls/{rung}.m3u8                 VOD media playlist, 6 s fMP4 segments
 * hls/{rung}/init.mp4, hls/{rung}/segment_00000.m4s …
 * {rung}.mp4                      progressive H.264/AAC, +faststart, at the middle and the top rung
 * poster.jpg                      a representative frame (see PosterPicker)
 * storyboard.jpg, storyboard.vtt  the seek-bar preview (see Storyboard)
 * </pre>
 *
 * <p>The decode thread turns each picture upright ({@link Rotation}), normalises it to limited-range 8-bit yuv420p,
 * packs it once into a {@link SharedFrames} slot and hands it to one {@link OutputWorker} per output, each scaling and
 * running a single-threaded x264 on its own thread. Every output gets an IDR at the first frame at or after each
 * 2 s of <em>source</em> time, so keyframes line up across rungs even for variable frame rates, and segments (6 s)
 * start on them. Frames are placed on the output's 1/fps grid by their source timestamp; frames that would land on
 * a taken slot (sources above 60 fps, jittery phone timestamps) are dropped.
 *
 * <p>Past the deadline the work stops, the outputs are abandoned, and the upload is refused as too long to process.
 */
public final class FfmpegLadderEncoder implements LadderEncoding {
    private static final JsonLog LOG = JsonLog.create(FfmpegLadderEncoder.class);

    /**
     * @param preset         x264's speed/quality trade-off; {@code veryfast} is what the speed goal is measured with
     * @param segmentSeconds HLS segment length (a multiple of the GOP)
     * @param gopSeconds     keyframe interval in source time
     * @param audioKbps      AAC-LC stereo bit rate
     */
    public record Settings(String preset, int segmentSeconds, int gopSeconds, int audioKbps) {
        public Settings {
            if (segmentSeconds < gopSeconds || segmentSeconds % gopSeconds != 0) {
                throw new IllegalArgumentException("Segments must be whole GOPs: " + segmentSeconds + " s / " + gopSeconds + " s");
            }
        }

        public static Settings defaults() {
            return new Settings("veryfast", 6, 2, 128);
        }
    }

    /** Pictures in flight between the decoder and the outputs. */
    private static final int SHARED_PICTURES = 8;
    /** How long the decoder waits for a free picture before deciding an output is stuck. */
    private static final long STUCK_MILLIS = Duration.ofMinutes(5).toMillis();
    private static final long FINISH_MILLIS = Duration.ofMinutes(5).toMillis();
    /** How far ahead of a chunk its decoding starts (from the keyframe at or before that), to place its first frames. */
    static final long PREROLL_MICROS = 1_000_000;

    private final Settings settings;

    public FfmpegLadderEncoder(Settings settings) {
        this.settings = settings;
    }

    @Override
    public Encoded encode(Path source, Description probe, Path outDir, Instant deadline, IntConsumer progress)
            throws RejectedInputException, IOException {
        return new Run(() -> SafeOpen.grabber(source), source.getFileName().toString(), probe, outDir, deadline, progress,
                Span.WHOLE).encode();
    }

    /** Opens the source for one run: a grabber, unstarted, under {@link SafeOpen}'s rules. */
    @FunctionalInterface
    public interface Opener {
        FFmpegFrameGrabber open() throws IOException;
    }

    /**
     * Source time {@code [startMicros, endMicros)} from the source's first timestamp: a chunk of the split path
     * (issue #16), starting on a segment boundary. {@code endMicros} {@link Long#MAX_VALUE}: to the end.
     */
    public record Span(long startMicros, long endMicros) {
        static final Span WHOLE = new Span(0, Long.MAX_VALUE);

        public Span {
            if (startMicros < 0 || endMicros <= startMicros) {
                throw new IllegalArgumentException("A span runs forwards from 0 or later: " + startMicros + " .. " + endMicros);
            }
        }

        boolean whole() {
            return equals(WHOLE);
        }
    }

    /**
     * What {@link #encodeChunk} wrote into its folder: {@code {rung}.mp4} for every rung (video only, timestamps from 0
     * at the chunk's first frame, which is output frame {@code firstSlot} of the whole video), {@code poster.jpg} when
     * a poster sample fell in the chunk, and {@code tiles/{n}.png}, storyboard tile {@code n} of the whole video.
     *
     * @param rungs       the ladder, lowest first (the same for every chunk of a source)
     * @param mp4         the rungs that get a progressive MP4
     * @param frameRate   the output frame rate
     * @param firstSlot   the chunk's first frame on the output's 1/fps grid
     * @param frames      frames encoded (per rung)
     * @param posterScore the poster candidate's score ({@link PosterPicker}), or -1 when the chunk has none
     * @param tiles       the storyboard tiles written, by their index in the whole video
     */
    public record ChunkEncoded(List<LadderPlan.Output> rungs, List<LadderPlan.Output> mp4, double frameRate, long firstSlot,
                               long frames, double posterScore, List<Integer> tiles) {
        public ChunkEncoded {
            rungs = List.copyOf(rungs);
            mp4 = List.copyOf(mp4);
            tiles = List.copyOf(tiles);
        }
    }

    /**
     * Encodes one chunk of the split path: the video of {@code span} into every rung of the same ladder, with the
     * same presets and keyframes at the same source times as {@link #encode} gives the whole video, so the stitched
     * segments are those of a one-invocation encode. The source is sought to shortly before the span and decoded
     * from the keyframe before that (a pre-roll), so a chunk reads only its part of a remote source; its frames are
     * dropped and placed exactly as the whole encode would. No audio: that is encoded once for the whole video
     * ({@link #encodeAudio}).
     *
     * @param probe the whole source's description (its duration places the poster samples and storyboard tiles)
     */
    public ChunkEncoded encodeChunk(Opener source, String name, Description probe, Span span, Path outDir, Instant deadline,
                                    IntConsumer progress) throws RejectedInputException, IOException {
        return new Run(source, name, probe, outDir, deadline, progress, span).encodeChunk();
    }

    /**
     * Encodes the source's audio once, for the whole video, into {@code target} (an AAC-LC stereo MP4 with no video):
     * the same samples, resampling and encoder settings as {@link #encode}'s outputs, so the stitched rungs carry
     * the audio a one-invocation encode would, without a gap or a click at chunk edges.
     *
     * @return false when the source has no audio (nothing is written)
     */
    public boolean encodeAudio(Opener source, Path target, Instant deadline) throws RejectedInputException, IOException {
        FFmpegFrameGrabber grabber = source.open();
        grabber.setSampleMode(FrameGrabber.SampleMode.FLOAT);
        try {
            try {
                grabber.startUnsafe();
            } catch (FrameGrabber.Exception e) {
                throw new RejectedInputException("The video could not be opened for encoding.", e);
            }
            if (grabber.getAudioChannels() <= 0) {
                return false;
            }
            int rate = Audio.configure(grabber);
            try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(target.toFile(), 0, 0, 2)) {
                recorder.setFormat("mp4");
                OutputRecorders.configureAudio(recorder, settings, rate);
                recorder.start();
                Frame frame;
                long checked = System.nanoTime();
                while ((frame = grabAudio(grabber)) != null) {
                    if (frame.samples != null) {
                        recorder.recordSamples(frame.sampleRate, frame.audioChannels, frame.samples[0]);
                    }
                    if (System.nanoTime() - checked > 1_000_000_000L) {
                        checked = System.nanoTime();
                        if (Instant.now().isAfter(deadline)) {
                            throw new RejectedInputException(String.format(Locale.ROOT, "Processing took too long: the "
                                    + "audio was stopped at %s of the video's %s.", clock(grabber.getTimestamp()),
                                    clock(grabber.getLengthInTime())));
                        }
                    }
                }
                recorder.stop();
            }
            return true;
        } catch (FrameRecorder.Exception e) {
            throw new IOException("FFmpeg failed while encoding the audio: " + e.getMessage(), e);
        } finally {
            try {
                grabber.releaseUnsafe();
            } catch (FrameGrabber.Exception e) {
                LOG.warn("encode.close_failed", Map.of("what", "grabber", "why", String.valueOf(e.getMessage())));
            }
        }
    }

    private static Frame grabAudio(FFmpegFrameGrabber grabber) throws RejectedInputException {
        try {
            return grabber.grabFrame(true, false, true, false, false);
        } catch (FrameGrabber.Exception e) {
            throw new RejectedInputException(String.format(Locale.ROOT,
                    "The video is damaged and could not be read past %s.", clock(grabber.getTimestamp())), e);
        }
    }

    /** The audio every output gets: stereo, at the source's rate when AAC takes it as it is. */
    static final class Audio {
        private Audio() {
        }

        /**
         * Sets the grabber's resampler; returns the sample rate. JavaCV 1.5.11-1.5.12's recordSamples() gives
         * swresample the output layout as the input layout, so mono or 5.1 breaks AAC ("Input contains NaN"); the
         * grabber's own resampler is right: it delivers stereo.
         */
        static int configure(FFmpegFrameGrabber grabber) {
            int rate = grabber.getSampleRate();
            grabber.setAudioChannels(2);
            grabber.setSampleRate(rate == 44100 || rate == 48000 ? rate : 48000);
            return grabber.getSampleRate();
        }
    }

    /** One encode's state. */
    private final class Run {
        private final Opener opener;
        private final String source;
        private final Span span;
        private final boolean whole;
        private final Description probe;
        private final Path out;
        private final Instant deadline;
        private final IntConsumer progress;
        private int reportedPercent = -1;
        private final List<OutputWorker> workers = new ArrayList<>();
        private final List<OutputWorker> decodeFed = new ArrayList<>(); // the outputs that read the decoder's pictures
        private SharedFrames cascadePictures; // the middle rung's pictures, for the rungs below it; null: no cascade
        private FFmpegFrameGrabber grabber;
        private FFmpegFrameFilter prepare; // rotation, range, pixel format; null when the decoder's pictures need none
        private SharedFrames pictures;
        private LadderPlan plan;
        private long framesIn;
        private long framesOut;
        private long framesDropped;
        private long firstSlot = -1; // the first encoded frame's slot
        private PosterPicker poster;
        private Storyboard storyboard;

        Run(Opener opener, String source, Description probe, Path out, Instant deadline, IntConsumer progress, Span span) {
            this.opener = opener;
            this.source = source;
            this.span = span;
            this.whole = span.whole();
            this.probe = probe;
            this.out = out;
            this.deadline = deadline;
            this.progress = progress;
        }

        Encoded encode() throws RejectedInputException, IOException {
            long started = System.nanoTime();
            boolean completed = false;
            try {
                open();
                long durationMicros = probe.duration().toNanos() / 1000;
                poster = new PosterPicker(durationMicros);
                try (Storyboard storyboard = new Storyboard(durationMicros, plan.top().width(), plan.top().height(), plan.frameRate())) {
                    this.storyboard = storyboard;
                    decodeAll(poster, storyboard);
                    finishOutputs(true);
                    // The MP4s are their HLS rungs' packets, remuxed: each rung is encoded once.
                    for (LadderPlan.Output mp4 : plan.mp4()) {
                        Path file = out.resolve(mp4.name() + ".mp4");
                        Mp4Remux.fromHls(out.resolve("hls"), mp4.name(), file);
                        FinishedFiles.requireFaststartMp4(file);
                    }
                    for (LadderPlan.Output rung : plan.hls()) {
                        Path playlist = out.resolve("hls").resolve(rung.name() + ".m3u8");
                        FinishedFiles.requireEndedPlaylist(playlist);
                        MasterPlaylist.correctLastSegment(playlist, probe.duration().toNanos() / 1e9, 1 / plan.frameRate());
                    }
                    completed = true;
                    double encodeSeconds = (System.nanoTime() - started) / 1e9;
                    if (poster.hasPicture()) {
                        poster.write(out.resolve("poster.jpg"), plan.top().width(), plan.top().height());
                    }
                    boolean hasStoryboard = storyboard.write(out);
                    MasterPlaylist.write(out.resolve("hls"), plan.hls(), hasAudio(), plan.frameRate());
                    log(encodeSeconds, (System.nanoTime() - started) / 1e9, poster, storyboard);
                    return new Encoded(renditions(), poster.hasPicture() ? "poster.jpg" : null,
                            hasStoryboard ? Storyboard.IMAGE : null);
                }
            } catch (FrameGrabber.Exception | FrameFilter.Exception e) {
                throw new IOException("FFmpeg failed while encoding " + source + ": " + e.getMessage(), e);
            } finally {
                if (!completed) {
                    abandonOutputs();
                }
                close();
            }
        }

        ChunkEncoded encodeChunk() throws RejectedInputException, IOException {
            boolean completed = false;
            try {
                open();
                if (span.startMicros() > 0) {
                    seekBefore(span.startMicros());
                }
                long durationMicros = probe.duration().toNanos() / 1000;
                poster = new PosterPicker(durationMicros);
                poster.skipTo(span.startMicros());
                try (Storyboard storyboard = new Storyboard(durationMicros, plan.top().width(), plan.top().height(), plan.frameRate())) {
                    storyboard.skipTo(span.startMicros());
                    decodeAll(poster, storyboard);
                    finishOutputs(true);
                    completed = true;
                    if (poster.hasPicture()) {
                        poster.write(out.resolve("poster.jpg"), plan.top().width(), plan.top().height());
                    }
                    List<Integer> tiles = storyboard.writeTiles(Files.createDirectories(out.resolve("tiles")));
                    LOG.info("encode.chunk_done", Map.of("source", source, "fromSeconds", span.startMicros() / 1e6,
                            "firstSlot", firstSlot, "framesOut", framesOut, "framesDropped", framesDropped, "tiles", tiles.size()));
                    return new ChunkEncoded(plan.hls(), plan.mp4(), plan.frameRate(), firstSlot, framesOut,
                            poster.hasPicture() ? poster.score() : -1, tiles);
                }
            } catch (FrameGrabber.Exception | FrameFilter.Exception e) {
                throw new IOException("FFmpeg failed while encoding " + source + ": " + e.getMessage(), e);
            } finally {
                if (!completed) {
                    abandonOutputs();
                }
                close();
            }
        }

        /**
         * Seeks to the keyframe at or before a pre-roll ahead of {@code micros}; the frames from there to the span
         * are decoded (a keyframe's dependants need it) and only counted for the frame-dropping rule.
         */
        private void seekBefore(long micros) throws RejectedInputException {
            try {
                grabber.setTimestamp(Math.max(0, micros - PREROLL_MICROS), false);
            } catch (FrameGrabber.Exception e) {
                throw new RejectedInputException(String.format(Locale.ROOT, "The video could not be read at %s.",
                        clock(micros)), e);
            }
        }

        private boolean hasAudio() {
            return grabber.getAudioChannels() > 0;
        }

        // ------------------------------------------------------------------ opening and planning

        private void open() throws IOException, RejectedInputException {
            grabber = opener.open();
            grabber.setImageMode(FrameGrabber.ImageMode.RAW); // the decoder's own pictures, converted once below
            grabber.setSampleMode(FrameGrabber.SampleMode.FLOAT); // interleaved float
            try {
                grabber.startUnsafe(); // start() would hold JavaCV's JVM-wide lock for the whole open
            } catch (FrameGrabber.Exception e) {
                throw new RejectedInputException("The video could not be opened for encoding.", e);
            }
            AVFormatContext format = grabber.getFormatContext();
            AVStream video = format.streams(grabber.getVideoStream());
            int codedWidth = grabber.getImageWidth();
            int codedHeight = grabber.getImageHeight();
            int pixelFormat = grabber.getPixelFormat();
            boolean fullRange = video.codecpar().color_range() == AVCOL_RANGE_JPEG || pixelFormat == AV_PIX_FMT_YUVJ420P
                    || pixelFormat == AV_PIX_FMT_YUVJ422P || pixelFormat == AV_PIX_FMT_YUVJ444P;
            String rotation = Rotation.filterFor(video);
            boolean swap = Rotation.swapsSides(rotation);
            double pixelAspect = grabber.getAspectRatio() > 0 ? grabber.getAspectRatio() : 1.0;
            double width = codedWidth * pixelAspect;
            double height = codedHeight;
            plan = LadderPlan.plan(swap ? height : width, swap ? width : height, probe.baseFrameRate());
            int frameWidth = swap ? codedHeight : codedWidth;
            int frameHeight = swap ? codedWidth : codedHeight;

            if (hasAudio()) {
                Audio.configure(grabber);
            }

            List<String> steps = new ArrayList<>();
            if (rotation != null) {
                steps.add(rotation);
            }
            if (fullRange) {
                // JavaCV's buffer source passes no colour range, and lavfi then takes yuvj420p as limited: say it.
                steps.add("scale=in_range=full:out_range=limited");
            }
            if (pixelFormat != AV_PIX_FMT_YUV420P || fullRange) {
                steps.add("format=yuv420p"); // 10-bit, 4:2:2, 4:4:4 and full-range sources become 8-bit 4:2:0
            }
            if (!steps.isEmpty()) {
                prepare = filter(String.join(",", steps), codedWidth, codedHeight, pixelFormat);
            }

            OutputRecorders recorders = new OutputRecorders(settings, out, plan, whole && hasAudio() ? grabber.getSampleRate() : 0);
            if (whole) {
                Files.createDirectories(out.resolve("hls"));
            }
            List<LadderPlan.Output> rungs = plan.hls();
            List<LadderPlan.Output> fromDecoder = rungs;
            OutputWorker.Downstream cascade = null;
            if (rungs.size() >= 3) {
                // The rungs below the second-highest are scaled from its picture, not the decoder's: a third of the
                // scaling cost (0.30 -> 0.19 CPU-s per 1080p30 source second), the same quality (SSIM within 0.001).
                LadderPlan.Output middle = rungs.get(rungs.size() - 2);
                cascadePictures = new SharedFrames(SHARED_PICTURES,
                        av_image_get_buffer_size(AV_PIX_FMT_YUV420P, middle.width(), middle.height(), 1));
                List<OutputWorker> below = new ArrayList<>();
                for (LadderPlan.Output rung : rungs.subList(0, rungs.size() - 2)) {
                    below.add(startWorker(rung, whole ? recorders.hls(rung) : recorders.chunk(rung), middle.width(),
                            middle.height(), null));
                }
                cascade = new OutputWorker.Downstream(cascadePictures, below, STUCK_MILLIS);
                fromDecoder = rungs.subList(rungs.size() - 2, rungs.size());
            }
            for (LadderPlan.Output rung : fromDecoder) {
                boolean middle = cascade != null && rung.equals(rungs.get(rungs.size() - 2));
                decodeFed.add(startWorker(rung, whole ? recorders.hls(rung) : recorders.chunk(rung), frameWidth, frameHeight,
                        middle ? cascade : null));
            }
            pictures = new SharedFrames(SHARED_PICTURES, av_image_get_buffer_size(AV_PIX_FMT_YUV420P, frameWidth, frameHeight, 1));
        }

        private FFmpegFrameFilter filter(String graph, int width, int height, int pixelFormat) throws FrameFilter.Exception {
            FFmpegFrameFilter filter = new FFmpegFrameFilter(graph, width, height);
            filter.setPixelFormat(pixelFormat);
            filter.setFrameRate(plan.frameRate());
            filter.start();
            return filter;
        }

        /** Starts one output reading pictures of {@code inputWidth}x{@code inputHeight}; {@code downstream} takes its own. */
        private OutputWorker startWorker(LadderPlan.Output output, FFmpegFrameRecorder recorder, int inputWidth, int inputHeight,
                                         OutputWorker.Downstream downstream) throws IOException {
            FFmpegFrameFilter scaler = null;
            try {
                recorder.start();
                if (output.width() != inputWidth || output.height() != inputHeight) {
                    scaler = filter("scale=" + output.width() + ":" + output.height() + ":flags=bicubic",
                            inputWidth, inputHeight, AV_PIX_FMT_YUV420P);
                }
            } catch (FrameRecorder.Exception | FrameFilter.Exception e) {
                try {
                    recorder.release();
                } catch (FrameRecorder.Exception ignored) {
                    // the start failure is the one to report
                }
                throw new IOException("Could not start the " + output.name() + " output: " + e.getMessage(), e);
            }
            OutputWorker worker = new OutputWorker("encode-" + output.name(), recorder, scaler,
                    KeyframeForcer.available() ? new KeyframeForcer(recorder) : null, downstream);
            workers.add(worker);
            worker.start();
            return worker;
        }

        // ------------------------------------------------------------------ the one decode pass

        private void decodeAll(PosterPicker poster, Storyboard storyboard) throws RejectedInputException, IOException {
            AVFormatContext format = grabber.getFormatContext();
            long startMicros = format.start_time() != AV_NOPTS_VALUE ? format.start_time() : 0;
            long gopMicros = settings.gopSeconds() * 1_000_000L;
            long nextKeyframeMicros = span.startMicros();
            long lastSlot = -1;
            double frameRate = plan.frameRate();
            long durationMicros = Math.max(1, Math.min(span.endMicros(), probe.duration().toNanos() / 1000) - span.startMicros());
            try (PackedImage packed = new PackedImage()) {
                while (true) {
                    checkDeadline();
                    checkWorkers();
                    Frame frame = grab();
                    if (frame == null) {
                        break;
                    }
                    if (whole && frame.type == Frame.Type.AUDIO && frame.samples != null) {
                        // The grabber reuses its buffers: one copy, shared read-only by every output.
                        FloatBuffer samples = (FloatBuffer) frame.samples[0];
                        float[] copy = new float[samples.remaining()];
                        samples.duplicate().get(copy);
                        for (OutputWorker worker : workers) {
                            worker.audio(copy, frame.sampleRate, frame.audioChannels);
                        }
                        continue;
                    }
                    if (frame.type != Frame.Type.VIDEO || frame.image == null || !(frame.opaque instanceof AVFrame decoded)) {
                        continue;
                    }
                    long micros = frame.timestamp - startMicros;
                    if (micros >= span.endMicros()) {
                        break; // the next chunk's (decoded frames come in presentation order)
                    }
                    long slot = Math.max(0, Math.round(micros * frameRate / 1e6));
                    if (micros < span.startMicros()) {
                        lastSlot = Math.max(lastSlot, slot); // the pre-roll: placed, so the span's first frames are too
                        continue;
                    }
                    framesIn++;
                    if (slot <= lastSlot) {
                        framesDropped++;
                        continue;
                    }
                    lastSlot = slot;
                    if (firstSlot < 0) {
                        firstSlot = whole ? 0 : slot; // the whole video keeps its own timestamps; a chunk starts at 0
                    }
                    Frame picture = packed.pack(decoded);
                    if (prepare != null) {
                        prepare.push(picture, packed.pixelFormat());
                        picture = prepare.pullImage(); // packed yuv420p (its setpts=N timestamps are not used)
                    }
                    poster.offer(picture, micros);
                    storyboard.offer(picture, micros);
                    report(micros - span.startMicros(), durationMicros);
                    boolean keyframe = micros >= nextKeyframeMicros;
                    if (keyframe) {
                        nextKeyframeMicros = (Math.max(micros, 0) / gopMicros + 1) * gopMicros;
                    }
                    SharedFrames.Picture shared = pictures.acquire(decodeFed.size(), STUCK_MILLIS);
                    if (shared == null) {
                        checkWorkers();
                        throw new IOException("No output took a picture for " + STUCK_MILLIS / 1000 + " s");
                    }
                    shared.copyFrom(picture);
                    for (OutputWorker worker : decodeFed) {
                        worker.video(shared, slot - firstSlot, keyframe);
                    }
                    framesOut++;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted while encoding", e);
            } catch (FrameFilter.Exception e) {
                throw new IOException("Preparing a picture failed: " + e.getMessage(), e);
            }
            if (framesOut == 0) {
                throw new RejectedInputException("No picture of the video could be decoded.");
            }
        }

        /** Tells the listener each whole percent of the source decoded; its failures are not the encode's. */
        private void report(long micros, long durationMicros) {
            int percent = (int) Math.max(0, Math.min(100, micros * 100 / durationMicros));
            if (percent > reportedPercent) {
                reportedPercent = percent;
                try {
                    progress.accept(percent);
                } catch (RuntimeException e) {
                    LOG.warn("encode.progress_listener_failed", Map.of("why", String.valueOf(e)));
                }
            }
        }

        private Frame grab() throws RejectedInputException {
            try {
                return whole ? grabber.grab() : grabber.grabFrame(false, true, true, false, false);
            } catch (FrameGrabber.Exception e) {
                throw new RejectedInputException(String.format(Locale.ROOT,
                        "The video is damaged and could not be read past %s.", clock(grabber.getTimestamp())), e);
            }
        }

        private void checkDeadline() throws RejectedInputException {
            if (Instant.now().isAfter(deadline)) {
                throw new RejectedInputException(String.format(Locale.ROOT,
                        "Processing took too long: it was stopped at %s of the video's %s. Try a shorter video or a "
                                + "lower resolution.", clock(grabber.getTimestamp()), clock(probe.duration().toNanos() / 1000)));
            }
        }

        private void checkWorkers() throws IOException {
            for (OutputWorker worker : workers) {
                if (worker.failed()) {
                    try {
                        worker.finish(false, FINISH_MILLIS);
                    } catch (Exception e) {
                        throw new IOException("The " + worker.getName() + " output failed: " + e.getMessage(), e);
                    }
                }
            }
        }

        /**
         * Ends every output and waits for each: first those the decoder feeds (in parallel), so the middle rung hands
         * on its last pictures, then the rungs below it (in parallel).
         */
        private void finishOutputs(boolean complete) throws IOException {
            List<OutputWorker> below = workers.stream().filter(worker -> !decodeFed.contains(worker)).toList();
            List<Exception> failures = new ArrayList<>();
            finish(decodeFed.stream().filter(workers::contains).toList(), complete, failures);
            finish(below, complete, failures);
            // One still running (stuck past the timeout) may yet read a shared picture: it stays listed, and close()
            // then leaves the pictures' memory alone.
            workers.removeIf(worker -> !worker.isAlive());
            decodeFed.removeIf(worker -> !worker.isAlive());
            if (!failures.isEmpty()) {
                IOException first = (IOException) failures.getFirst();
                failures.stream().skip(1).forEach(first::addSuppressed);
                throw first;
            }
        }

        private void finish(List<OutputWorker> group, boolean complete, List<Exception> failures) throws IOException {
            List<Thread> finishers = new ArrayList<>();
            for (OutputWorker worker : group) {
                finishers.add(Thread.ofPlatform().daemon().name(worker.getName() + "-finish").start(() -> {
                    try {
                        worker.finish(complete, FINISH_MILLIS);
                    } catch (Exception e) {
                        synchronized (failures) {
                            failures.add(new IOException("The " + worker.getName() + " output failed: " + e.getMessage(), e));
                        }
                    }
                }));
            }
            try {
                for (Thread finisher : finishers) {
                    finisher.join();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted while finishing the outputs", e);
            }
        }

        /** After a failure: stop every output without writing trailers; the caller deletes the folder. */
        private void abandonOutputs() {
            try {
                finishOutputs(false);
            } catch (IOException e) {
                LOG.warn("encode.abandon_failed", Map.of("why", String.valueOf(e.getMessage())));
            }
        }

        private void close() {
            if (prepare != null) {
                try {
                    prepare.close();
                } catch (Exception e) {
                    LOG.warn("encode.close_failed", Map.of("what", "prepare filter", "why", String.valueOf(e.getMessage())));
                }
            }
            if (workers.isEmpty()) { // a worker still alive may read a picture: leak rather than crash
                if (pictures != null) {
                    pictures.close();
                }
                if (cascadePictures != null) {
                    cascadePictures.close();
                }
            }
            if (grabber != null) {
                try {
                    grabber.releaseUnsafe();
                } catch (FrameGrabber.Exception e) {
                    LOG.warn("encode.close_failed", Map.of("what", "grabber", "why", String.valueOf(e.getMessage())));
                }
            }
        }

        // ------------------------------------------------------------------ results

        private List<Rendition> renditions() {
            return FfmpegLadderEncoder.renditions(plan.hls(), plan.mp4());
        }

        private void log(double encodeSeconds, double totalSeconds, PosterPicker poster, Storyboard storyboard) {
            double sourceSeconds = probe.duration().toNanos() / 1e9;
            Map<String, Object> context = new LinkedHashMap<>();
            context.put("source", probe.container() + " " + probe.videoCodec() + " " + probe.width() + "x" + probe.height());
            context.put("plan", plan.toString());
            context.put("sourceSeconds", round(sourceSeconds));
            context.put("encodeSeconds", round(encodeSeconds));
            context.put("totalSeconds", round(totalSeconds));
            context.put("realtimeFactor", round(sourceSeconds / Math.max(totalSeconds, 1e-3)));
            context.put("framesIn", framesIn);
            context.put("framesOut", framesOut);
            context.put("framesDropped", framesDropped);
            context.put("keyframes", KeyframeForcer.available() ? "forced on source time" : "fixed GOP");
            context.put("poster", poster.chosen());
            context.put("storyboardTiles", storyboard.tiles());
            LOG.info("encode.done", context);
        }
    }

    /** Every HLS rung (key: its playlist) and progressive MP4 of a ladder, keys relative to {@code videos/{id}/}. */
    public static List<Rendition> renditions(List<LadderPlan.Output> hls, List<LadderPlan.Output> mp4) {
        List<Rendition> renditions = new ArrayList<>();
        for (LadderPlan.Output rung : hls) {
            renditions.add(new Rendition(rung.name(), Rendition.Kind.HLS, rung.width(), rung.height(), rung.videoKbps(),
                    "hls/" + rung.name() + ".m3u8"));
        }
        for (LadderPlan.Output file : mp4) {
            renditions.add(new Rendition(file.name(), Rendition.Kind.MP4, file.width(), file.height(), file.videoKbps(),
                    file.name() + ".mp4"));
        }
        return renditions;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    /** {@code m:ss} or {@code h:mm:ss}. */
    static String clock(long micros) {
        long seconds = Math.max(0, micros / 1_000_000);
        return seconds >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }
}
