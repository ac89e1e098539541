package io.reel.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.reel.core.port.UrlSigner.PrefixSigner;
import io.reel.fuzz.FuzzStats;
import io.reel.fuzz.FuzzTarget;
import io.reel.fuzz.Hostile;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Fuzzes {@link HlsRewriter} with generated playlists and storyboards: plausible ones (the transcoder's tags and
 * references), with hostile references (absolute URIs, dot segments, escapes, queries, unicode), huge lines, missing
 * headers, unterminated attributes and every kind of line ending. Whatever the text, the rewriter answers a rewritten
 * file or refuses it as damaged ({@link HlsRewriter.DamagedPlaylistException}), never another exception; every
 * reference it wrote is a URL the signer made for a key in the video's folder or a playlist name of that folder with
 * the viewer's token; and the output is bounded by the input: at most one URL's overhead per line.
 */
class HlsRewriterFuzzTest {
    private static final String PREFIX = "videos/abcdefghijklmnopqrstuvwxyz/";
    private static final String FOLDER = PREFIX + "hls/";
    private static final String TOKEN = "1893456000.dGhlLXBsYXliYWNrLXRva2VuLW9mLXRoaXMtdmlld2Vy";
    private static final String BASE = "https://media.example/";
    private static final String SIGNATURE = "?sig=1";
    private static final Pattern PLAYLIST_REFERENCE = Pattern.compile(HlsRewriter.PLAYLIST_NAME.pattern() + Pattern.quote("?token=" + TOKEN));

    /** Signs as a real prefix signer checks: refuses keys outside the prefix and dot segments. */
    private static final class RecordingSigner implements PrefixSigner {
        final List<String> keys = new ArrayList<>();

        @Override
        public String url(String key) {
            PrefixSigner.requireUnder(PREFIX, key);
            keys.add(key);
            return BASE + key + SIGNATURE;
        }

        @Override
        public Instant expiresAt() {
            return Instant.EPOCH;
        }
    }

    @Property
    @FuzzTarget(value = "hls-rewriter", tries = 1000)
    void playlist_isRewrittenOrRefusedAsDamaged_neverAnythingElse(@ForAll("playlists") String playlist) {
        RecordingSigner signer = new RecordingSigner();
        String out;
        try {
            out = HlsRewriter.rewrite(playlist, FOLDER, signer, TOKEN);
        } catch (HlsRewriter.DamagedPlaylistException damaged) {
            assertThat(damaged.getMessage()).isNotBlank();
            FuzzStats.outcome("damaged: " + damaged.getMessage());
            return;
        }
        FuzzStats.outcome("rewritten");
        long lines = playlist.chars().filter(c -> c == '\n').count() + 1;
        long perLine = Math.max(BASE.length() + FOLDER.length() + SIGNATURE.length(), "?token=".length() + TOKEN.length()) + 1;
        assertThat((long) out.length()).as("output bounded by the input").isLessThanOrEqualTo(playlist.length() + lines * perLine);
        for (String key : signer.keys) {
            assertThat(key).startsWith(FOLDER).doesNotContain("\\");
        }
        for (String line : out.split("\n", -1)) {
            if (line.isBlank() || line.startsWith("#")) {
                if (line.startsWith("#EXT")) {
                    int at = HlsRewriter.uriAttribute(line);
                    if (at >= 0) {
                        int end = line.indexOf('"', at + 5);
                        assertThat(end).as("a terminated URI in " + line).isGreaterThan(at);
                        assertReference(line.substring(at + 5, end));
                    }
                }
                continue;
            }
            assertReference(line);
        }
    }

