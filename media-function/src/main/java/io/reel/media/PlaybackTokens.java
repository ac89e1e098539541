package io.reel.media;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Playback tokens: what a playlist request carries in its query string instead of an access token, so native HLS
 * players (which cannot send an {@code Authorization} header) work too. A token is scoped to one video and one expiry:
 * {@code {expiryEpochSeconds}.{base64url HMAC-SHA256(key, "reel-playback-v1\n" + videoId + "\n" + expiry)}}. The
 * video id is not in the token but in the MAC, so a token for video A is simply not valid for video B's path.
 *
 * <p>The media function issues and checks its own tokens, so a symmetric key is enough: 32+ random bytes from a
 * Secrets Manager secret in AWS, a key file locally. Anyone with the key can mint tokens, so it is a
 * secret like a signing key; a rotated secret reaches running containers within a bound ({@link PlaybackKeys}).
 * Thread-safe (a {@link Mac} per call).
 */
final class PlaybackTokens {
    static final int MIN_KEY_BYTES = 32;
    /** Longer than any token this class issues (10 digits, a dot, 43 characters); refuse anything bigger unread. */
    static final int MAX_TOKEN_CHARS = 64;
    private static final String CONTEXT = "reel-playback-v1\n";

    private final PlaybackKeys keys;
    private final Clock clock;

    PlaybackTokens(byte[] key, Clock clock) {
        this(PlaybackKeys.fixed(key, clock), clock);
    }

    /** Tokens issued with the current key and accepted with it or the one before it ({@link PlaybackKeys}). */
    PlaybackTokens(PlaybackKeys keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /** A token for {@code videoId} valid until {@code expiresAt} (to the second, rounded down). */
    String issue(String videoId, Instant expiresAt) {
        long expiry = expiresAt.getEpochSecond();
        return expiry + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(keys.now().current(), videoId, expiry));
    }

    /** The token's expiry if it was issued for this video and has not expired; empty for anything else. */
    Optional<Instant> verify(String videoId, String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (dot < 1 || dot > 12) {
            return Optional.empty();
        }
        long expiry = 0;
        for (int i = 0; i < dot; i++) {
            char c = token.charAt(i);
            if (c < '0' || c > '9') {
                return Optional.empty();
            }
            expiry = expiry * 10 + (c - '0');
        }
        byte[] presented;
        try {
            presented = Base64.getUrlDecoder().decode(token.substring(dot + 1));
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
        PlaybackKeys.Keys now = keys.now();
        boolean genuine = matches(now.current(), videoId, expiry, presented)
                || now.previous() != null && matches(now.previous(), videoId, expiry, presented);
        Instant expiresAt = Instant.ofEpochSecond(expiry);
        return genuine && clock.instant().isBefore(expiresAt) ? Optional.of(expiresAt) : Optional.empty();
    }

    /** Compares first, then the caller checks the time: the same work whether the token is forged or stale. */
    private static boolean matches(SecretKeySpec key, String videoId, long expiry, byte[] presented) {
        byte[] expected = mac(key, videoId, expiry);
        boolean genuine = MessageDigest.isEqual(expected, presented);
        Arrays.fill(expected, (byte) 0);
        return genuine;
    }

    private static byte[] mac(SecretKeySpec key, String videoId, long expiry) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal((CONTEXT + videoId + "\n" + expiry).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
