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
        assertThatThrownBy(() -> new PlaybackTokens((byte[]) null, Clock.systemUTC())).isInstanceOf(IllegalArgumentException.class);
    }

    /** A clock tests move. */
    private static final class MovingClock extends Clock {
        private Instant now;

        MovingClock(Instant now) {
            this.now = now;
        }

        void advance(java.time.Duration by) {
            now = now.plus(by);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static byte[] keyOf(int b) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) b);
        return k;
    }

    @Test
    void aRotatedSecret_isUsedWithinTheRefreshBound_andTokensOfTheKeyBeforeStillVerify_butNotTwoKeysBack() {
        var clock = new MovingClock(NOW);
        var secret = new java.util.concurrent.atomic.AtomicReference<>(keyOf(1));
        var reads = new java.util.concurrent.atomic.AtomicInteger();
        var rotating = new PlaybackTokens(new PlaybackKeys(() -> {
            reads.incrementAndGet();
            return secret.get();
        }, java.time.Duration.ofMinutes(5), clock), clock);
        String first = rotating.issue(A, NOW.plus(java.time.Duration.ofHours(12)));

        secret.set(keyOf(2));
        clock.advance(java.time.Duration.ofMinutes(4));
        String stillFirstKey = rotating.issue(A, NOW.plus(java.time.Duration.ofHours(12)));
        assertThat(stillFirstKey).as("not re-read within the bound").isEqualTo(first);
        assertThat(reads).hasValue(1);

        clock.advance(java.time.Duration.ofMinutes(1));
        String second = rotating.issue(A, NOW.plus(java.time.Duration.ofHours(12)));
        assertThat(second).as("issued with the new key once the bound passed").isNotEqualTo(first);
        assertThat(reads).hasValue(2);
        assertThat(rotating.verify(A, first)).as("the key before still verifies").isPresent();
        assertThat(rotating.verify(A, second)).isPresent();
        assertThat(new PlaybackTokens(keyOf(2), clock).verify(A, second)).as("another container with only the new key").isPresent();

        secret.set(keyOf(3));
        clock.advance(java.time.Duration.ofMinutes(5));
        assertThat(rotating.verify(A, second)).as("one key back").isPresent();
        assertThat(rotating.verify(A, first)).as("two keys back").isEmpty();
    }

    @Test
    void aFailedReread_keepsTheKeys_andTriesAgainAfterAnotherInterval() {
        var clock = new MovingClock(NOW);
        var failing = new java.util.concurrent.atomic.AtomicBoolean();
        var reads = new java.util.concurrent.atomic.AtomicInteger();
        var rotating = new PlaybackTokens(new PlaybackKeys(() -> {
            reads.incrementAndGet();
            if (failing.get()) {
                throw new IllegalStateException("Secrets Manager is unreachable");
            }
            return keyOf(1);
        }, java.time.Duration.ofMinutes(5), clock), clock);
        String token = rotating.issue(A, NOW.plus(java.time.Duration.ofHours(1)));

        failing.set(true);
        clock.advance(java.time.Duration.ofMinutes(5));
        assertThat(rotating.verify(A, token)).isPresent();
        assertThat(rotating.verify(A, token)).isPresent();
        assertThat(reads).as("one failed re-read, not one per request").hasValue(2);

        failing.set(false);
        clock.advance(java.time.Duration.ofMinutes(5));
        assertThat(rotating.issue(A, NOW.plus(java.time.Duration.ofHours(1)))).isEqualTo(token);
        assertThat(reads).hasValue(3);
    }

    @Test
    void aFirstReadThatFails_failsAtStart() {
        assertThatThrownBy(() -> new PlaybackKeys(() -> new byte[8], java.time.Duration.ofMinutes(5), Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
    }
}
