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
 * Secrets Manager secret in AWS, a key file locally, read once. Anyone with the key can mint tokens, so it is a
 * secret like a signing key. Thread-safe (a {@link Mac} per call).
 */
final class PlaybackTokens {
    static final int MIN_KEY_BYTES = 32;
    /** Longer than any token this class issues (10 digits, a dot, 43 characters); refuse anything bigger unread. */
    static final int MAX_TOKEN_CHARS = 64;
    private static final String CONTEXT = "reel-playback-v1\n";

    private final SecretKeySpec key;
    private final Clock clock;

    PlaybackTokens(byte[] key, Clock clock) {
        if (key == null || key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("A playback token key needs at least " + MIN_KEY_BYTES + " bytes");
        }
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
        this.clock = clock;
    }

    /** A token for {@code videoId} valid until {@code expiresAt} (to the second, rounded down). */
    String issue(String videoId, Instant expiresAt) {
        long expiry = expiresAt.getEpochSecond();
        return expiry + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(videoId, expiry));
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
        byte[] expected = mac(videoId, expiry);
        // Compare first, then check the time: the same work whether the token is forged or stale.
        boolean genuine = MessageDigest.isEqual(expected, presented);
        Arrays.fill(expected, (byte) 0);
        Instant expiresAt = Instant.ofEpochSecond(expiry);
        return genuine && clock.instant().isBefore(expiresAt) ? Optional.of(expiresAt) : Optional.empty();
    }

    private byte[] mac(String videoId, long expiry) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal((CONTEXT + videoId + "\n" + expiry).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
