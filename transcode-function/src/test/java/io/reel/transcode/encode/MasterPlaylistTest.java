package io.reel.transcode.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterPlaylistTest {
    @TempDir
    Path hls;

    private Path playlist(String... extinfs) throws IOException {
        StringBuilder text = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:6\n#EXT-X-MAP:URI=\"360p/init.mp4\"\n");
        Files.createDirectories(hls.resolve("360p"));
        Files.write(hls.resolve("360p/init.mp4"), new byte[] {0, 0, 0, 8, 'a', 'v', 'c', 'C', 1, 0x64, 0, 0x1e, 0});
        for (int i = 0; i < extinfs.length; i++) {
            text.append("#EXTINF:").append(extinfs[i]).append(",\n360p/segment_0000").append(i).append(".m4s\n");
            Files.write(hls.resolve("360p/segment_0000" + i + ".m4s"), new byte[750 * (i + 1)]);
        }
        Path file = hls.resolve("360p.m3u8");
        Files.writeString(file, text.append("#EXT-X-ENDLIST\n").toString());
        return file;
    }

    @Test
    void anUnderReportedLastSegment_isCorrectedToTheVideosEnd() throws Exception {
        Path file = playlist("6.000000", "6.000000", "0.333333");
        assertThat(MasterPlaylist.correctLastSegment(file, 12.934, 1 / 30.0)).isTrue();
        assertThat(Files.readAllLines(file)).contains("#EXTINF:0.934000,").doesNotContain("#EXTINF:0.333333,")
                .endsWith("#EXT-X-ENDLIST");
    }

    @Test
    void aPlaylistWithinAFrameOfTheEnd_isLeftAlone() throws Exception {
        Path file = playlist("6.000000", "2.000000");
        String before = Files.readString(file);
        assertThat(MasterPlaylist.correctLastSegment(file, 8.02, 1 / 30.0)).isFalse();
        assertThat(Files.readString(file)).isEqualTo(before);
    }

    @Test
    void theVariantsFacts_comeFromItsFiles() throws Exception {
        playlist("6.000000", "6.000000", "2.000000");
        MasterPlaylist.Variant variant = MasterPlaylist.measure(hls, "360p.m3u8");
        assertThat(variant.videoCodec()).isEqualTo("avc1.64001e");
        // peak over whole segments (1500 bytes in 6 s: 2000 b/s; the short last one does not count), but never below
        // the average (4500 bytes in 14 s)
        assertThat(variant.peakBitsPerSecond()).isEqualTo((long) Math.ceil(4500 * 8 / 14.0));
        assertThat(variant.averageBitsPerSecond()).isEqualTo((long) Math.ceil((750 + 1500 + 2250) * 8 / 14.0));
    }

    @Test
    void anInitSegmentWithoutAvcC_isAnError() {
        assertThatThrownBy(() -> MasterPlaylist.avc1(new byte[] {0, 0, 0, 8, 'f', 'r', 'e', 'e'})).isInstanceOf(IOException.class);
    }

    @Test
    void theMaster_listsEveryRung_withItsAttributes() throws Exception {
        playlist("6.000000", "2.000000");
        MasterPlaylist.write(hls, List.of(new LadderPlan.Output("360p", 640, 360, 365)), true, 29.97);
        assertThat(Files.readString(hls.resolve("master.m3u8"))).isEqualTo("""
                #EXTM3U
                #EXT-X-VERSION:7
                #EXT-X-INDEPENDENT-SEGMENTS
                #EXT-X-STREAM-INF:BANDWIDTH=2250,AVERAGE-BANDWIDTH=2250,CODECS="avc1.64001e,mp4a.40.2",RESOLUTION=640x360,FRAME-RATE=29.970
                360p.m3u8
                """);
    }
}