    @Property
    @FuzzTarget(value = "storyboard-rewriter", tries = 300)
    void storyboard_isRewrittenOrRefusedAsDamaged_neverAnythingElse(@ForAll("storyboards") String vtt) {
        RecordingSigner signer = new RecordingSigner();
        String out;
        try {
            out = HlsRewriter.rewriteStoryboard(vtt, PREFIX, signer);
        } catch (HlsRewriter.DamagedPlaylistException damaged) {
            FuzzStats.outcome("damaged: " + damaged.getMessage());
            return;
        }
        FuzzStats.outcome("rewritten");
        long lines = vtt.chars().filter(c -> c == '\n').count() + 1;
        assertThat((long) out.length()).isLessThanOrEqualTo(vtt.length() + lines * (BASE.length() + PREFIX.length() + SIGNATURE.length()));
        for (String key : signer.keys) {
            assertThat(key).startsWith(PREFIX);
        }
    }

    private static void assertReference(String reference) {
        boolean signed = reference.startsWith(BASE + FOLDER) && reference.endsWith(SIGNATURE);
        assertThat(signed || PLAYLIST_REFERENCE.matcher(reference).matches())
                .as("a signed URL in the folder or a playlist of the folder with the token: " + reference).isTrue();
    }

    // ---------------------------------------------------------------------------------------------------------

    @Provide
    Arbitrary<String> playlists() {
        Arbitrary<String> header = Arbitraries.frequency(Tuple.of(20, "#EXTM3U"), Tuple.of(1, ""), Tuple.of(1, "#EXTM3U8"),
                Tuple.of(1, "\ufeff#EXTM3U"), Tuple.of(1, "#extm3u"), Tuple.of(1, " #EXTM3U"), Tuple.of(1, "#EXTM3U#EXT-X-VERSION:7"));
        // A third of the playlists hold only plausible references, so the rewriting itself is fuzzed, not only refusals.
        Arbitrary<List<String>> lines = Arbitraries.frequencyOf(Tuple.of(1, line(true).list().ofMaxSize(40)),
                Tuple.of(2, line(false).list().ofMaxSize(40)));
        Arbitrary<String> endings = Arbitraries.of("\n", "\r\n", "\r", "\n\r");
        // One playlist in ten gets a huge line somewhere (a reference or a tag of up to 100,000 characters).
        Arbitrary<String> huge = Arbitraries.frequencyOf(Tuple.of(9, Arbitraries.just("")), Tuple.of(1, Hostile.huge()));
        return Combinators.combine(header, lines, endings, Arbitraries.of(true, false), Arbitraries.of(true, false), huge)
                .as((first, body, eol, mixed, trailing, big) -> {
                    StringBuilder out = new StringBuilder(first);
                    for (int i = 0; i < body.size(); i++) {
                        out.append(mixed && i % 3 == 1 ? "\n" : eol).append(body.get(i));
                        if (i == body.size() / 2 && !big.isEmpty()) {
                            out.append(eol).append(i % 2 == 0 ? big : "#EXT-X-MAP:URI=\"" + big + "\"");
                        }
                    }
                    return trailing ? out.append(eol).toString() : out.toString();
                });
    }

