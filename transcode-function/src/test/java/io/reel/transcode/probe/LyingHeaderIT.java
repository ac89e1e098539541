package io.reel.transcode.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.reel.transcode.probe.ProbeResult.Reason;
import io.reel.transcode.probe.ProbeResult.Refused;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A WebM whose header lies about its duration (issue #16): its Segment Info Duration rewritten to claim another
 * length than its frames have. (An MP4's mvhd and mdhd rewritten the same way do not fool FFmpeg 7.1, which takes the
 * length from the sample tables; the Matroska demuxer believes the header.) The duration everything is planned from
 * must be the frames'.
 */
class LyingHeaderIT {
    private static final MediaProbe PROBE = new MediaProbe(ProbeLimits.defaults());
    @TempDir
    static Path dir;
    private static Path tenSeconds;
    private static Path fortySeconds;

    @BeforeAll
    static void makeMedia() throws Exception {
        TestMedia.in(dir); // fails with a sentence when the apt ffmpeg is missing
        tenSeconds = encode("ten.webm", 10);
        fortySeconds = encode("forty.webm", 40);
    }

    @Test
    void anHourAndAHalfClaimedOverTenSecondsOfFrames_isMeasuredAsTenSeconds() throws Exception {
        Path lying = withDuration(tenSeconds, "claims-90min.webm", d -> d * 540);
        assertThat(ffprobeFormatSeconds(lying)).as("the header as ffprobe reads it").isCloseTo(5_400, within(10.0));

        Description described = accepted(PROBE.probe(lying));

        assertThat(described.duration().toMillis() / 1000.0).isCloseTo(10, within(0.2));
        assertThat(described.durationMeasured()).isTrue();
    }

    @Test
    void fourSecondsClaimedOverFortySecondsOfFrames_isMeasuredAsForty() throws Exception {
        Path lying = withDuration(fortySeconds, "claims-4s.webm", d -> d / 10);
        assertThat(ffprobeFormatSeconds(lying)).isCloseTo(4, within(0.5));

        Description described = accepted(PROBE.probe(lying));

        assertThat(described.duration().toMillis() / 1000.0).isCloseTo(40, within(0.2));
        assertThat(described.durationMeasured()).isTrue();
    }

    @Test
    void overTheMaximumClaimed_isRefusedOnTheClaim_beforeAnythingIsDecoded() throws Exception {
        // Bounded either way: the header's claim alone refuses it (the sentence repeats the claim).
        Refused refused = refused(PROBE.probe(withDuration(tenSeconds, "claims-3h.webm", d -> d * 1_080)));
        assertThat(refused.reason()).isEqualTo(Reason.TOO_LONG);
        assertThat(refused.message()).contains("longer than 2 hours");
    }

    @Test
    void anHonestHeader_isKept_unmeasured() {
        Description described = accepted(PROBE.probe(fortySeconds));
        assertThat(described.duration().toMillis() / 1000.0).isCloseTo(40, within(0.2));
        assertThat(described.durationMeasured()).isFalse();
    }

    private static Path encode(String name, int seconds) throws Exception {
        Path out = dir.resolve(name);
        run(List.of(TestMedia.FFMPEG.toString(), "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                "testsrc2=size=320x180:rate=30", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t",
                Integer.toString(seconds), "-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-threads", "1",
                "-c:a", "libopus", out.toString()));
        return out;
    }

    /** A copy whose Segment Info Duration (EBML id 0x4489, an 8-byte float, as ffmpeg writes it) is {@code change}d. */
    private static Path withDuration(Path source, String name, DoubleUnaryOperator change) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(source));
        int at = indexOf(bytes.array(), new byte[] {0x44, (byte) 0x89, (byte) 0x88}, 0);
        assertThat(at).as("the Duration element").isPositive();
        assertThat(indexOf(bytes.array(), new byte[] {0x44, (byte) 0x89, (byte) 0x88}, at + 1)).as("one Duration").isNegative();
        bytes.putDouble(at + 3, change.applyAsDouble(bytes.getDouble(at + 3)));
        Path out = dir.resolve(name);
        Files.write(out, bytes.array());
        return out;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static double ffprobeFormatSeconds(Path file) throws Exception {
        return Double.parseDouble(run(List.of("/usr/bin/ffprobe", "-v", "error", "-show_entries", "format=duration", "-of",
                "csv=p=0", file.toString())).strip());
    }

    private static String run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }

    private static Description accepted(ProbeResult result) {
        assertThat(result).as("accepted: %s", result).isInstanceOf(Description.class);
        return (Description) result;
    }

    private static Refused refused(ProbeResult result) {
        assertThat(result).as("refused").isInstanceOf(Refused.class);
        return (Refused) result;
    }
}
