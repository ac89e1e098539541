package io.reel.transcode.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which FFmpeg demuxer a file's first bytes allow, and what the uploader is told otherwise. */
class ContainerSnifferTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # first bytes, hex                                        | demuxer  | description
            00000020 66747970 69736f6d 00000200                       | mov      | MP4
            00000014 66747970 71742020 00000200                       | mov      | QuickTime MOV
            00000008 77696465 00000000 6d646174                       | mov      | QuickTime MOV
            1a45dfa3 9f4286 81 01 4282 84 7765626d                    | matroska | WebM
            1a45dfa3 a34286 81 01 4282 88 6d6174726f736b61            | matroska | Matroska
            """)
    void sniff_ofAnAcceptedContainer_forcesItsDemuxer(String hex, String demuxer, String description) {
        ContainerSniffer.Sniff sniff = ContainerSniffer.sniff(hex(hex));

        assertThat(sniff.accepted()).isTrue();
        assertThat(sniff.demuxer()).isEqualTo(demuxer);
        assertThat(sniff.description()).isEqualTo(description);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            00000018 66747970 68656963 00000000                       | an HEIC/AVIF still image
            00000018 66747970 61766966 00000000                       | an HEIC/AVIF still image
            89504e47 0d0a1a0a                                         | a PNG image
            47494638 3961                                             | a GIF image
            ffd8ffe0 0010                                             | a JPEG image
            52494646 00000000 41564920 4c495354                       | an AVI video
            52494646 00000000 57415645 666d7420                       | a WAV audio file
            49443303 00                                               | an MP3 audio file
            4f676753 00                                               | an Ogg file
            464c5601 05                                               | a Flash video (FLV)
            """)
    void sniff_ofAnotherFormat_saysWhatItIs(String hex, String description) {
        ContainerSniffer.Sniff sniff = ContainerSniffer.sniff(hex(hex));

        assertThat(sniff.accepted()).isFalse();
        assertThat(sniff.description()).isEqualTo(description);
    }

    @Test
    void sniff_ofTextThatWouldOpenOtherFiles_refusesIt() {
        assertThat(ContainerSniffer.sniff(ascii("#EXTM3U\n#EXTINF:1.0,\nfile:///etc/passwd\n")).description())
                .isEqualTo("a text playlist (M3U/HLS), not a video");
        assertThat(ContainerSniffer.sniff(ascii("ffconcat version 1.0\nfile secret.ts\n")).description())
                .isEqualTo("a text list of files, not a video");
        assertThat(ContainerSniffer.sniff(ascii("Hello\n")).description()).isEqualTo("a text file");
    }

    @Test
    void sniff_ofAnMpegTransportStream_needsTwoSyncBytes_notJustALeadingG() {
        byte[] transportStream = new byte[ContainerSniffer.BYTES_NEEDED];
        transportStream[0] = 0x47;
        transportStream[188] = 0x47;

        assertThat(ContainerSniffer.sniff(transportStream).description()).isEqualTo("an MPEG transport stream");
        assertThat(ContainerSniffer.sniff(ascii("Good morning, this is a note")).description()).isEqualTo("a text file");
    }

    @Test
    void sniff_ofNothingOrNoise_doesNotRecogniseIt() {
        byte[] noise = new byte[ContainerSniffer.BYTES_NEEDED];
        Arrays.fill(noise, (byte) 0x01);

        assertThat(ContainerSniffer.sniff(new byte[0]).accepted()).isFalse();
        assertThat(ContainerSniffer.sniff(noise).description()).isEqualTo("not a recognised video file");
    }

    private static byte[] hex(String spaced) {
        return HexFormat.of().parseHex(spaced.replace(" ", ""));
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
