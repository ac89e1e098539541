package io.reel.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reel.core.port.UrlSigner.PrefixSigner;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HlsRewriterTest {
    private static final String PREFIX = "videos/abcdefghijklmnopqrstuvwxyz/";
    private static final String FOLDER = PREFIX + "hls/";
    private final List<String> signedKeys = new ArrayList<>();
    private final PrefixSigner signer = new PrefixSigner() {
        @Override
        public String url(String key) {
            PrefixSigner.requireUnder(PREFIX, key);
            signedKeys.add(key);
            return "https://media.example/" + key + "?sig=1";
        }

        @Override
        public Instant expiresAt() {
            return Instant.EPOCH;
        }
    };

    @Test
    void mediaPlaylist_segmentsAndInitAndKeysAreSigned_tagsAndCommentsKept_lineEndingsNormalised() {
        String stored = "#EXTM3U\r\n#EXT-X-TARGETDURATION:4\r\n# a comment with URI=\"x.ts\"\r\n"
                + "#EXT-X-KEY:METHOD=AES-128,URI=\"keys/k1.bin\",IV=0x1\r\n#EXT-X-MAP:URI=\"720p/init.mp4\",BYTERANGE=\"720@0\"\r\n"
                + "#EXTINF:4.0,\r\n720p/seg%20one.m4s\r\n\r\n#EXTINF:4.0,\r\n  720p/seg+2.m4s  \r\n#EXT-X-ENDLIST";

        String rewritten = HlsRewriter.rewrite(stored, FOLDER, signer, "T");

        assertThat(rewritten).isEqualTo("#EXTM3U\n#EXT-X-TARGETDURATION:4\n# a comment with URI=\"x.ts\"\n"
                + "#EXT-X-KEY:METHOD=AES-128,URI=\"https://media.example/" + FOLDER + "keys/k1.bin?sig=1\",IV=0x1\n"
                + "#EXT-X-MAP:URI=\"https://media.example/" + FOLDER + "720p/init.mp4?sig=1\",BYTERANGE=\"720@0\"\n"
                + "#EXTINF:4.0,\nhttps://media.example/" + FOLDER + "720p/seg one.m4s?sig=1\n\n"
                + "#EXTINF:4.0,\nhttps://media.example/" + FOLDER + "720p/seg+2.m4s?sig=1\n#EXT-X-ENDLIST\n");
        assertThat(signedKeys).containsExactly(FOLDER + "keys/k1.bin", FOLDER + "720p/init.mp4", FOLDER + "720p/seg one.m4s",
                FOLDER + "720p/seg+2.m4s");
    }

    @Test
    void masterPlaylist_playlistReferencesComeBackToTheRouteWithTheToken() {
        String stored = """
                #EXTM3U
                #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="a",NAME="en",URI="audio.m3u8"
                #EXT-X-STREAM-INF:BANDWIDTH=1,XURI="720p.m3u8"
                720p.m3u8
                #EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=1,URI="iframes.m3u8"
                """;

        String rewritten = HlsRewriter.rewrite(stored, FOLDER, signer, "123.abc");

        assertThat(rewritten).isEqualTo("""
                #EXTM3U
                #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="a",NAME="en",URI="audio.m3u8?token=123.abc"
                #EXT-X-STREAM-INF:BANDWIDTH=1,XURI="720p.m3u8"
                720p.m3u8?token=123.abc
                #EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=1,URI="iframes.m3u8?token=123.abc"
                """);
        assertThat(signedKeys).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../other/seg.ts", "720p/../../x.ts", "./seg.ts", "/videos/x.ts", "https://evil.example/x.ts",
            "data:video/mp2t;base64,AAAA", "seg.ts?x=1", "seg.ts#t", "sub/720p.m3u8", "..%2F..%2Fx.ts", "seg%2.ts", "seg%zz.ts",
            "a\\..\\b.ts", "UPPER/../../x.m3u8", "%2e%2e/x.ts"})
    void referencesThatCouldLeaveTheVideosFolder_areDamage(String reference) {
        assertThatThrownBy(() -> HlsRewriter.rewrite("#EXTM3U\n#EXTINF:4,\n" + reference + "\n", FOLDER, signer, "T"))
                .isInstanceOf(HlsRewriter.DamagedPlaylistException.class);
        assertThatThrownBy(() -> HlsRewriter.rewrite("#EXTM3U\n#EXT-X-MAP:URI=\"" + reference + "\"\n", FOLDER, signer, "T"))
                .isInstanceOf(HlsRewriter.DamagedPlaylistException.class);
    }

    @Test
    void notAPlaylist_orAnUnterminatedAttribute_isDamage() {
        assertThatThrownBy(() -> HlsRewriter.rewrite("<html>", FOLDER, signer, "T"))
                .isInstanceOf(HlsRewriter.DamagedPlaylistException.class);
        assertThatThrownBy(() -> HlsRewriter.rewrite("#EXTM3U\n#EXT-X-MAP:URI=\"init.mp4\n", FOLDER, signer, "T"))
                .isInstanceOf(HlsRewriter.DamagedPlaylistException.class);
    }

    @Test
    void storyboard_eachImageSignedOnce_fragmentsKept_textCuesLeftAlone() {
        String vtt = "WEBVTT\n\n00:00.000 --> 00:05.000\nsb/storyboard.jpg#xywh=0,0,160,90\n\n"
                + "00:05.000 --> 00:10.000\nsb/storyboard.jpg#xywh=160,0,160,90\n\n00:10.000 --> 00:15.000\nA caption, not an image\n";

        String rewritten = HlsRewriter.rewriteStoryboard(vtt, PREFIX, signer);

        String url = "https://media.example/" + PREFIX + "sb/storyboard.jpg?sig=1";
        assertThat(rewritten).isEqualTo("WEBVTT\n\n00:00.000 --> 00:05.000\n" + url + "#xywh=0,0,160,90\n\n"
                + "00:05.000 --> 00:10.000\n" + url + "#xywh=160,0,160,90\n\n00:10.000 --> 00:15.000\nA caption, not an image\n");
        assertThat(signedKeys).containsExactly(PREFIX + "sb/storyboard.jpg");
        assertThatThrownBy(() -> HlsRewriter.rewriteStoryboard("WEBVTT\n\n00:00.000 --> 00:05.000\nsb/../../x/s.jpg\n", PREFIX,
                signer)).isInstanceOf(HlsRewriter.DamagedPlaylistException.class);
        assertThatThrownBy(() -> HlsRewriter.rewriteStoryboard("not vtt", PREFIX, signer))
                .isInstanceOf(HlsRewriter.DamagedPlaylistException.class);
    }
}
