package io.reel.transcode.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.reel.transcode.probe.Description;
import io.reel.transcode.probe.MediaProbe;
import io.reel.transcode.probe.ProbeLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The split path's encoder pieces (issue #16) against the one-invocation encode of the same source: chunks of whole
 * segments encoded separately (each sought to with a pre-roll), the audio once, each rung stitched. The stitched
 * folder passes {@link LadderCheck} and has the one-invocation output's segments, frames, keyframes and audio packets.
 * Each subclass is one source: 41 s of 640x360 with stereo audio, chunks of 12 s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SplitStitchCheck {
    private static final FfmpegLadderEncoder ENCODER = new FfmpegLadderEncoder(FfmpegLadderEncoder.Settings.defaults());
    private static final long CHUNK_MICROS = 12_000_000;
    private static final double SECONDS = 41;

    private Path dir;
    private Path source;
    private Description probe;
    private Path single;
    private Path split;
    private List<FfmpegLadderEncoder.ChunkEncoded> chunks;

    /** The source's frame rate as ffmpeg's lavfi takes it ("30", "30000/1001"). */
    abstract String frameRate();

    /** The source's x264 keyframe options. */
    abstract List<String> keyframeOptions();

    @BeforeAll
    void encodeBothWays() throws Exception {
        Ffprobe.requireInstalled();
        dir = Files.createTempDirectory("reel-split-check-");
        source = dir.resolve("source.mp4");
        List<String> command = new java.util.ArrayList<>(List.of("/usr/bin/ffmpeg", "-v", "error", "-f", "lavfi", "-i",
                "testsrc2=s=640x360:r=" + frameRate() + ":d=41", "-f", "lavfi", "-i", "sine=f=440:r=48000:d=41", "-ac", "2",
                "-c:v", "libx264", "-preset", "ultrafast"));
        command.addAll(keyframeOptions());
        command.addAll(List.of("-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "96k", "-shortest", source.toString()));
        Process ffmpeg = new ProcessBuilder(command).inheritIO().start();
        assertThat(ffmpeg.waitFor()).isZero();
        probe = (Description) new MediaProbe(ProbeLimits.defaults()).probe(source);
        Instant deadline = Instant.now().plusSeconds(600);

        single = Files.createDirectories(dir.resolve("single"));
        ENCODER.encode(source, probe, single, deadline);

        split = Files.createDirectories(dir.resolve("split"));
        chunks = LocalSplit.run(ENCODER, FfmpegLadderEncoder.Settings.defaults(), source, probe, CHUNK_MICROS, dir, split,
                deadline).chunks();
        assertThat(split.resolve("poster.jpg")).isRegularFile();
        assertThat(split.resolve("storyboard.jpg")).isRegularFile();
    }

    @org.junit.jupiter.api.AfterAll
    void removeTheFolder() throws Exception {
        if (dir != null) {
            try (var paths = Files.walk(dir)) {
                for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    @Test
    void everyStitchedRungAndMp4_decodesFromStartToEnd_withoutAnError() throws Exception {
        for (Path file : List.of(joined(split, "234p"), joined(split, "360p"), split.resolve("234p.mp4"), split.resolve("360p.mp4"))) {
            Process ffmpeg = new ProcessBuilder("/usr/bin/ffmpeg", "-v", "error", "-xerror", "-i", file.toString(), "-f", "null", "-")
                    .redirectErrorStream(true).start();
            String errors = new String(ffmpeg.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(ffmpeg.waitFor()).as("decoding %s: %s", file.getFileName(), errors).isZero();
            assertThat(errors).as("what the apt ffmpeg said decoding %s", file.getFileName()).isBlank();
        }
    }

    @Test
    void theStitchedFolder_passesTheLadderCheck() throws Exception {
        LadderCheck.Report report = LadderCheck.check(split, LadderCheck.Expect.fromSource(source).withRungs("234p", "360p"));
        assertThat(report.failed()).as(report.toString()).isEmpty();
        assertThat(report.passed()).hasSizeGreaterThan(20);
    }

    @Test
    void everyChunk_startsOnItsSegmentsFirstFrame() {
        double fps = Ffprobe.rate(frameRate());
        assertThat(chunks).hasSize(4);
        for (int i = 0; i < chunks.size(); i++) {
            // The first frame at or after 12 s × i, on the output's grid.
            assertThat(chunks.get(i).firstSlot()).as("chunk %d's first frame", i).isEqualTo((long) Math.ceil(12 * i * fps - 1e-6));
        }
        assertThat(chunks.stream().mapToLong(FfmpegLadderEncoder.ChunkEncoded::frames).sum()).isEqualTo((long) Math.ceil(SECONDS * fps - 1e-6));
    }

    @Test
    void theMediaPlaylists_haveTheOneInvocationSegments() throws Exception {
        for (String rung : List.of("234p", "360p")) {
            List<Double> want = extinfs(single.resolve("hls").resolve(rung + ".m3u8"));
            List<Double> got = extinfs(split.resolve("hls").resolve(rung + ".m3u8"));
            assertThat(got).as("segments of %s", rung).hasSameSizeAs(want).hasSize(7);
            for (int i = 0; i < want.size(); i++) {
                assertThat(got.get(i)).as("%s segment %d's length", rung, i).isCloseTo(want.get(i), within(0.1));
            }
        }
    }

    @Test
    void theHlsRungs_haveTheSameFramesTimesAndKeyframes_andTheAudioTheSamePackets() throws Exception {
        for (String rung : List.of("234p", "360p")) {
            Path want = joined(single, rung);
            Path got = joined(split, rung);
            assertThat(times(Ffprobe.packets(got, "v:0"))).as("video frame times of %s (no gap, no overlap at chunk edges)", rung)
                    .hasSize((int) Math.ceil(SECONDS * Ffprobe.rate(frameRate()) - 1e-6)).isEqualTo(times(Ffprobe.packets(want, "v:0")));
            assertThat(keyframes(Ffprobe.packets(got, "v:0"))).as("keyframes of %s", rung)
                    .isEqualTo(keyframes(Ffprobe.packets(want, "v:0"))).hasSize(21);
            // The same samples through the same encoder: the same packets, continuous across chunk edges.
            assertThat(Ffprobe.packets(got, "a:0")).as("audio packets of %s", rung).hasSizeGreaterThan(1900)
                    .isEqualTo(Ffprobe.packets(want, "a:0"));
        }
    }

    /**
     * The split path's MP4s are remuxed from the chunks themselves (the stitch never holds a rung's HLS and MP4 at
     * once), the one-invocation path's from its fMP4 rung, which carries the fragmented muxer's shift of the B-frame
     * delay (66 ms at 30 fps) on both streams. Relative to each file's first picture, every frame, keyframe and audio
     * packet is the same.
     */
    @Test
    void theMp4s_haveTheSameFramesKeyframesAndAudio_fromTheirFirstPicture() throws Exception {
        for (String mp4 : List.of("234p.mp4", "360p.mp4")) {
            List<String> want = Ffprobe.packets(single.resolve(mp4), "v:0");
            List<String> got = Ffprobe.packets(split.resolve(mp4), "v:0");
            double wantZero = Double.parseDouble(times(want).getFirst());
            double gotZero = Double.parseDouble(times(got).getFirst());
            // To a millisecond: the two files' time bases differ (the fMP4 rung's and the MP4 muxer's own).
            assertClose(shifted(times(got), gotZero), shifted(times(want), wantZero), "video frame times of " + mp4);
            assertClose(shifted(keyframes(got), gotZero), shifted(keyframes(want), wantZero), "keyframes of " + mp4);
            List<String> audioWant = Ffprobe.packets(single.resolve(mp4), "a:0");
            List<String> audioGot = Ffprobe.packets(split.resolve(mp4), "a:0");
            // The two muxers place AAC's priming a millisecond apart (as LadderEncoderIT found for HLS and MP4).
            assertThat(audioGot).as("audio packets of %s", mp4).hasSameSizeAs(audioWant);
            for (int i = 0; i < audioGot.size(); i++) {
                assertThat(Double.parseDouble(audioGot.get(i).split(",")[0]) - gotZero).as("audio packet %d's time in %s", i, mp4)
                        .isCloseTo(Double.parseDouble(audioWant.get(i).split(",")[0]) - wantZero, within(0.002));
            }
            assertThat(audioGot.stream().map(p -> p.split(",")[1]).toList()).as("audio packet sizes of %s", mp4)
                    .isEqualTo(audioWant.stream().map(p -> p.split(",")[1]).toList());
        }
    }

    /** A rung as one fragmented MP4: its init segment, then its segments in playlist order. */
    private Path joined(Path folder, String rung) throws Exception {
        Path joined = folder.resolve(rung + "-joined.mp4");
        try (var sink = Files.newOutputStream(joined)) {
            Files.copy(folder.resolve("hls").resolve(rung).resolve("init.mp4"), sink);
            for (String line : Files.readAllLines(folder.resolve("hls").resolve(rung + ".m3u8"))) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    Files.copy(folder.resolve("hls").resolve(line), sink);
                }
            }
        }
        return joined;
    }

    private static List<Double> shifted(List<String> times, double zero) {
        return times.stream().map(t -> Double.parseDouble(t) - zero).toList();
    }

    private static void assertClose(List<Double> got, List<Double> want, String what) {
        assertThat(got).as(what).hasSameSizeAs(want);
        for (int i = 0; i < got.size(); i++) {
            assertThat(got.get(i)).as("%s, number %d", what, i).isCloseTo(want.get(i), within(0.0011));
        }
    }

    @Test
    void splitting_costsLittleInBytes() throws Exception {
        for (String mp4 : List.of("234p.mp4", "360p.mp4")) {
            long want = Files.size(single.resolve(mp4));
            long got = Files.size(split.resolve(mp4));
            assertThat((double) got / want).as("%s split/single bytes", mp4).isBetween(0.9, 1.1);
        }
    }

    private static List<Double> extinfs(Path playlist) throws Exception {
        return Files.readAllLines(playlist).stream().filter(l -> l.startsWith("#EXTINF:"))
                .map(l -> Double.parseDouble(l.substring(8, l.indexOf(',')))).toList();
    }

    private static List<String> times(List<String> packets) {
        return packets.stream().map(p -> p.split(",")[0]).sorted((a, b) -> Double.compare(Double.parseDouble(a), Double.parseDouble(b))).toList();
    }

    private static List<String> keyframes(List<String> packets) {
        return packets.stream().filter(p -> p.endsWith("K__") || p.split(",")[2].startsWith("K")).map(p -> p.split(",")[0]).toList();
    }
}
