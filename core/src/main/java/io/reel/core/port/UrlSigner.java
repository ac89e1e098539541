package io.reel.core.port;

import io.reel.core.domain.SignedUrl;
import java.time.Duration;
import java.time.Instant;

/** Signs time-limited, Range-capable GET URLs for objects in the media bucket (S3 presigned or CloudFront). */
public interface UrlSigner {
    /** The key must come from the server's own records, never from a client. */
    SignedUrl sign(String key, Duration lifetime);

    /**
     * A signer for many keys under one prefix (a video's {@code videos/{id}/}) that all expire together, as a
     * rewritten playlist's segments do. Implementations make it cheap: CloudFront signs once with a wildcard policy for
     * the prefix; S3 derives the SigV4 signing key once. Every key must lie under the prefix, or
     * {@link PrefixSigner#url(String)} throws {@link IllegalArgumentException}.
     *
     * <p>This default signs each key on its own; fine for tests and small batches.
     */
    default PrefixSigner under(String prefix, Duration lifetime) {
        PrefixSigner.requireSafePrefix(prefix);
        return new PrefixSigner() {
            private Instant expiresAt;

            @Override
            public String url(String key) {
                PrefixSigner.requireUnder(prefix, key);
                SignedUrl signed = sign(key, lifetime);
                if (expiresAt == null || signed.expiresAt().isBefore(expiresAt)) {
                    expiresAt = signed.expiresAt();
                }
                return signed.url().toString();
            }

            @Override
            public Instant expiresAt() {
                return expiresAt;
            }
        };
    }

    /**
     * As {@link #under(String, Duration)}, but as of {@code signedAt}, an instant not later than now (say, the start of
     * the hour): the URLs expire at {@code signedAt} (to the second) plus the lifetime (capped as the signer caps
     * lifetimes), and where the signer can, the same key signed as of the same instant for the same lifetime is the
     * same URL, so a browser's cache serves an immutable object (a poster) again instead of fetching it anew.
     *
     * @throws IllegalArgumentException if the prefix is unsafe, the lifetime is not at least 1 s, {@code signedAt} is
     *     null or later than now, or the URLs would already have expired
     */
    PrefixSigner under(String prefix, Instant signedAt, Duration lifetime);

    /**
     * Refuses a signing instant ({@code signedAt}, already to the second) later than {@code now}, or whose URLs, expiring
     * at {@code expiresAt}, would not outlive {@code now}.
     */
    static void requireSignable(Instant signedAt, Instant expiresAt, Instant now) {
        if (signedAt.isAfter(now)) {
            throw new IllegalArgumentException("URLs cannot be signed as of a later instant than now: " + signedAt + " is after "
                    + now);
        }
        if (!expiresAt.isAfter(now)) {
            throw new IllegalArgumentException("URLs signed as of " + signedAt + " would have expired at " + expiresAt
                    + ", before now (" + now + ")");
        }
    }

    /** Signs keys under one prefix; not thread-safe unless the implementation says so. */
    interface PrefixSigner {
        /** The signed URL of {@code key}, which must start with the prefix and contain no {@code .}/{@code ..} segments. */
        String url(String key);

        /** When the URLs stop working (the earliest, if they differ); null before the first URL for the default. */
        Instant expiresAt();

        /** A prefix is a relative folder: non-empty, ending in {@code /}, no leading {@code /}, no dot segments. */
        static void requireSafePrefix(String prefix) {
            if (prefix == null || prefix.isEmpty() || !prefix.endsWith("/") || prefix.startsWith("/")
                    || hasDotSegment(prefix)) {
                throw new IllegalArgumentException("Not a key prefix: " + prefix);
            }
        }

        static void requireUnder(String prefix, String key) {
            if (key == null || !key.startsWith(prefix) || key.length() == prefix.length() || hasDotSegment(key)) {
                throw new IllegalArgumentException("The key is not under " + prefix);
            }
        }

        private static boolean hasDotSegment(String path) {
            for (String segment : path.split("/", -1)) {
                if (segment.equals(".") || segment.equals("..")) {
                    return true;
                }
            }
            return false;
        }
    }
}
