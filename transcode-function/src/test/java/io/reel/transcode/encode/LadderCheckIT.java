package io.reel.transcode.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.reel.transcode.encode.LadderCheck.Expect;
import io.reel.transcode.encode.LadderCheck.Report;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LadderCheck} passes the reference ladder that the ffmpeg command line makes ({@link CliLadder}) from a small
 * source, and fails copies of it broken one way at a time, naming what is wrong.
 *
 * <p>The source is 640x360, 8 s at 30 fps with a mono tone (the ladder makes it stereo): two rungs (234p, 360p), two
 * 6 s + 2 s segments each, MP4s at both rungs, four storyboard tiles. Everything runs with one thread and {@code nice}.
 */
class LadderCheckIT {

    private static final CliLadder CLI = CliLadder.forTests();

    @TempDir
    static Path work;
    private static Path source;
    private static Path reference;
    private static Expect expect;

    @TempDir
    Path tmp;

    @BeforeAll
    static void buildTheReferenceLadder() throws IOException {
        Ffprobe.requireInstalled();
        source = work.resolve("source_640x360_8s.mp4");
        CliLadder.ffmpeg(work, List.of("-threads", "1",
                "-f", "lavfi", "-i", "testsrc2=r=30:s=640x360:d=8",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:d=8",
                "-c:v", "libx264", "-preset", "ultrafast", "-threads", "1", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-b:a", "64k", "-shortest", source.toString()));
        reference = work.resolve("reference");
        CLI.build(source, reference);
        expect = Expect.fromSource(source);
    }

    @Test
    void expect_fromTheSource_followsTheLadderRules() {
        assertThat(expect.displayWidth() + "x" + expect.displayHeight()).isEqualTo("640x360");
        assertThat(expect.durationSeconds()).isCloseTo(8, within(0.05));
        assertThat(expect.hasAudio()).isTrue();
        assertThat(expect.rungs()).containsExactly("234p", "360p");
        assertThat(expect.mp4Rungs()).containsExactly("234p", "360p");
        assertThat(expect.vfr()).isFalse();
        assertThat(expect.toleranceSeconds()).isEqualTo(0.5);
    }

    @Test
    void expect_ladder_keepsTheShapeAndNeverUpscales() {
        assertThat(Expect.ladder(1920, 1080)).containsExactly("234p", "360p", "540p", "720p", "1080p");
        assertThat(Expect.mp4RungsOf(Expect.ladder(1920, 1080))).containsExactly("540p", "1080p");
        assertThat(Expect.ladder(1080, 1920)).containsExactly("234p", "360p", "540p", "720p", "1080p");
        assertThat(Expect.ladder(1920, 1079)).containsExactly("234p", "360p", "540p", "720p");
        assertThat(Expect.ladder(853, 479)).containsExactly("234p", "360p");
        assertThat(Expect.ladder(320, 180)).containsExactly("180p");
        assertThat(Expect.mp4RungsOf(List.of("180p"))).containsExactly("180p");
        assertThat(CliLadder.plan(853, 479)).extracting(r -> r.width() + "x" + r.height()).containsExactly("416x234", "642x360");
        assertThat(CliLadder.plan(360, 640)).extracting(r -> r.width() + "x" + r.height()).containsExactly("234x416", "360x640");
    }

    @Test
    void reference_passesEveryCheck() {
        Report report = LadderCheck.check(reference, expect);

        assertThat(report.failed()).as(report.toString()).isEmpty();
        assertThat(report.passed()).as(report.toString()).hasSizeGreaterThan(60)
                .contains("hls 360p keyframes: [0.000, 2.000, 4.000, 6.000] s (4)",
                        "mp4 234p.mp4 keyframes: [0.000, 2.000, 4.000, 6.000] s (4)",
                        "hls 234p segment starts: 2 segments start with a keyframe",
                        "storyboard.vtt timeline: 4 contiguous cues");
    }

    /** Turned by its display matrix, no audio, below 234p: one 180x320 rung and its MP4, nothing rotated, no audio. */
    @Test
    void referenceOfARotatedSmallSourceWithoutAudio_passesEveryCheck() throws IOException {
        Path landscape = tmp.resolve("landscape_320x180.mp4"), portrait = tmp.resolve("portrait_cw90.mp4");
        CliLadder.ffmpeg(tmp, List.of("-threads", "1", "-f", "lavfi", "-i", "testsrc2=r=30:s=320x180:d=5",
                "-c:v", "libx264", "-preset", "ultrafast", "-threads", "1", "-pix_fmt", "yuv420p", landscape.toString()));
        CliLadder.ffmpeg(tmp, List.of("-i", landscape.toString(), "-c", "copy", "-metadata:s:v:0", "rotate=270", portrait.toString()));
        Path out = tmp.resolve("out");
        CLI.build(portrait, out);
        Expect portraitExpect = Expect.fromSource(portrait);

        Report report = LadderCheck.check(out, portraitExpect);

        assertThat(portraitExpect.displayWidth() + "x" + portraitExpect.displayHeight()).isEqualTo("180x320");
        assertThat(portraitExpect.rungs()).containsExactly("180p");
        assertThat(report.failed()).as(report.toString()).isEmpty();
        assertThat(report.passed()).contains("hls/master.m3u8 180p RESOLUTION: 180x320", "mp4 180p.mp4 rotation: none",
                "mp4 180p.mp4 audio: no audio stream");
    }

    @Test
    void missingSegment_isNamed() throws IOException {
        Path out = copyOfReference();
        Files.delete(out.resolve("hls/360p/segment_00001.m4s"));

        assertThat(LadderCheck.problems(out, expect)).containsExactly(
                "hls/360p.m3u8 files: expected the init segment and 2 segments in hls/, found missing: 360p/segment_00001.m4s");
    }

    @Test
    void rungWithOtherKeyframes_isNotAligned() throws IOException {
        Path out = copyOfReference();
        CLI.encodeHlsRung(source, out, CliLadder.plan(640, 360).get(1), 3);

        assertThat(LadderCheck.problems(out, expect)).containsExactly("hls 360p keyframes: expected those of hls 234p: "
                + "[0.000, 2.000, 4.000, 6.000] s (4), found [0.000, 3.000, 6.000] s (3)");
    }

    @Test
    void masterWithoutARung_isNamed() throws IOException {
        Path out = copyOfReference();
        Path master = out.resolve("hls/master.m3u8");
        Files.writeString(master, Files.readString(master).replaceFirst("#EXT-X-STREAM-INF:[^\n]*\n234p\\.m3u8\n", ""));

        assertThat(LadderCheck.problems(out, expect)).containsExactly(
                "hls/master.m3u8 variants: expected one per rung playlist in hls/: [234p.m3u8, 360p.m3u8], found [360p.m3u8]");
    }

    @Test
    void masterWithAWrongResolution_isNamed() throws IOException {
        Path out = copyOfReference();
        Path master = out.resolve("hls/master.m3u8");
        Files.writeString(master, Files.readString(master).replace("RESOLUTION=640x360", "RESOLUTION=640x480"));

        assertThat(LadderCheck.problems(out, expect)).containsExactly(
                "hls/master.m3u8 360p RESOLUTION: expected 640x360 (the stream's size), found 640x480");
    }

    @Test
    void mp4WithMoovAtTheEnd_isNotFaststart() throws IOException {
        Path out = copyOfReference();
        remux(out.resolve("360p.mp4"));

        assertThat(LadderCheck.problems(out, expect)).containsExactly(
                "mp4 360p.mp4 faststart: expected moov before mdat at the top level, found ftyp, free, mdat, moov");
    }

    @Test
    void mp4WithRotationLeft_isNamed() throws IOException {
        Path out = copyOfReference();
        remux(out.resolve("234p.mp4"), "-movflags", "+faststart", "-metadata:s:v:0", "rotate=90");

        assertThat(LadderCheck.problems(out, expect)).containsExactly(
                "mp4 234p.mp4 rotation: expected no display matrix nor rotate tag, found Display Matrix (rotation 90)");
    }

    @Test
    void blackPoster_isNamed() throws IOException {
        Path out = copyOfReference();
        CliLadder.ffmpeg(out, List.of("-f", "lavfi", "-i", "color=c=black:s=640x360:d=1", "-frames:v", "1",
                out.resolve("poster.jpg").toString()));

        assertThat(LadderCheck.problems(out, expect)).containsExactly(
                "poster.jpg brightness: expected a mean luma above 20 (not black), found 0.0");
    }

    @Test
    void posterThatIsNotAJpeg_isNamed() throws IOException {
        Path out = copyOfReference();
        Files.writeString(out.resolve("poster.jpg"), "not a picture");

        assertThat(LadderCheck.problems(out, expect)).containsExactly(
                "poster.jpg decodes: expected a JPEG javax.imageio decodes, found no JPEG signature");
    }

    @Test
    void storyboardWithAHole_isNamed() throws IOException {
        Path out = copyOfReference();
        Path vtt = out.resolve("storyboard.vtt");
        Files.writeString(vtt, Files.readString(vtt).replace("00:00:02.000 --> 00:00:04.000", "00:00:03.000 --> 00:00:04.000"));

        assertThat(LadderCheck.problems(out, expect)).containsExactly("storyboard.vtt timeline: expected cues from 0 s, "
                + "each starting where the previous one ends, found cue 2 starts at 3.000 s, expected 2.000 s (where cue 1 ends)");
    }

    @Test
    void storyboardTileOutsideTheSprite_isNamed() throws IOException {
        Path out = copyOfReference();
        Path vtt = out.resolve("storyboard.vtt");
        Files.writeString(vtt, Files.readString(vtt).replace("storyboard.jpg#xywh=480,0,160,90", "storyboard.jpg#xywh=640,0,160,90"));

        assertThat(LadderCheck.problems(out, expect)).containsExactly(
                "storyboard.vtt tiles: expected rectangles inside the 640x90 sprite, found cue 4 xywh=640,0,160,90");
    }

    @Test
    void audioWhereTheSourceHasNone_isNamedForEveryOutput() {
        List<String> problems = LadderCheck.problems(reference, expect.withAudio(false));

        assertThat(problems).contains(
                "hls 234p audio: expected no audio stream (the source has none), found aac LC 2ch",
                "mp4 360p.mp4 audio: expected no audio stream (the source has none), found aac LC 2ch",
                "hls/master.m3u8 360p CODECS: expected \"avc1.xxxxxx\", found \"avc1.64001e,mp4a.40.2\"");
        assertThat(problems).filteredOn(p -> p.contains(" audio: ")).hasSize(4);
    }

    @Test
    void outputsShorterThanTheSource_areNamed() {
        List<String> problems = LadderCheck.problems(reference, expect.withDuration(9));

        assertThat(problems).contains("hls/360p.m3u8 duration (sum of #EXTINF): expected 9.000 s (the source's) ± 0.500 s, found 8.000 s",
                "storyboard.vtt end of the last cue: expected 9.000 s (the source's) ± 0.500 s, found 8.000 s");
        assertThat(problems).allMatch(p -> p.contains(" duration") || p.contains("end of the last cue"));
    }

    @Test
    void missingFfprobe_saysWhatToInstall() {
        assertThatThrownBy(() -> Ffprobe.requireInstalled(Path.of("/nonexistent/ffprobe")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("apt-get install ffmpeg");
    }

    // ---------------------------------------------------------------------------------------------------------------

    private Path copyOfReference() throws IOException {
        Path copy = tmp.resolve("out");
        try (Stream<Path> files = Files.walk(reference)) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(reference.relativize(file).toString()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return copy;
    }

    /** Stream-copies the MP4 in place with these extra options (moov at the end unless they say otherwise). */
    private void remux(Path mp4, String... options) throws IOException {
        Path remuxed = tmp.resolve("remuxed.mp4");
        List<String> command = new ArrayList<>(List.of("-i", mp4.toString(), "-map", "0", "-c", "copy"));
        command.addAll(List.of(options));
        command.add(remuxed.toString());
        CliLadder.ffmpeg(tmp, command);
        Files.move(remuxed, mp4, StandardCopyOption.REPLACE_EXISTING);
    }
}
