package io.reel.transcode.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reel.core.domain.Rendition;
import io.reel.transcode.LadderEncoding;
import io.reel.transcode.RejectedInputException;
import io.reel.transcode.probe.Description;
import io.reel.transcode.probe.MediaProbe;
import io.reel.transcode.probe.ProbeLimits;
import io.reel.transcode.probe.TestMedia;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The production encoder on the inputs issue #7 names, every output checked by the apt {@code ffprobe} as an
 * independent client ({@link LadderCheck}): codecs and profile, sizes and aspect, no rotation left, durations within
 * 0.5 s, keyframes identical across every rung and MP4, segments starting on keyframes, the master listing every rung
 * with its measured attributes, faststart, poster, sprite and cues. (The odd 853×479 WebM has slightly non-square
 * pixels from its scaling, 852.2×479 shown, so its top rung is 640×360.)
 */
class LadderEncoderIT {
    @TempDir
    static Path mediaDir;
    @TempDir
    Path out;
    private static TestMedia media;
    private static final FfmpegLadderEncoder ENCODER = new FfmpegLadderEncoder(FfmpegLadderEncoder.Settings.defaults());

    @BeforeAll
    static void makeMedia() {
        media = TestMedia.in(mediaDir);
    }

    private static Description probe(Path source) {
        return (Description) new MediaProbe(ProbeLimits.defaults()).probe(source);
    }

