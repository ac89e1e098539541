package io.reel.transcode.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.reel.transcode.probe.ProbeResult.Reason;
import io.reel.transcode.probe.ProbeResult.Refused;
import io.reel.transcode.probe.ProbeResult.TimedOut;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The probe on real files that ffmpeg makes ({@link TestMedia}): every accepted shape and what is reported about it,
 * every refusal and the uploader's message, and what bounds the time a probe takes.
 */
class MediaProbeIT {

    private static final MediaProbe PROBE = new MediaProbe(ProbeLimits.defaults());
    private static final ContainerSniffer.Sniff MP4 = new ContainerSniffer.Sniff("mov", "MP4");
    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    @TempDir
    static Path inputs;
    private static TestMedia media;

    @TempDir
    Path tmp;

    @BeforeAll
    static void makeInputsOnFirstUse() {
        media = TestMedia.in(inputs);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # file                    | container                | seconds | codec | size    | rot | shows   | fps    | base | vfr   | measured | pixels  | audio
            normal_16x9_audio.mp4     | MP4 (brand isom)         | 3.000   | h264  | 640x360 | 0   | 640x360 | 30.000 | 30   | false | false    | yuv420p | aac 2ch 44100 Hz
            one_second.mp4            | MP4 (brand isom)         | 1.000   | h264  | 320x180 | 0   | 320x180 | 30.000 | 30   | false | false    | yuv420p | aac 1ch 44100 Hz
            no_audio.mp4              | MP4 (brand isom)         | 2.000   | h264  | 320x180 | 0   | 320x180 | 30.000 | 30   | false | false    | yuv420p | none
            normal.mov                | QuickTime MOV (brand qt) | 2.000   | h264  | 320x180 | 0   | 320x180 | 30.000 | 30   | false | false    | yuv420p | aac 1ch 44100 Hz
            normal.mkv                | Matroska                 | 2.008   | h264  | 320x180 | 0   | 320x180 | 30.000 | 30   | false | false    | yuv420p | opus 1ch 48000 Hz
            portrait_cw90.mp4         | MP4 (brand isom)         | 2.000   | h264  | 320x180 | 90  | 180x320 | 30.000 | 30   | false | false    | yuv420p | aac 1ch 44100 Hz
            portrait_ccw90.mp4        | MP4 (brand isom)         | 2.000   | h264  | 320x180 | 270 | 180x320 | 30.000 | 30   | false | false    | yuv420p | aac 1ch 44100 Hz
            square_1x1.mp4            | MP4 (brand isom)         | 2.000   | h264  | 360x360 | 0   | 360x360 | 30.000 | 30   | false | false    | yuv420p | none
            odd_853x479.webm          | WebM                     | 1.000   | vp9   | 853x479 | 0   | 853x479 | 30.000 | 30   | false | false    | yuv420p | none
            odd_853x479_yuv444.mp4    | MP4 (brand isom)         | 1.000   | h264  | 853x479 | 0   | 853x479 | 30.000 | 30   | false | false    | yuv444p | none
            vfr.mp4                   | MP4 (brand isom)         | 6.933   | h264  | 320x180 | 0   | 320x180 | 12.981 | 30   | true  | false    | yuv420p | none
            streamed_no_duration.webm | WebM                     | 2.000   | vp9   | 320x180 | 0   | 320x180 | 30.000 | 30   | false | true     | yuv420p | none
            """)
    void probe_ofAnAcceptedVideo_describesIt(String file, String container, double seconds, String codec, String size,
                                              int rotation, String shows, double fps, double baseFps, boolean vfr,
                                              boolean measured, String pixelFormat, String audio) {
        Description video = accepted(PROBE.probe(media.get(file)));

        assertThat(video.container()).isEqualTo(container);
        assertThat(video.duration().toNanos() / 1e9).isCloseTo(seconds, within(0.02));
        assertThat(video.durationMeasured()).as("duration measured from timestamps").isEqualTo(measured);
        assertThat(video.videoCodec()).isEqualTo(codec);
        assertThat(video.width() + "x" + video.height()).isEqualTo(size);
        assertThat(video.rotationClockwise()).isEqualTo(rotation);
        assertThat(video.displayWidth() + "x" + video.displayHeight()).as("displayed size").isEqualTo(shows);
        assertThat(video.frameRate()).isCloseTo(fps, within(0.01));
        assertThat(video.baseFrameRate()).isCloseTo(baseFps, within(0.01));
        assertThat(video.variableFrameRate()).as("variable frame rate").isEqualTo(vfr);
        assertThat(video.pixelFormat()).isEqualTo(pixelFormat);
        assertThat(video.hasAudio() ? video.audioCodec() + " " + video.audioChannels() + "ch " + video.audioSampleRate() + " Hz"
                : "none").isEqualTo(audio);
        assertThat(video.sizeBytes()).isEqualTo(size(media.get(file)));
    }

    @Test
    void probe_ofAnMp4_reportsItsBitRate() {
        assertThat(accepted(PROBE.probe(media.get("normal_16x9_audio.mp4"))).bitRate()).isBetween(1_000_000L, 3_000_000L);
    }

    static Stream<Arguments> refusals() {
        String unsupported = ", not a video we can use. Please upload an MP4, MOV, MKV or WebM video.";
        String tooBig = ", which is larger than 4096×4096, the maximum we accept. Please export it at a lower resolution "
                + "(for example 4K or 1080p).";
        String tooLong = "longer than 2 hours, the maximum we accept. Please trim it and upload it again.";
        return Stream.of(
                refusal("audio_only.mp4", Reason.NO_VIDEO_STREAM, "streams=",
                        "No video stream found: this file contains only sound. Please upload a video."),
                refusal("audio_with_cover.mp4", Reason.NO_VIDEO_STREAM, "streams=",
                        "No video stream found: this file contains only sound and a still cover picture. Please upload a video."),
                refusal("zero_bytes.mp4", Reason.EMPTY_FILE, "0 bytes",
                        "The uploaded file is empty (0 bytes). Please upload the video again."),
                refusal("text_file.mp4", Reason.UNSUPPORTED_FORMAT, "first bytes:", "This file is a text file" + unsupported),
                refusal("gif_renamed.mp4", Reason.UNSUPPORTED_FORMAT, "first bytes:", "This file is a GIF image" + unsupported),
                refusal("png_renamed.mp4", Reason.UNSUPPORTED_FORMAT, "first bytes:", "This file is a PNG image" + unsupported),
                refusal("cover.png", Reason.UNSUPPORTED_FORMAT, "first bytes:", "This file is a PNG image" + unsupported),
                refusal("plain.avi", Reason.UNSUPPORTED_FORMAT, "first bytes:", "This file is an AVI video" + unsupported),
                refusal("random_bytes.mp4", Reason.UNSUPPORTED_FORMAT, "first bytes:",
                        "We don't recognise this file as a video. Please upload an MP4, MOV, MKV or WebM video."),
                refusal("truncated_moov_at_end.mp4", Reason.UNREADABLE, "header:",
                        "We couldn't read this video. The file may be damaged or incomplete (for example if the upload was "
                                + "interrupted). Please upload it again, or export it again as MP4."),
                refusal("truncated_after_moov.mp4", Reason.FIRST_FRAME_NOT_DECODABLE, "no picture before end of file",
                        "We couldn't decode the first picture of this video. The file is probably damaged or incomplete "
                                + "(for example if the upload was interrupted). Please upload it again."),
                refusal("too_wide_4100.mp4", Reason.DIMENSIONS_TOO_LARGE, "container header says 4100x64",
                        "This video is 4100×64 pixels" + tooBig),
                // refused from the container header, before JavaCV decodes anything
                refusal("huge_8192x8192.mp4", Reason.DIMENSIONS_TOO_LARGE, "container header says 8192x8192",
                        "This video is 8192×8192 pixels" + tooBig),
                refusal("long_10h_claim.mp4", Reason.TOO_LONG, "duration 36001.000 s",
                        "This video is 10 h 00 min long, which is " + tooLong),
                refusal("long_10h_claim.mkv", Reason.TOO_LONG, "duration 36001.000 s",
                        "This video is 10 h 00 min long, which is " + tooLong),
                // no duration in the header: the packet scan stops as soon as it passes 2 hours
                refusal("long_10h_streamed.mkv", Reason.TOO_LONG, "no duration in header; packet scan passed",
                        "This video is " + tooLong),
                refusal("unknown_codec.mkv", Reason.UNDECODABLE_CODEC, "stream 0 codec_id=0",
                        "The video codec of this file is unknown to us and cannot be decoded. Please export the video with "
                                + "H.264 or H.265 (HEVC), for example as MP4, and upload it again."));
    }

    private static Arguments refusal(String file, Reason reason, String detailStart, String message) {
        return Arguments.of(file, reason, detailStart, message);
    }

    /** {@code detailStart} shows which check refused the file, for the ones whose point is to refuse early. */
    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("refusals")
    void probe_ofAnUnusableFile_refusesItWithAMessageForTheUploader(String file, Reason reason, String detailStart,
                                                                      String message) {
        Refused refused = refused(PROBE.probe(media.get(file)));

        assertThat(refused.reason()).isEqualTo(reason);
        assertThat(refused.message()).isEqualTo(message);
        assertThat(refused.detail()).startsWith(detailStart);
    }

    @Test
    void probe_ofAFileOverTheSizeLimit_refusesItBeforeOpeningIt() {
        MediaProbe smallFilesOnly = new MediaProbe(ProbeLimits.defaults().withMaxFileBytes(100 * 1024));

        Refused refused = refused(smallFilesOnly.probe(media.get("normal_16x9_audio.mp4")));

        assertThat(refused.reason()).isEqualTo(Reason.FILE_TOO_LARGE);
        assertThat(refused.message()).matches("This file is \\d+\\.\\d KB, which is more than the 100\\.0 KB limit\\. "
                + "Please upload a shorter or more compressed video\\.");
    }

    @Test
    void probe_ofASymbolicLink_refusesItWithoutFollowingIt() throws IOException {
        Path link = Files.createSymbolicLink(tmp.resolve("link.mp4"), media.get("one_second.mp4"));

        assertThat(refused(PROBE.probe(link)).reason()).isEqualTo(Reason.NOT_A_REGULAR_FILE);
    }

    @Test
    void probe_ofAFifo_refusesItWithoutOpeningIt() throws Exception {
        // If FFmpeg opened it, the watcher would feed it a good video and the probe would accept it.
        try (FifoWatch fifo = FifoWatch.create(tmp.resolve("fifo.mp4"), media.bytes("one_second.mp4"))) {
            Refused refused = refused(PROBE.probe(tmp.resolve("fifo.mp4")));
            Thread.sleep(50);

            assertThat(refused.reason()).isEqualTo(Reason.NOT_A_REGULAR_FILE);
            assertThat(fifo.opened()).as("FIFO opened").isFalse();
        }
    }

    @Test
    void probe_whileAnotherGrabberHoldsJavaCvsGlobalLock_stillAnswers() throws Exception {
        Path video = media.get("one_second.mp4");
        accepted(PROBE.probe(video)); // loads and initialises the natives before the lock is taken
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch unlock = new CountDownLatch(1);
        // what a start() or close() stuck on hostile input does: hold synchronized(avcodec.class)
        Thread stuck = Thread.ofPlatform().daemon().start(() -> {
            synchronized (avcodec.class) {
                locked.countDown();
                awaitQuietly(unlock);
            }
        });
        locked.await();
        AtomicBoolean naiveStarted = new AtomicBoolean();
        Thread naive = Thread.ofPlatform().daemon().start(() -> {
            try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(video.toFile())) {
                grabber.start();
                naiveStarted.set(true);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            assertThat(PROBE.probe(video)).isInstanceOf(Description.class);

            assertThat(awaitState(naive, Thread.State.BLOCKED)).as("a plain start() waits for the lock").isTrue();
            assertThat(naiveStarted).isFalse();
        } finally {
            unlock.countDown();
            stuck.join();
            naive.join(10_000);
        }
        assertThat(naiveStarted).as("the plain start() once the lock is free").isTrue();
    }

    @Test
    void inspection_whenFfmpegBlocks_answersAtTheBudget_andSaysTheProcessIsTainted() throws Exception {
        // Nothing ever writes to this FIFO, so FFmpeg's open() blocks in the kernel where no callback can reach it.
        // (probe() itself refuses FIFOs; this is the worst case its regular-file check guards against.)
        Path fifo = FifoWatch.makeFifo(tmp.resolve("never_written.mp4"));
        MediaProbe probe = new MediaProbe(ProbeLimits.defaults().withBudget(ONE_SECOND));
        long start = System.nanoTime();

        ProbeResult result = probe.inspectWithinBudget(fifo, MP4, 0);

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        try (OutputStream release = new FileOutputStream(fifo.toFile())) {
            release.flush(); // pairs with the blocked open(); closing gives FFmpeg an end of file and the worker ends
        }
        assertThat(result).isInstanceOfSatisfying(TimedOut.class, timedOut -> {
            assertThat(timedOut.processTainted()).isTrue();
            assertThat(timedOut.message()).startsWith("Reading this file took too long (more than 1 second), so we stopped.");
        });
        assertThat(took).isBetween(ONE_SECOND, Duration.ofMillis(2500));
    }

    @Test
    void inspection_whenReadingIsSlow_stopsFfmpegAtTheDeadline_andTheProcessStaysClean() throws Exception {
        Path fifo = FifoWatch.makeFifo(tmp.resolve("trickle.mp4"));
        Thread trickle = trickle(fifo, media.bytes("normal_16x9_audio.mp4")); // 10 KB/s: 75 s for this file
        MediaProbe probe = new MediaProbe(ProbeLimits.defaults().withBudget(ONE_SECOND));

        ProbeResult result = probe.inspectWithinBudget(fifo, MP4, 0);

        trickle.join(5_000);
        assertThat(result).isInstanceOfSatisfying(TimedOut.class, timedOut -> {
            assertThat(timedOut.processTainted()).as("tainted").isFalse();
            assertThat(timedOut.detail()).isEqualTo("header read stopped at the deadline");
        });
    }

    /** Writes {@code data} into the FIFO 1 KiB every 100 ms, until done or the reader goes away. */
    private static Thread trickle(Path fifo, byte[] data) {
        return Thread.ofPlatform().daemon().name("trickle").start(() -> {
            try (OutputStream out = new FileOutputStream(fifo.toFile())) {
                for (int offset = 0; offset < data.length; offset += 1024) {
                    out.write(data, offset, Math.min(1024, data.length - offset));
                    out.flush();
                    Thread.sleep(100);
                }
            } catch (IOException | InterruptedException readerWentAway) {
                // EPIPE once FFmpeg closed its end: what ends the trickle
            }
        });
    }

    private static Description accepted(ProbeResult result) {
        assertThat(result).as("accepted").isInstanceOf(Description.class);
        return (Description) result;
    }

    private static Refused refused(ProbeResult result) {
        assertThat(result).as("refused").isInstanceOf(Refused.class);
        return (Refused) result;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean awaitState(Thread thread, Thread.State state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (thread.getState() != state && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return thread.getState() == state;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
