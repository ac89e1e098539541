package io.reel.transcode.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FinishedFilesTest {
    @TempDir
    Path dir;

    private static byte[] box(String type, int payload) {
        return ByteBuffer.allocate(8 + payload).putInt(8 + payload).put(type.getBytes(StandardCharsets.ISO_8859_1)).array();
    }

    private Path mp4(byte[]... boxes) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (byte[] box : boxes) {
            bytes.write(box);
        }
        return Files.write(dir.resolve("v.mp4"), bytes.toByteArray());
    }

    @Test
    void aFaststartMp4_passes() throws IOException {
        Path file = mp4(box("ftyp", 16), box("moov", 100), box("free", 0), box("mdat", 1000));
        assertThat(FinishedFiles.topLevelBoxes(file)).containsExactly("ftyp", "moov", "free", "mdat");
        FinishedFiles.requireFaststartMp4(file);
    }

    @Test
    void anMp4WithoutItsIndexOrWithItLast_orCutShort_isRefused() throws IOException {
        assertThatThrownBy(() -> FinishedFiles.requireFaststartMp4(mp4(box("ftyp", 16), box("mdat", 1000))))
                .hasMessageContaining("was not finished");
        assertThatThrownBy(() -> FinishedFiles.requireFaststartMp4(mp4(box("ftyp", 16), box("mdat", 10), box("moov", 10))))
                .hasMessageContaining("[ftyp, mdat, moov]");
        byte[] cut = box("mdat", 1000);
        Path truncated = mp4(box("ftyp", 16), box("moov", 10), java.util.Arrays.copyOf(cut, 100));
        assertThat(FinishedFiles.topLevelBoxes(truncated)).containsExactly("ftyp", "moov", "mdat(truncated)");
        assertThatThrownBy(() -> FinishedFiles.requireFaststartMp4(truncated)).hasMessageContaining("mdat(truncated)");
        assertThatThrownBy(() -> FinishedFiles.requireFaststartMp4(Files.write(dir.resolve("empty.mp4"), new byte[0])))
                .hasMessageContaining("[]");
    }

    @Test
    void aPlaylistWithoutItsEnd_isRefused() throws IOException {
        Path ended = Files.writeString(dir.resolve("a.m3u8"), "#EXTM3U\n#EXTINF:6.0,\na/s0.m4s\n#EXT-X-ENDLIST\n");
        FinishedFiles.requireEndedPlaylist(ended);
        Path open = Files.writeString(dir.resolve("b.m3u8"), "#EXTM3U\n#EXTINF:6.0,\na/s0.m4s\n");
        assertThatThrownBy(() -> FinishedFiles.requireEndedPlaylist(open)).hasMessageContaining("no #EXT-X-ENDLIST");
    }
}
