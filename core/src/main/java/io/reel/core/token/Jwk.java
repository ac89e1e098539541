package io.reel.core.token;

import java.security.interfaces.RSAPublicKey;
import java.util.Objects;

/** One public key as JWKS publishes it (RFC 7517/7518): RSA, for RS256 signatures. */
public record Jwk(String kty, String kid, String use, String alg, String n, String e) {
    public Jwk {
        Objects.requireNonNull(kid, "kid");
    }

    public static Jwk rs256(String keyId, RSAPublicKey key) {
        return new Jwk("RSA", keyId, "sig", "RS256", RsaKeys.base64UrlUnsigned(key.getModulus()),
                RsaKeys.base64UrlUnsigned(key.getPublicExponent()));
    }
}
