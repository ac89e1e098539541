package io.reel.transcode.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.reel.transcode.probe.Description;
import io.reel.transcode.probe.MediaProbe;
import io.reel.transcode.probe.ProbeLimits;
import io.reel.transcode.probe.SafeOpen;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import javax.imageio.ImageIO;
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
        chunks = new ArrayList<>();
        long durationMicros = probe.duration().toNanos() / 1000;
        for (long start = 0; start < durationMicros; start += CHUNK_MICROS) {
            long end = start + CHUNK_MICROS >= durationMicros ? Long.MAX_VALUE : start + CHUNK_MICROS;
            Path chunkDir = Files.createDirectories(dir.resolve("chunk-" + chunks.size()));
            chunks.add(ENCODER.encodeChunk(() -> SafeOpen.grabber(source), "source.mp4", probe,
                    new FfmpegLadderEncoder.Span(start, end), chunkDir, deadline, percent -> { }));
        }
        Path audio = dir.resolve("audio.mp4");
        assertThat(ENCODER.encodeAudio(() -> SafeOpen.grabber(source), audio, deadline)).isTrue();

        FfmpegLadderEncoder.ChunkEncoded first = chunks.getFirst();
        List<MasterPlaylist.Variant> variants = new ArrayList<>();
        for (LadderPlan.Output rung : first.rungs()) {
            List<RungStitch.Part> parts = new ArrayList<>();
            for (int i = 0; i < chunks.size(); i++) {
                parts.add(new RungStitch.Part(dir.resolve("chunk-" + i).resolve(rung.name() + ".mp4"), chunks.get(i).firstSlot()));
            }
            variants.add(RungStitch.stitch(FfmpegLadderEncoder.Settings.defaults(), rung, first.frameRate(), parts, audio,
                    split.resolve("hls"), durationMicros / 1e6, first.mp4().contains(rung) ? split.resolve(rung.name() + ".mp4") : null));
        }
        StitchOutputs.master(split, first.rungs(), variants, true, first.frameRate());
        int best = 0;
        TreeMap<Integer, BufferedImage> tiles = new TreeMap<>();
        for (int i = 0; i < chunks.size(); i++) {
            if (chunks.get(i).posterScore() > chunks.get(best).posterScore()) {
                best = i;
            }
            for (int tile : chunks.get(i).tiles()) {
                tiles.put(tile, ImageIO.read(dir.resolve("chunk-" + i).resolve("tiles").resolve(tile + ".png").toFile()));
            }
        }
        Files.copy(dir.resolve("chunk-" + best).resolve("poster.jpg"), split.resolve("poster.jpg"));
        assertThat(StitchOutputs.storyboard(split, tiles, durationMicros, first.rungs().getLast(), first.frameRate()))
                .isEqualTo("storyboard.jpg");
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
    void theVideo_hasTheSameFramesTimesAndKeyframes_andTheAudioTheSamePackets() throws Exception {
        for (String mp4 : List.of("234p.mp4", "360p.mp4")) {
            List<String> want = Ffprobe.packets(single.resolve(mp4), "v:0");
            List<String> got = Ffprobe.packets(split.resolve(mp4), "v:0");
            assertThat(times(got)).as("video frame times of %s (no gap, no overlap at chunk edges)", mp4).isEqualTo(times(want));
            assertThat(keyframes(got)).as("keyframes of %s", mp4).isEqualTo(keyframes(want)).hasSize(21);
            List<String> audioWant = Ffprobe.packets(single.resolve(mp4), "a:0");
            List<String> audioGot = Ffprobe.packets(split.resolve(mp4), "a:0");
            // The same samples through the same encoder: the same packets, continuous across chunk edges.
            assertThat(audioGot).as("audio packets of %s", mp4).hasSizeGreaterThan(1900).isEqualTo(audioWant);
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