    private static Arbitrary<String> line(boolean plausible) {
        Arbitrary<String> uri = plausible ? plausibleReference() : reference();
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of("#EXT-X-VERSION:7", "#EXT-X-TARGETDURATION:4", "#EXTINF:4.000,", "#EXT-X-ENDLIST",
                        "#EXT-X-PLAYLIST-TYPE:VOD", "#EXT-X-INDEPENDENT-SEGMENTS", "#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360",
                        "#EXT-X-MEDIA-SEQUENCE:0", "#EXT", "#EXTINF", "", " ", "\t", "# a comment URI=\"../x\"", "#")),
                Tuple.of(6, uri),
                Tuple.of(2, uri.map(u -> "#EXT-X-MAP:URI=\"" + u + "\"")),
                Tuple.of(plausible ? 0 : 1, uri.map(u -> "#EXT-X-MAP:URI=\"" + u)),
                Tuple.of(1, uri.map(u -> "#EXT-X-KEY:METHOD=AES-128,URI=\"" + u + "\",IV=0x1")),
                Tuple.of(1, uri.map(u -> "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"en\",URI=\"" + u + "\"")),
                Tuple.of(1, uri.map(u -> "#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=1,URI=\"" + u + "\"")),
                Tuple.of(1, uri.map(u -> "#EXT-X-STREAM-INF:BANDWIDTH=1,XURI=\"" + u + "\",URI=\"" + u + "\"")),
                Tuple.of(1, uri.map(u -> "#EXT-X-MAP:URI=\"\"")),
                Tuple.of(plausible ? 0 : 1, Hostile.strings()));
    }

    /** References as the transcoder writes them, and other harmless ones. */
    private static Arbitrary<String> plausibleReference() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("720p.m3u8", "360p.m3u8", "master.m3u8", "720p/segment_00001.m4s", "720p/init.mp4",
                        "keys/k1.bin", "seg%20one.m4s", "seg+2.m4s", "%E2%9C%93.m4s", "a.m3u8", "720p_v2.m3u8", "720P.M3U8")),
                Tuple.of(1, Arbitraries.strings().withChars("abz09_-").ofMinLength(1).ofMaxLength(20)
                        .map(name -> "720p/" + name + ".m4s")),
                Tuple.of(1, Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(60).map(name -> name + ".m3u8")));
    }

    /** References: the transcoder's own, near misses, and hostile ones. */
    private static Arbitrary<String> reference() {
        return Arbitraries.frequencyOf(
                Tuple.of(14, plausibleReference()),
                Tuple.of(3, Arbitraries.of("../other/seg.ts", "720p/../../x.ts", "./seg.ts", "/videos/x.ts", "https://evil.example/x.ts",
                        "data:video/mp2t;base64,AAAA", "seg.ts?x=1", "seg.ts#t", "sub/720p.m3u8", "..%2F..%2Fx.ts", "seg%2.ts",
                        "seg%zz.ts", "a\\..\\b.ts", "%2e%2e/x.ts", "%2E%2E%2Fx.ts", "..", ".", "%2e", "%", "%00x.ts", "%ff%fe.ts",
                        "%ed%a0%80.ts", "x.m3u8/..", ".m3u8", "-a.m3u8", "a".repeat(70) + ".m3u8", "//evil.example/x.ts",
                        "720p//seg.ts", "720p/./seg.ts", " 720p.m3u8", "720p.m3u8 ", "\u0000.ts", "\ud800.ts", "\u202e.ts")),
                Tuple.of(2, Arbitraries.strings().withChars("ab/.%2eEfF0-_?#:\\").ofMaxLength(16)),
                Tuple.of(1, Hostile.strings()));
    }

    @Provide
    Arbitrary<String> storyboards() {
        Arbitrary<String> cue = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of("00:00.000 --> 00:05.000", "", "NOTE x", "A caption, not an image")),
                Tuple.of(4, Combinators.combine(Arbitraries.of("sb/storyboard.jpg", "storyboard.jpg", "s.png", "a/b.webp",
                                "../x/s.jpg", "sb/../../x.jpg", "x.jpg/..", "a//b.jpg", "./a.jpg", "A.JPEG", "..jpg"),
                        Arbitraries.of("", "#xywh=0,0,160,90", "#xywh=99999,0,1,1", "#xywh=1,2,3", "#xywh=-1,0,1,1"))
                        .as((image, fragment) -> image + fragment)),
                Tuple.of(1, Hostile.strings()));
        return Combinators.combine(Arbitraries.frequency(Tuple.of(10, "WEBVTT"), Tuple.of(1, ""), Tuple.of(1, "WEBVTT FILE"),
                        Tuple.of(1, "webvtt")), cue.list().ofMaxSize(30), Arbitraries.of("\n", "\r\n"))
                .as((first, cues, eol) -> first + eol + String.join(eol, cues));
    }
}
