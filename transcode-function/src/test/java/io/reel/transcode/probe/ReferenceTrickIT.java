package io.reel.transcode.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.reel.transcode.probe.NaiveGrabber.Evidence;
import io.reel.transcode.probe.NaiveGrabber.Options;
import io.reel.transcode.probe.ProbeResult.Reason;
import io.reel.transcode.probe.ProbeResult.Refused;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The HLS-playlist-in-an-AVI local-file disclosure and its relatives ({@link HostileFiles}): files that make FFmpeg
 * open another file named inside them. Each trick exists twice, pointing at a "secret" that is either a real MPEG-TS
 * carrying {@link HostileFiles#MARKER} (evidence of a read: the marker comes back, or the file's access time moves) or
 * a FIFO (evidence of an open, even one that reads nothing). The first test shows a naive grabber does leak, so the
 * evidence would catch a probe that did.
 */
class ReferenceTrickIT {

    private static final MediaProbe PROBE = new MediaProbe(ProbeLimits.defaults());

    @TempDir
    static Path tmp;
    private static byte[] secretBytes;
    private static Path secret;
    private static Path fifo;
    private static Map<String, Path> viaFile;
    private static Map<String, Path> viaFifo;

    @BeforeAll
    static void makeTricks() throws IOException {
        TestMedia media = TestMedia.in(Files.createDirectories(tmp.resolve("media")));
        secretBytes = media.bytes("secret_template.ts");
        Path fileDir = Files.createDirectories(tmp.resolve("file"));
        Path fifoDir = Files.createDirectories(tmp.resolve("fifo"));
        secret = HostileFiles.secretFile(fileDir, media.get("secret_template.ts"));
        fifo = fifoDir.resolve("secret_fifo.ts");
        viaFile = HostileFiles.create(fileDir, secret);
        viaFifo = HostileFiles.create(fifoDir, fifo);
    }

    static List<String> tricks() {
        return List.copyOf(viaFile.keySet());
    }

    @Test
    void naiveGrabber_followsPlaylistAndConcatReferences_soTheEvidenceCanSeeALeak() throws Exception {
        for (String trick : List.of("hls playlist named .m3u8", "ffconcat relative (.mp4)")) {
            for (Options options : List.of(Options.JAVACV_DEFAULTS, Options.PROTOCOL_WHITELIST)) {
                String what = trick + " with " + options;
                Instant before = resetSecretAtime();

                Evidence evidence = NaiveGrabber.open(viaFile.get(trick), options);

                assertThat(evidence.markerReturned()).as(what + ": marker returned (%s)", evidence).isTrue();
                assertThat(HostileFiles.atime(secret)).as(what + ": the secret's access time should move when it is "
                        + "read; if not, is the temporary folder on a noatime mount?").isNotEqualTo(before);
                assertThat(opensTheFifo(trick, options)).as(what + ": FIFO opened").isTrue();
            }
        }
    }

    @Test
    void formatWhitelist_onItsOwn_stopsEveryTrick() throws Exception {
        for (String trick : tricks()) {
            Instant before = resetSecretAtime();

            Evidence evidence = NaiveGrabber.open(viaFile.get(trick), Options.BOTH_WHITELISTS);

            assertThat(evidence.opened()).as(trick + ": opened (%s)", evidence).isFalse();
            assertThat(HostileFiles.atime(secret)).as(trick + ": the secret was read").isEqualTo(before);
            assertThat(opensTheFifo(trick, Options.BOTH_WHITELISTS)).as(trick + ": FIFO opened").isFalse();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tricks")
    void probe_refusesTheTrick_withoutOpeningTheReferencedFile(String trick) throws Exception {
        Instant before = resetSecretAtime();

        ProbeResult result = PROBE.probe(viaFile.get(trick));

        assertThat(result).isInstanceOfSatisfying(Refused.class, refused -> {
            assertThat(refused.reason()).isEqualTo(Reason.UNSUPPORTED_FORMAT);
            assertThat(refused.message() + refused.detail()).doesNotContain(HostileFiles.MARKER);
        });
        assertThat(HostileFiles.atime(secret)).as("the secret was read").isEqualTo(before);
        try (FifoWatch watch = FifoWatch.create(fifo, secretBytes)) {
            PROBE.probe(viaFifo.get(trick));
            Thread.sleep(50);
            assertThat(watch.opened()).as("FIFO opened").isFalse();
        }
    }

    private static boolean opensTheFifo(String trick, Options options) throws Exception {
        try (FifoWatch watch = FifoWatch.create(fifo, secretBytes)) {
            NaiveGrabber.open(viaFifo.get(trick), options);
            Thread.sleep(50);
            return watch.opened();
        }
    }

    private static Instant resetSecretAtime() throws IOException {
        HostileFiles.resetAtime(secret);
        return HostileFiles.atime(secret);
    }
}