    private LadderEncoding.Encoded encode(Path source) throws Exception {
        return ENCODER.encode(source, probe(source), out, Instant.now().plusSeconds(300));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            hd_1080p_audio.mp4          | 234p 360p 540p 720p 1080p | 1920x1080 | false
            phone_portrait_rotated.mp4  | 234p 360p 540p 720p       | 720x1280  | false
            square_1x1.mp4              | 234p 360p                 | 360x360   | false
            odd_853x479.webm            | 234p 360p                 | 640x360   | false
            no_audio.mp4                | 180p                      | 320x180   | false
            one_second.mp4              | 180p                      | 320x180   | false
            fade_in.mp4                 | 234p 360p                 | 640x360   | false
            vfr.mp4                     | 180p                      | 320x180   | true
            """)
    void everyInput_becomesALadderThatFfprobeAccepts(String name, String rungs, String top, boolean vfr) throws Exception {
        Path source = media.get(name);
        LadderEncoding.Encoded encoded = encode(source);

        // vfr: FFmpeg's fMP4 HLS muxer shifts keyframes of a VFR source by up to 67 ms (its CLI too), so the HLS
        // rungs agree with each other exactly but with the MP4s only that closely.
        LadderCheck.Expect expect = LadderCheck.Expect.fromSource(source).withRungs(rungs.split(" ")).withVfr(vfr);
        LadderCheck.Report report = LadderCheck.check(out, expect);
        assertThat(report.failed()).as(report.toString()).isEmpty();
        assertThat(report.passed()).hasSizeGreaterThan(20);

        List<String> hls = encoded.renditions().stream().filter(r -> r.kind() == Rendition.Kind.HLS).map(Rendition::name).toList();
        assertThat(hls).containsExactly(rungs.split(" "));
        Rendition topRung = encoded.renditions().stream().filter(r -> r.kind() == Rendition.Kind.HLS).toList().getLast();
        assertThat(topRung.width() + "x" + topRung.height()).isEqualTo(top);
        assertThat(encoded.renditions()).allSatisfy(r -> assertThat(out.resolve(r.key())).isRegularFile());
        assertThat(out.resolve(encoded.poster())).isRegularFile();
        assertThat(out.resolve(encoded.storyboard())).isRegularFile();
        assertThat(out.resolve("storyboard.vtt")).isRegularFile();
    }

    @Test
    void progress_isReported_eachWholePercentOnce_fromTheStartToTheEnd() throws Exception {
        Path source = media.get("normal_16x9_audio.mp4");
        List<Integer> reported = new java.util.concurrent.CopyOnWriteArrayList<>();
        ENCODER.encode(source, probe(source), out, Instant.now().plusSeconds(300), reported::add);
        assertThat(reported.getFirst()).isZero();
        assertThat(reported.getLast()).isBetween(95, 100);
        assertThat(reported).isSorted().doesNotHaveDuplicates().hasSizeGreaterThan(50);
    }

    @Test
    void theMp4s_carryTheirHlsRungsOwnPackets() throws Exception {
        encode(media.get("normal_16x9_audio.mp4"));
        List<String> rungs = Files.readAllLines(out.resolve("hls/master.m3u8")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).map(l -> l.replace(".m3u8", "")).toList();
        for (String mp4 : List.of(rungs.get((rungs.size() - 1) / 2), rungs.getLast())) {
            // The rung as one fragmented MP4: its init segment, then its segments in playlist order.
            Path joined = out.resolve(mp4 + "-joined.mp4");
            try (var sink = Files.newOutputStream(joined)) {
                Files.copy(out.resolve("hls").resolve(mp4).resolve("init.mp4"), sink);
                for (String line : Files.readAllLines(out.resolve("hls").resolve(mp4 + ".m3u8"))) {
                    if (!line.isBlank() && !line.startsWith("#")) {
                        Files.copy(out.resolve("hls").resolve(line), sink);
                    }
                }
            }
            // Video: every packet's size, key flag and time the same. Audio: the same sizes in the same order; the
            // mp4 muxer places AAC's priming a millisecond differently from the HLS one, so times agree to 2 ms.
            List<String> video = Ffprobe.packets(out.resolve(mp4 + ".mp4"), "v:0");
            assertThat(video).as("video packets of %s.mp4", mp4).hasSizeGreaterThan(60).isEqualTo(Ffprobe.packets(joined, "v:0"));
            List<String> audio = Ffprobe.packets(out.resolve(mp4 + ".mp4"), "a:0");
            List<String> rungAudio = Ffprobe.packets(joined, "a:0");
            assertThat(audio).as("audio packets of %s.mp4", mp4).hasSizeGreaterThan(60).hasSameSizeAs(rungAudio);
            for (int i = 0; i < audio.size(); i++) {
                String[] got = audio.get(i).split(",");
                String[] want = rungAudio.get(i).split(",");
                assertThat(got[1]).as("audio packet %d's size", i).isEqualTo(want[1]);
                assertThat(Double.parseDouble(got[0])).as("audio packet %d's time", i)
                        .isCloseTo(Double.parseDouble(want[0]), org.assertj.core.data.Offset.offset(0.002));
            }
        }
    }

    @Test
    void thePoster_ofAVideoThatFadesIn_isNeitherBlackNorTheFadesStart() throws Exception {
        encode(media.get("fade_in.mp4"));
        BufferedImage poster = ImageIO.read(out.resolve("poster.jpg").toFile());
        assertThat(meanLuma(poster)).as("mean brightness of the poster").isGreaterThan(60);
    }

    private static double meanLuma(BufferedImage image) {
        long sum = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                sum += (299 * ((rgb >> 16) & 0xFF) + 587 * ((rgb >> 8) & 0xFF) + 114 * (rgb & 0xFF)) / 1000;
            }
        }
        return (double) sum / (image.getWidth() * image.getHeight());
    }

    @Test
    void pastTheDeadline_theEncodeStops_withAReasonForTheUploader() throws Exception {
        Path source = media.get("hd_1080p_audio.mp4");
        Description description = probe(source);
        assertThatThrownBy(() -> ENCODER.encode(source, description, out, Instant.now().minusSeconds(1)))
                .isInstanceOf(RejectedInputException.class)
                .hasMessageStartingWith("Processing took too long: it was stopped at 0:00 of the video's 0:04.");
    }

    @Test
    void aDeadlineInTheMiddle_stopsPartWay_andLeavesNoRunningOutput() throws Exception {
        Path source = media.get("hd_1080p_audio.mp4");
        Description description = probe(source);
        long threadsBefore = encoderThreads();
        assertThatThrownBy(() -> ENCODER.encode(source, description, out, Instant.now().plusMillis(1500)))
                .isInstanceOf(RejectedInputException.class).hasMessageStartingWith("Processing took too long");
        assertThat(encoderThreads()).as("output workers still alive").isEqualTo(threadsBefore);
        try (Stream<Path> segments = Files.walk(out)) {
            assertThat(segments.filter(p -> p.toString().endsWith("master.m3u8"))).as("no master for a stopped encode").isEmpty();
        }
    }

    @Test
    void anOutputThatCannotBeWritten_isAnIoFailure_andLeavesNoOutputRunning() throws Exception {
        // The HLS muxer writes its playlist only as segments complete, and JavaCV's stop() does not report a failed
        // trailer: the encoder's own reading of every playlist afterwards is what notices.
        Path source = media.get("normal_16x9_audio.mp4");
        Description description = probe(source);
        Files.createDirectories(out.resolve("hls/360p.m3u8")); // a folder where the 360p playlist must go
        long threadsBefore = encoderThreads();
        assertThatThrownBy(() -> ENCODER.encode(source, description, out, Instant.now().plusSeconds(60)))
                .isInstanceOf(java.io.IOException.class);
        assertThat(encoderThreads()).as("output workers still alive").isEqualTo(threadsBefore);
    }

    @Test
    void anOutputThatCannotStart_stopsTheOutputsAlreadyStarted() throws Exception {
        Path source = media.get("normal_16x9_audio.mp4");
        Description description = probe(source);
        Files.createDirectories(out.resolve("hls"));
        Files.writeString(out.resolve("hls/360p"), "a file where the 360p segments' folder must go");
        long threadsBefore = encoderThreads();
        assertThatThrownBy(() -> ENCODER.encode(source, description, out, Instant.now().plusSeconds(60)))
                .isInstanceOf(java.io.IOException.class);
        assertThat(encoderThreads()).as("the 234p output, started first, is stopped").isEqualTo(threadsBefore);
    }

    private static long encoderThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("encode-") && t.isAlive()).count();
    }
}
