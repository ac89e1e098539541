package io.reel.auth;

import io.reel.core.ConfigurationException;
import io.reel.core.Env;
import java.time.Duration;

/**
 * The auth function's tunables: token lifetimes, the back-off after repeated failures, and the refresh grace window.
 *
 * @param throttleAfter consecutive failures after which each further attempt waits (exponentially)
 * @param maxBackoff the longest wait: a stranger can slow an account down, never lock it
 * @param failureMemory how long failures are remembered: a failure longer ago than this since the previous one
 *     starts the count again
 * @param refreshReuseGrace how long after its rotation a refresh token presented again counts as a concurrent
 *     duplicate (a sibling session) rather than reuse (the family revoked); zero: never
 */
public record AuthSettings(Duration accessTokenTtl, Duration refreshTtl, Duration refreshAbsoluteTtl, int throttleAfter,
                           Duration maxBackoff, Duration failureMemory, Duration refreshReuseGrace) {
    /** Consecutive wrong passwords before the first wait. */
    static final int THROTTLE_AFTER = 5;
    /** The longest wait one account can be put in: long enough to make guessing slow, short enough not to lock. */
    static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
    /** Failures further apart than this are not consecutive. */
    static final Duration FAILURE_MEMORY = Duration.ofMinutes(15);

    /** The longest grace accepted: beyond it the window would be a thief's as much as a second tab's. */
    static final Duration MAX_REFRESH_REUSE_GRACE = Duration.ofMinutes(1);

    /**
     * {@code ACCESS_TOKEN_TTL} (15m), {@code REFRESH_TOKEN_TTL} (30d, sliding), {@code REFRESH_TOKEN_MAX_AGE} (90d),
     * {@code REFRESH_REUSE_GRACE} (15s; 0s turns it off; at most 1m).
     */
    public static AuthSettings from(Env env) {
        Duration grace = env.duration("REFRESH_REUSE_GRACE", Duration.ofSeconds(15));
        if (grace.compareTo(MAX_REFRESH_REUSE_GRACE) > 0) {
            throw new ConfigurationException("Environment variable REFRESH_REUSE_GRACE is out of range: got '"
                    + env.optional("REFRESH_REUSE_GRACE").orElse("") + "', expected 0s (off) to 1m: a longer window would let a "
                    + "stolen refresh token be used alongside its owner's.");
        }
        return new AuthSettings(
                env.duration("ACCESS_TOKEN_TTL", Duration.ofMinutes(15)),
                env.duration("REFRESH_TOKEN_TTL", Duration.ofDays(30)),
                env.duration("REFRESH_TOKEN_MAX_AGE", Duration.ofDays(90)),
                THROTTLE_AFTER,
                MAX_BACKOFF,
                FAILURE_MEMORY,
                grace);
    }

    /**
     * How long an account waits after {@code failures} consecutive wrong passwords: nothing for the first four, then
     * 1 s, 2 s, 4 s … up to {@link #maxBackoff()}. Attempts refused while waiting are not failures: no password was
     * checked, so they neither count nor lengthen the wait.
     */
    public Duration backoff(int failures) {
        if (failures < throttleAfter) {
            return Duration.ZERO;
        }
        int exponent = Math.min(failures - throttleAfter, 20);
        Duration wait = Duration.ofSeconds(1L << exponent);
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }
}
