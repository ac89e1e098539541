package io.reel.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PlaybackTokensTest {
    private static final String A = "abcdefghijklmnopqrstuvwxyz";
    private static final String B = "bbcdefghijklmnopqrstuvwxyz";
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private final byte[] key = new byte[32];
    private final PlaybackTokens tokens;

    PlaybackTokensTest() {
        Arrays.fill(key, (byte) 7);
        tokens = new PlaybackTokens(key, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void aTokenIsValidForItsVideoUntilItExpires_andForNoOtherVideo() {
        String token = tokens.issue(A, NOW.plusSeconds(600));

        assertThat(token).matches("\\d{10}\\.[A-Za-z0-9_-]{43}");
        assertThat(tokens.verify(A, token)).contains(NOW.plusSeconds(600));
        assertThat(tokens.verify(B, token)).isEmpty();
        assertThat(tokens.verify(A, tokens.issue(A, NOW))).as("expires at this instant").isEmpty();
        assertThat(new PlaybackTokens(key, Clock.fixed(NOW.plusSeconds(600), ZoneOffset.UTC)).verify(A, token)).isEmpty();
    }

    @Test
    void anotherKey_cannotMintTokens() {
        byte[] other = key.clone();
        other[0] ^= 1;
        String forged = new PlaybackTokens(other, Clock.systemUTC()).issue(A, NOW.plusSeconds(600));
        assertThat(tokens.verify(A, forged)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "1795612345", "1795612345.", ".AAAA", "abc.def", "+1795612345.AAAA", "1795612345.!!!!",
            "99999999999999999999.AAAA", "1795612345.AAAA.AAAA", "1e9.AAAA", "１７９５.AAAA"})
    void malformedTokens_areRefusedQuietly(String token) {
        assertThat(tokens.verify(A, token)).isEmpty();
    }

    @Test
    void shortKeys_areRefused() {
        assertThatThrownBy(() -> new PlaybackTokens(new byte[31], Clock.systemUTC())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PlaybackTokens(null, Clock.systemUTC())).isInstanceOf(IllegalArgumentException.class);
    }
}
