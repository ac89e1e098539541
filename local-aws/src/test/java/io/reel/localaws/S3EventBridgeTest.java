package io.reel.localaws;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class S3EventBridgeTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "uploads/a.mp4|uploads/a.mp4",
            "uploads/red flower.jpg|uploads/red+flower.jpg",
            "a+b.mp4|a%2Bb.mp4",
            "x/2017-11-15 14:22:21.csv|x/2017-11-15+14%3A22%3A21.csv",
            "dt=2018/_SUCCESS|dt%3D2018/_SUCCESS",
            "vidéo.mp4|vid%C3%A9o.mp4"})
    void encodeKey_matchesS3NotificationEncoding(String key, String encoded) {
        assertThat(S3EventBridge.encodeKey(key)).isEqualTo(encoded);
        assertThat(URLDecoder.decode(encoded, StandardCharsets.UTF_8)).isEqualTo(key);
    }
}
