package io.reel.auth;

import io.reel.core.Env;
import java.time.Duration;

/**
 * The auth function's tunables: token lifetimes and the back-off after repeated failures.
 *
 * @param throttleAfter consecutive failures after which each further attempt waits (exponentially)
 * @param maxBackoff the longest wait: a stranger can slow an account down, never lock it
 */
public record AuthSettings(Duration accessTokenTtl, Duration refreshTtl, Duration refreshAbsoluteTtl, int throttleAfter,
                           Duration maxBackoff) {

    /** {@code ACCESS_TOKEN_TTL} (15m), {@code REFRESH_TOKEN_TTL} (30d, sliding), {@code REFRESH_TOKEN_MAX_AGE} (90d). */
    public static AuthSettings from(Env env) {
        return new AuthSettings(
                env.duration("ACCESS_TOKEN_TTL", Duration.ofMinutes(15)),
                env.duration("REFRESH_TOKEN_TTL", Duration.ofDays(30)),
                env.duration("REFRESH_TOKEN_MAX_AGE", Duration.ofDays(90)),
                5,
                Duration.ofMinutes(15));
    }

    /** How long an account waits after {@code failures} consecutive failures: 1 s, 2 s, 4 s … capped. */
    public Duration backoff(int failures) {
        if (failures < throttleAfter) {
            return Duration.ZERO;
        }
        int exponent = Math.min(failures - throttleAfter, 20);
        Duration wait = Duration.ofSeconds(1L << exponent);
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }
}
