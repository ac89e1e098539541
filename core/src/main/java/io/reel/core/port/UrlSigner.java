package io.reel.core.port;

import io.reel.core.domain.SignedUrl;
import java.time.Duration;

/** Signs time-limited, Range-capable GET URLs for objects in the media bucket (S3 presigned or CloudFront). */
public interface UrlSigner {
    /** The key must come from the server's own records, never from a client. */
    SignedUrl sign(String key, Duration lifetime);
}
