package io.reel.transcode.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.reel.fuzz.FuzzStats;
import io.reel.fuzz.FuzzTarget;
import io.reel.fuzz.Problems;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzes {@link MediaProbe#probe} (FFmpeg in-process) with small generated inputs: random bytes, random bytes behind
 * an accepted signature, hand-made MP4 box trees and Matroska headers with hostile sizes, and real small videos made by
 * the ffmpeg command line ({@link TestMedia}) with bytes flipped, cut or spliced in. Whatever the bytes, the probe
 * answers within its budget (and its grace): a description of a video, or a refusal whose message is a sentence
 * for the uploader - which the pipeline turns into {@code RejectedInputException} - never an exception, a crash or
 * a hang. Tries are few (FFmpeg is slow to open a file); {@code -Dreel.fuzz.tries} makes them many.
 */
class MediaProbeFuzzIT {
    /** Shorter than the deployed 10 s, so a run stays short; what is checked is that the budget holds. */
    private static final Duration BUDGET = Duration.ofSeconds(3);
    private static final MediaProbe PROBE = new MediaProbe(new ProbeLimits(64L << 20, Duration.ofHours(2), 4096, 4096, BUDGET));
    private static final List<String> SEEDS = List.of("one_second.mp4", "normal.mkv", "whole_faststart.mp4");
    private static Path dir;
    private static Map<String, byte[]> seeds;

    @BeforeContainer
    static void makeSeeds() throws IOException {
        dir = Files.createTempDirectory("probe-fuzz");
        TestMedia media = TestMedia.in(dir.resolve("seeds"));
        Files.createDirectories(dir.resolve("seeds"));
        seeds = new java.util.HashMap<>();
        for (String name : SEEDS) {
            seeds.put(name, media.bytes(name));
        }
    }

    @AfterContainer
    static void removeInputs() throws IOException {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** An input: how it is made, from which seed, and the randomness that made it (so a failure can be replayed). */
    record Input(Kind kind, String seed, long randomness, int amount) {
        byte[] bytes() {
            Random random = new Random(randomness);
            byte[] base = seeds.get(seed);
            return switch (kind) {
                case RANDOM -> randomBytes(random, 1 + amount % 4096);
                case SIGNATURE_THEN_RANDOM -> concat(random.nextBoolean() ? ftyp("isom") : EBML, randomBytes(random, amount % 2048));
                case BOXES -> boxes(random, amount);
                case EBML_HEADER -> ebml(random, amount);
                case FLIPPED -> flip(base, random, 1 + amount % 64);
                case FLIPPED_HEAD -> flipWithin(base, random, 1 + amount % 16, Math.min(base.length, 4096));
                case TRUNCATED -> Arrays.copyOf(base, 1 + (int) Math.floorMod(random.nextLong(), base.length));
                case SPLICED -> splice(base, random, randomBytes(random, 1 + amount % 512));
                case BOX_SIZE_LIE -> lieAboutABoxSize(base, random);
            };
        }
    }

    enum Kind { RANDOM, SIGNATURE_THEN_RANDOM, BOXES, EBML_HEADER, FLIPPED, FLIPPED_HEAD, TRUNCATED, SPLICED, BOX_SIZE_LIE }

    @Property
    @FuzzTarget(value = "media-probe", tries = 60, timeoutMillis = 20_000)
    void anyFile_isDescribedOrRefusedWithASentence_withinTheBudget(@ForAll("inputs") Input input) throws IOException {
        Path file = dir.resolve("input-" + input.randomness());
        Files.write(file, input.bytes());
        try {
            long started = System.nanoTime();
            ProbeResult result = PROBE.probe(file);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(took).as("the probe keeps to its budget and grace").isLessThan(BUDGET.plusSeconds(2));
            switch (result) {
                case Description video -> {
                    FuzzStats.outcome("described");
                    assertThat(video.duration()).isPositive();
                    assertThat(video.width()).isPositive();
                    assertThat(video.height()).isPositive();
                    assertThat(video.displayWidth()).isPositive();
                    assertThat(video.displayHeight()).isPositive();
                    assertThat(video.videoCodec()).isNotBlank();
                }
                case ProbeResult.Refused refused -> {
                    FuzzStats.outcome("refused: " + refused.reason());
                    assertThat(refused.reason()).isNotNull();
                    assertThat(Problems.sentenceProblem(refused.message())).as("the uploader's message: " + refused.message()).isEmpty();
                }
                case ProbeResult.TimedOut timedOut -> {
                    FuzzStats.outcome(timedOut.processTainted() ? "timed out, FFmpeg abandoned" : "timed out, FFmpeg stopped");
                    assertThat(Problems.sentenceProblem(timedOut.message())).as(timedOut.message()).isEmpty();
                }
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Provide
    Arbitrary<Input> inputs() {
        Arbitrary<Kind> kind = Arbitraries.frequency(Tuple.of(1, Kind.RANDOM), Tuple.of(1, Kind.SIGNATURE_THEN_RANDOM),
                Tuple.of(2, Kind.BOXES), Tuple.of(1, Kind.EBML_HEADER), Tuple.of(3, Kind.FLIPPED), Tuple.of(3, Kind.FLIPPED_HEAD),
                Tuple.of(2, Kind.TRUNCATED), Tuple.of(1, Kind.SPLICED), Tuple.of(2, Kind.BOX_SIZE_LIE));
        return Combinators.combine(kind, Arbitraries.of(SEEDS), Arbitraries.longs(), Arbitraries.integers().between(0, 1 << 20))
                .as(Input::new);
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static final byte[] EBML = HexFormat.of().parseHex("1a45dfa3");

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] box(String type, byte[] body) {
        return concat(ByteBuffer.allocate(8).putInt(8 + body.length).put(type.getBytes(StandardCharsets.US_ASCII)).array(), body);
    }

    private static byte[] ftyp(String brand) {
        return box("ftyp", concat(brand.getBytes(StandardCharsets.US_ASCII), new byte[] {0, 0, 2, 0, 'i', 's', 'o', 'm'}));
    }

    /** A box tree of MP4's types whose sizes are right, or lie: 0, 1 (a 64-bit size follows, maybe huge), too small, too big. */
    private static byte[] boxes(Random random, int amount) {
        String[] types = {"moov", "trak", "mdia", "minf", "stbl", "stsd", "stts", "stsz", "stco", "co64", "mvhd", "tkhd",
                "mdhd", "hdlr", "avc1", "avcC", "mdat", "free", "udta", "meta", "edts", "elst", "dref", "url ", "ctts", "stss"};
        ByteBuffer out = ByteBuffer.allocate(8192);
        out.put(ftyp(random.nextInt(4) == 0 ? "qt  " : "isom"));
        int count = 1 + amount % 24;
        for (int i = 0; i < count && out.remaining() > 300; i++) {
            int bodyLength = random.nextInt(200);
            long declared = switch (random.nextInt(6)) {
                case 0 -> 0;
                case 1 -> 1;
                case 2 -> random.nextInt(8);
                case 3 -> 8L + bodyLength + random.nextInt(1 << 20);
                default -> 8L + bodyLength;
            };
            out.putInt((int) declared).put(types[random.nextInt(types.length)].getBytes(StandardCharsets.US_ASCII));
            if (declared == 1) {
                out.putLong(random.nextBoolean() ? Long.MAX_VALUE : random.nextLong());
            }
            byte[] body = randomBytes(random, bodyLength);
            if (random.nextBoolean()) {
                Arrays.fill(body, 0, Math.min(8, body.length), (byte) 0); // version and flags zero, counts small
            }
            out.put(body);
        }
        return Arrays.copyOf(out.array(), out.position());
    }

    /** The EBML magic, then elements with random ids and sizes (unknown-size, huge, eight-byte vints). */
    private static byte[] ebml(Random random, int amount) {
        ByteBuffer out = ByteBuffer.allocate(8192).put(EBML);
        out.put((byte) 0x9f); // header size
        out.put(HexFormat.of().parseHex("4282" + "84" + "7765626d")); // DocType "webm"
        int count = 1 + amount % 32;
        for (int i = 0; i < count && out.remaining() > 300; i++) {
            int id = switch (random.nextInt(5)) {
                case 0 -> 0x18538067; // Segment
                case 1 -> 0x1654ae6b; // Tracks
                case 2 -> 0x1f43b675; // Cluster
                case 3 -> 0xae; // TrackEntry
                default -> random.nextInt();
            };
            out.put(ByteBuffer.allocate(4).putInt(id).array(), id > 0xff || id < 0 ? 0 : 3, id > 0xff || id < 0 ? 4 : 1);
            switch (random.nextInt(4)) {
                case 0 -> out.put((byte) 0x01).put(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                        (byte) 0xff, (byte) 0xff}); // unknown size
                case 1 -> out.put((byte) 0x01).putLong(random.nextLong()).position(out.position() - 1);
                default -> out.put((byte) (0x80 | random.nextInt(0x7f)));
            }
            out.put(randomBytes(random, random.nextInt(100)));
        }
        return Arrays.copyOf(out.array(), out.position());
    }

    private static byte[] flip(byte[] base, Random random, int flips) {
        byte[] out = base.clone();
        for (int i = 0; i < flips; i++) {
            out[random.nextInt(out.length)] = (byte) random.nextInt(256);
        }
        return out;
    }

    private static byte[] flipWithin(byte[] base, Random random, int flips, int within) {
        byte[] out = base.clone();
        for (int i = 0; i < flips; i++) {
            int at = random.nextBoolean() ? random.nextInt(within) : out.length - 1 - random.nextInt(within);
            out[at] ^= (byte) (1 << random.nextInt(8));
        }
        return out;
    }

    private static byte[] splice(byte[] base, Random random, byte[] piece) {
        int at = random.nextInt(base.length);
        byte[] out = new byte[base.length + piece.length];
        System.arraycopy(base, 0, out, 0, at);
        System.arraycopy(piece, 0, out, at, piece.length);
        System.arraycopy(base, at, out, at + piece.length, base.length - at);
        return out;
    }

    /** A real file with one top-level box's size replaced: zero, one, tiny, or far past the end. */
    private static byte[] lieAboutABoxSize(byte[] base, Random random) {
        byte[] out = base.clone();
        if (out.length < 8 || !(out[4] == 'f' && out[5] == 't')) {
            return flip(out, random, 4);
        }
        List<Integer> starts = new java.util.ArrayList<>();
        for (int at = 0; at + 8 <= out.length && starts.size() < 64; ) {
            starts.add(at);
            long size = ByteBuffer.wrap(out, at, 4).getInt() & 0xffffffffL;
            if (size < 8) {
                break;
            }
            at += (int) Math.min(size, Integer.MAX_VALUE - at);
        }
        int at = starts.get(random.nextInt(starts.size()));
        int lie = switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> random.nextInt(8);
            case 2 -> Integer.MAX_VALUE;
            default -> (ByteBuffer.wrap(out, at, 4).getInt() + random.nextInt(64) - 32);
        };
        ByteBuffer.wrap(out, at, 4).putInt(lie);
        return out;
    }
}
