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
import org.junit.jupiter.api.io.TempDir;

/**
 * The split path's encoder pieces (issue #16) against the one-invocation encode of the same source: chunks of whole
 * segments encoded separately (each sought to with a pre-roll, in a source whose own keyframes are 10 s apart), the
 * audio once, each rung stitched. The stitched folder passes {@link LadderCheck} and has the one-invocation output's
 * segments, frames, keyframes and audio packets.
 */
class SplitStitchIT {
    private static final FfmpegLadderEncoder ENCODER = new FfmpegLadderEncoder(FfmpegLadderEncoder.Settings.defaults());
    private static final long CHUNK_MICROS = 12_000_000;

    @TempDir
    static Path dir;
    private static Path source;
    private static Description probe;
    private static Path single;
    private static Path split;
    private static List<FfmpegLadderEncoder.ChunkEncoded> chunks;

    @BeforeAll
    static void encodeBothWays() throws Exception {
        Ffprobe.requireInstalled();
        source = dir.resolve("source.mp4");
        // 41 s at 30 fps, 640x360 with stereo audio; the source's own keyframes every 10 s, off the chunk edges.
        Process ffmpeg = new ProcessBuilder("/usr/bin/ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=s=640x360:r=30:d=41",
                "-f", "lavfi", "-i", "sine=f=440:r=48000:d=41", "-ac", "2", "-c:v", "libx264", "-preset", "ultrafast", "-g", "300",
                "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "96k", "-shortest", source.toString()).inheritIO().start();
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

    @Test
    void theStitchedFolder_passesTheLadderCheck() throws Exception {
        LadderCheck.Report report = LadderCheck.check(split, LadderCheck.Expect.fromSource(source).withRungs("234p", "360p"));
        assertThat(report.failed()).as(report.toString()).isEmpty();
        assertThat(report.passed()).hasSizeGreaterThan(20);
    }

    @Test
    void everyChunk_startsOnItsSegmentsFirstFrame() {
        assertThat(chunks).hasSize(4);
        for (int i = 0; i < chunks.size(); i++) {
            assertThat(chunks.get(i).firstSlot()).as("chunk %d's first frame", i).isEqualTo(i * 360L);
        }
        assertThat(chunks.stream().mapToLong(FfmpegLadderEncoder.ChunkEncoded::frames).sum()).isEqualTo(41 * 30);
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
                    .hasSize(41 * 30).isEqualTo(times(Ffprobe.packets(want, "v:0")));
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
            assertThat(shifted(times(got), gotZero)).as("video frame times of %s", mp4).isEqualTo(shifted(times(want), wantZero));
            assertThat(shifted(keyframes(got), gotZero)).as("keyframes of %s", mp4).isEqualTo(shifted(keyframes(want), wantZero));
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
    private static Path joined(Path folder, String rung) throws Exception {
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

    private static List<String> shifted(List<String> times, double zero) {
        return times.stream().map(t -> String.format(java.util.Locale.ROOT, "%.3f", Double.parseDouble(t) - zero)).toList();
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
