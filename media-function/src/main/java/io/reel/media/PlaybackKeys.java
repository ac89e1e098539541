package io.reel.media;

import io.reel.core.log.JsonLog;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import javax.crypto.spec.SecretKeySpec;

/**
 * The playback-token key and the one before it, re-read from their source (the Secrets Manager secret) at most every
 * {@code refreshEvery}: rotating the secret reaches every running container within that bound, SnapStarted ones too,
 * with no redeploy. Tokens are issued with the current key and accepted with either, so tokens issued just before a
 * rotation keep working until they expire (rotate no more often than the longest playback lifetime, 12 h by default,
 * or the oldest still-valid tokens stop). A failed re-read keeps the keys and tries again after another interval,
 * logged; the first read, at start-up, must succeed.
 */
final class PlaybackKeys {
    private static final JsonLog LOG = JsonLog.create(PlaybackKeys.class);

    /** What is in use: the current key, the previous one (null before any rotation) and when the source was read. */
    record Keys(SecretKeySpec current, SecretKeySpec previous, Instant readAt) {
    }

    private final Supplier<byte[]> source;
    private final Duration refreshEvery;
    private final Clock clock;
    private volatile Keys keys;

    PlaybackKeys(Supplier<byte[]> source, Duration refreshEvery, Clock clock) {
        this.source = Objects.requireNonNull(source, "source");
        this.refreshEvery = Objects.requireNonNull(refreshEvery, "refreshEvery");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (refreshEvery.isNegative() || refreshEvery.isZero()) {
            throw new IllegalArgumentException("refreshEvery must be positive, not " + refreshEvery);
        }
        this.keys = new Keys(spec(source.get()), null, clock.instant());
    }

    /** A fixed key (tests, and a local key file that nothing rotates). */
    static PlaybackKeys fixed(byte[] key, Clock clock) {
        byte[] copy = key == null ? null : key.clone();
        return new PlaybackKeys(() -> copy, Duration.ofDays(36_500), clock);
    }

    /** Makes the next {@link #now()} read the source again (after a SnapStart restore: the snapshot's read is old). */
    void expire() {
        Keys seen = keys;
        keys = new Keys(seen.current(), seen.previous(), Instant.EPOCH);
    }

    /** The keys now, re-read first if the last read is {@code refreshEvery} old. */
    Keys now() {
        Keys seen = keys;
        if (clock.instant().isBefore(seen.readAt().plus(refreshEvery))) {
            return seen;
        }
        return refresh(seen);
    }

    private synchronized Keys refresh(Keys seen) {
        if (keys != seen) {
            return keys; // another request re-read meanwhile
        }
        Instant now = clock.instant();
        Keys next;
        try {
            SecretKeySpec read = spec(source.get());
            if (MessageDigest.isEqual(read.getEncoded(), seen.current().getEncoded())) {
                next = new Keys(seen.current(), seen.previous(), now);
            } else {
                next = new Keys(read, seen.current(), now);
                LOG.info("playback_key.rotated", Map.of("previousKeptUntilNextRotation", true));
            }
        } catch (RuntimeException e) {
            LOG.warn("playback_key.reread_failed", Map.of("error", e.getClass().getSimpleName(),
                    "retryAfter", refreshEvery.toString()));
            next = new Keys(seen.current(), seen.previous(), now);
        }
        keys = next;
        return next;
    }

    private static SecretKeySpec spec(byte[] key) {
        if (key == null || key.length < PlaybackTokens.MIN_KEY_BYTES) {
            throw new IllegalArgumentException("A playback token key needs at least " + PlaybackTokens.MIN_KEY_BYTES + " bytes");
        }
        return new SecretKeySpec(key.clone(), "HmacSHA256");
    }
}
