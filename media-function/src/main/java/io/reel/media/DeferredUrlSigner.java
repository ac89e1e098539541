package io.reel.media;

import io.reel.core.domain.SignedUrl;
import io.reel.core.port.UrlSigner;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A {@link UrlSigner} made on first use and kept: the CloudFront signer when the distribution's name is only known
 * after this function was published (the stack's distribution has the API, hence this function, as an origin, so the
 * function reads the name from an SSM parameter the stack writes once the distribution exists). A failed attempt is
 * not kept: the next request tries again, and meanwhile requests that sign fail (a 500 with a reference, logged).
 */
final class DeferredUrlSigner implements UrlSigner {
    private final Supplier<UrlSigner> factory;
    private volatile UrlSigner signer;

    DeferredUrlSigner(Supplier<UrlSigner> factory) {
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    private UrlSigner signer() {
        UrlSigner made = signer;
        if (made == null) {
            synchronized (this) {
                made = signer;
                if (made == null) {
                    made = Objects.requireNonNull(factory.get(), "signer");
                    signer = made;
                }
            }
        }
        return made;
    }

    @Override
    public SignedUrl sign(String key, Duration lifetime) {
        return signer().sign(key, lifetime);
    }

    @Override
    public PrefixSigner under(String prefix, Duration lifetime) {
        return signer().under(prefix, lifetime);
    }

    @Override
    public PrefixSigner under(String prefix, Instant signedAt, Duration lifetime) {
        return signer().under(prefix, signedAt, lifetime);
    }
}
