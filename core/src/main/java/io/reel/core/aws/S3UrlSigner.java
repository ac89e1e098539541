package io.reel.core.aws;

import io.reel.core.domain.SignedUrl;
import io.reel.core.log.JsonLog;
import io.reel.core.port.UrlSigner;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
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
 * <p>{@link #under} signs a playlist's worth of keys in a few milliseconds instead of the SDK's ~30 us each, when the
 * signer was given the presigner's credentials provider: it presigns one probe (the prefix itself) with the SDK and
 * signs every other key from that template with a signing key derived once ({@link SigV4QueryPresigner}), giving
 * byte for byte the URL the SDK would give in the same second. If the probe cannot be reproduced (another signing
 * algorithm, credentials that changed in between), or no credentials provider was given, each key is presigned by
 * the SDK instead. All of a batch's URLs share the probe's {@code X-Amz-Date}, so they expire together.
 *
 * <p>Keys must come from the server's own records; they are still checked before signing, and anything that is not
 * a plain relative object key is refused: blank, a leading {@code /}, {@code .} or {@code ..} segments (which an
 * HTTP client would normalise away, so the URL would name another path), control characters, unpaired surrogates,
 * or more than 1,024 bytes of UTF-8 (S3's limit). Thread-safe if the presigner and the credentials provider are (the
 * SDK's are); a {@link PrefixSigner} from {@link #under} is not, so use each from one thread.
 */
public final class S3UrlSigner implements UrlSigner {
    /** The longest a SigV4 presigned URL may live. */
    public static final Duration S3_MAX_LIFETIME = Duration.ofDays(7);
    /** S3's limit on a key's length, in bytes of UTF-8. */
    public static final int MAX_KEY_BYTES = ObjectKeys.MAX_KEY_BYTES;
    private static final JsonLog LOG = JsonLog.create(S3UrlSigner.class);

    private final S3Presigner presigner;
    /** The presigner's credentials, for {@link #under}'s own signing; null: presign each key with the SDK. */
    private final AwsCredentialsProvider credentials;
    private final String bucket;
    private final Clock clock;
    private final Duration maxLifetime;

    /** A signer whose {@link #under} presigns each key with the SDK (~30 us a key); see {@link #create}. */
    public S3UrlSigner(S3Presigner presigner, String bucket, Clock clock, Duration maxLifetime) {
        this(presigner, null, bucket, clock, maxLifetime);
    }

    private S3UrlSigner(S3Presigner presigner, AwsCredentialsProvider credentials, String bucket, Clock clock,
                        Duration maxLifetime) {
        this.presigner = Objects.requireNonNull(presigner, "presigner");
        this.credentials = credentials;
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

    /**
     * A signer whose {@link #under} signs keys itself, with a signing key derived once per batch. {@code credentials}
     * must be the provider {@code presigner} was built with (as {@code AwsClients.s3UrlSigner} ensures); it needs no
     * region, as the credential scope is read from the presigner's own URL and so always agrees with it.
     */
    public static S3UrlSigner create(S3Presigner presigner, AwsCredentialsProvider credentials, String bucket, Clock clock,
                                     Duration maxLifetime) {
        return new S3UrlSigner(presigner, Objects.requireNonNull(credentials, "credentials"), bucket, clock, maxLifetime);
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
        ObjectKeys.requireSafeKey(key);
        Duration used = effectiveLifetime(lifetime);
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        try {
            Optional<SigV4QueryPresigner> own = signingNow(used);
            String url = own.isPresent() ? own.get().presign(key) : presign(key, used).url().toString();
            return new SignedUrl(new java.net.URI(url), now.plus(used));
        } catch (URISyntaxException e) {
            throw new IllegalStateException("The presigner produced an invalid URL", e);
        }
    }

    /**
     * Our own signing for this second and lifetime, from a template the SDK's presigner gave once for the current
     * credentials (and again whenever they change): byte for byte the URL the SDK would give in this second. The SDK's
     * presign resolves S3's endpoint rules every time (about 0.2 ms of CPU, the largest single cost of a catalogue
     * page, which signs every poster); this costs a few microseconds. Empty without a credentials provider, or when
     * the SDK's URL cannot be reproduced (then the SDK presigns each URL, as before).
     */
    private Optional<SigV4QueryPresigner> signingNow(Duration used) {
        // Dated as the SDK dates its URLs: by the system clock (this.clock only says when they expire).
        return signing(Instant.now(), used);
    }

    /** As {@link #signingNow}, every URL dated {@code signedAt} instead. */
    private Optional<SigV4QueryPresigner> signing(Instant signedAt, Duration used) {
        if (credentials == null) {
            return Optional.empty();
        }
        AwsCredentials resolved = credentials.resolveCredentials();
        Base current = base;
        if (current == null || !current.credentials().equals(resolved)) {
            String probe = presign(PROBE_KEY, used).url().toString();
            Optional<SigV4QueryPresigner> reproducing = SigV4QueryPresigner.reproducing(probe, PROBE_KEY, resolved);
            if (reproducing.isEmpty()) {
                LOG.warn("cannot reproduce the SDK's presigned URL; presigning each key with the SDK", Map.of("bucket", bucket));
            }
            current = new Base(resolved, reproducing.orElse(null)); // a failure is remembered too: no probe per URL
            base = current;
        }
        if (current.presigner() == null) {
            return Optional.empty();
        }
        return current.presigner().at(signedAt, used, resolved);
    }

    /** A verified template (null: the SDK's URLs could not be reproduced) and the credentials it signs with. */
    private record Base(AwsCredentials credentials, SigV4QueryPresigner presigner) {
    }

    /** The key the template is probed with: any key will do, as the template substitutes each key signed. */
    private static final String PROBE_KEY = "reel-signing-probe";
    private volatile Base base;

    /**
     * Many keys under {@code prefix}, all signed in the same second for the same lifetime (capped, whole seconds, as
     * {@link #sign}), so {@link PrefixSigner#expiresAt()} is known at once: that second plus the lifetime used. Each
     * key is checked as {@link #sign} checks it, and must lie under the prefix.
     *
     * @throws IllegalArgumentException if the prefix is not a safe key prefix, or the lifetime is not at least 1 s
     */
    @Override
    public PrefixSigner under(String prefix, Duration lifetime) {
        PrefixSigner.requireSafePrefix(prefix);
        ObjectKeys.requireSafeKey(prefix);
        Duration used = effectiveLifetime(lifetime);
        if (credentials == null) {
            return UrlSigner.super.under(prefix, used);
        }
        Optional<SigV4QueryPresigner> own = signingNow(used);
        if (own.isEmpty()) {
            return UrlSigner.super.under(prefix, used);
        }
        return new BatchSigner(prefix, own.get(), own.get().signedAt().plus(used));
    }

    /**
     * {@link UrlSigner#under(String, Instant, Duration)}: every URL dated {@code signedAt} (to the second), its
     * {@code X-Amz-Expires} the lifetime used (capped, whole seconds), so it expires at {@link PrefixSigner#expiresAt()};
     * the same key, instant, lifetime and credentials give the same URL. This takes {@link #under}'s own signing (a
     * signer from {@link #create} whose probe it can reproduce); otherwise the SDK presigns each key as of now, to
     * expire at the same instant, so the URLs live as long but differ from one batch to the next.
     *
     * @throws IllegalArgumentException if the prefix is not a safe key prefix, the lifetime is not at least 1 s, or
     *     {@code signedAt} is null, later than now, or so early that the URLs would already have expired
     */
    @Override
    public PrefixSigner under(String prefix, Instant signedAt, Duration lifetime) {
        PrefixSigner.requireSafePrefix(prefix);
        ObjectKeys.requireSafeKey(prefix);
        Duration used = effectiveLifetime(lifetime);
        if (signedAt == null) {
            throw new IllegalArgumentException("signedAt is null");
        }
        Instant from = signedAt.truncatedTo(ChronoUnit.SECONDS);
        Instant expiresAt = from.plus(used);
        Instant now = clock.instant();
        UrlSigner.requireSignable(from, expiresAt, now);
        Optional<SigV4QueryPresigner> dated = signing(from, used);
        if (dated.isPresent()) {
            return new BatchSigner(prefix, dated.get(), expiresAt);
        }
        // The SDK dates every URL now: give it what is left of the lifetime, so the URLs still expire at expiresAt.
        return UrlSigner.super.under(prefix, Duration.between(now.truncatedTo(ChronoUnit.SECONDS), expiresAt));
    }

    private PresignedGetObjectRequest presign(String key, Duration lifetime) {
        PresignedGetObjectRequest presigned = presigner.presignGetObject(r -> r.signatureDuration(lifetime)
                .getObjectRequest(g -> g.bucket(bucket).key(key)));
        if (!presigned.isBrowserExecutable()) {
            // Extra signed headers or a body would make the URL unusable by a player's plain GET.
            throw new IllegalStateException("The presigner produced a GET that needs signed headers "
                    + presigned.signedHeaders().keySet() + "; check its configuration");
        }
        return presigned;
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

    /** {@link #under}'s fast path: checks each key, then signs it from the probe's template. Not thread-safe. */
    private static final class BatchSigner implements PrefixSigner {
        private final String prefix;
        private final SigV4QueryPresigner presigner;
        private final Instant expiresAt;

        BatchSigner(String prefix, SigV4QueryPresigner presigner, Instant expiresAt) {
            this.prefix = prefix;
            this.presigner = presigner;
            this.expiresAt = expiresAt;
        }

        @Override
        public String url(String key) {
            PrefixSigner.requireUnder(prefix, key);
            ObjectKeys.requireSafeKey(key);
            return presigner.presign(key);
        }

        @Override
        public Instant expiresAt() {
            return expiresAt;
        }
    }
}
