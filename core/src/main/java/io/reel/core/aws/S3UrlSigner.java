package io.reel.core.aws;

import io.reel.core.domain.SignedUrl;
import io.reel.core.port.UrlSigner;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedGetObjectRequest;

/**
 * {@link UrlSigner} by S3 SigV4 presigned GETs on the media bucket.
 *
 * <p>The URLs are Range-capable: the only signed header is {@code host}, so a player may add {@code Range} (or any
 * other unsigned header) and S3 answers {@code 206 Partial Content}. The signature covers the method, the bucket, the
 * key and the {@code X-Amz-*} query parameters (including {@code X-Amz-Expires}), so a URL cannot be reused for
 * another object, nor have its lifetime stretched.
 *
 * <p>Lifetimes are capped at {@code maxLifetime} and at {@link #S3_MAX_LIFETIME} (7 days, SigV4's maximum), and
 * counted in whole seconds as {@code X-Amz-Expires} is. The returned {@link SignedUrl#expiresAt()} is {@code clock}'s
 * current second plus the lifetime used, which is never later than the URL really expires; the SDK stamps
 * {@code X-Amz-Date} from the system clock, so in production {@code clock} should be the system clock. Presigning
 * is local (no network call). The credentials' own lifetime still bounds the URL: one signed with temporary
 * (session) credentials stops working when they expire.
 *
 * <p>The URL's scheme and host are the presigner's: with an emulator (endpoint override, path-style) it is the
 * emulator's URL, e.g. {@code http://127.0.0.1:PORT/bucket/key?X-Amz-...}.
 *
 * <p>Keys must come from the server's own records; they are still checked before signing, and anything that is not
 * a plain relative object key is refused: blank, a leading {@code /}, {@code .} or {@code ..} segments (which an
 * HTTP client would normalise away, so the URL would name another path), control characters, unpaired surrogates,
 * or more than 1,024 bytes of UTF-8 (S3's limit). Thread-safe if the presigner is (the SDK's is).
 */
public final class S3UrlSigner implements UrlSigner {
    /** The longest a SigV4 presigned URL may live. */
    public static final Duration S3_MAX_LIFETIME = Duration.ofDays(7);
    /** S3's limit on a key's length, in bytes of UTF-8. */
    public static final int MAX_KEY_BYTES = 1024;

    private final S3Presigner presigner;
    private final String bucket;
    private final Clock clock;
    private final Duration maxLifetime;

    public S3UrlSigner(S3Presigner presigner, String bucket, Clock clock, Duration maxLifetime) {
        this.presigner = Objects.requireNonNull(presigner, "presigner");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(maxLifetime, "maxLifetime");
        if (bucket.isBlank()) {
            throw new IllegalArgumentException("bucket is blank");
        }
        if (maxLifetime.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("maxLifetime must be at least 1 s, not " + maxLifetime);
        }
        this.maxLifetime = maxLifetime.compareTo(S3_MAX_LIFETIME) > 0 ? S3_MAX_LIFETIME : maxLifetime;
    }

    /** The cap applied to every lifetime: {@code maxLifetime}, at most 7 days. */
    public Duration maxLifetime() {
        return maxLifetime;
    }

    /**
     * @throws IllegalArgumentException if the key is not a plain relative object key (see the class comment), or the
     *     lifetime is null, zero, negative or shorter than a second
     */
    @Override
    public SignedUrl sign(String key, Duration lifetime) {
        requireSafeKey(key);
        Duration used = effectiveLifetime(lifetime);
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        PresignedGetObjectRequest presigned = presigner.presignGetObject(r -> r.signatureDuration(used)
                .getObjectRequest(g -> g.bucket(bucket).key(key)));
        if (!presigned.isBrowserExecutable()) {
            // Extra signed headers or a body would make the URL unusable by a player's plain GET.
            throw new IllegalStateException("The presigner produced a GET that needs signed headers "
                    + presigned.signedHeaders().keySet() + "; check its configuration");
        }
        try {
            return new SignedUrl(presigned.url().toURI(), now.plus(used));
        } catch (URISyntaxException e) {
            throw new IllegalStateException("The presigner produced an invalid URL", e);
        }
    }

    private Duration effectiveLifetime(Duration lifetime) {
        if (lifetime == null || lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("lifetime must be positive, not " + lifetime);
        }
        Duration capped = lifetime.compareTo(maxLifetime) > 0 ? maxLifetime : lifetime;
        Duration whole = capped.truncatedTo(ChronoUnit.SECONDS);
        if (whole.isZero()) {
            throw new IllegalArgumentException("lifetime must be at least 1 s (S3 counts whole seconds), not " + lifetime);
        }
        return whole;
    }

    private static void requireSafeKey(String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("key is blank");
        }
        if (key.charAt(0) == '/') {
            throw new IllegalArgumentException("key must not start with '/'");
        }
        int bytes = 0;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isISOControl(c)) {
                throw new IllegalArgumentException("key contains a control character at index " + i);
            }
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < key.length() && Character.isLowSurrogate(key.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("key contains an unpaired surrogate at index " + i);
            } else {
                bytes += 3;
            }
        }
        if (bytes > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("key is " + bytes + " bytes of UTF-8; S3 allows " + MAX_KEY_BYTES);
        }
        int start = 0;
        while (start <= key.length()) {
            int end = key.indexOf('/', start);
            if (end < 0) {
                end = key.length();
            }
            int length = end - start;
            if ((length == 1 || length == 2) && key.startsWith("..".substring(0, length), start)) {
                throw new IllegalArgumentException("key must not contain '.' or '..' segments");
            }
            start = end + 1;
        }
    }
}
