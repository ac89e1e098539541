package io.reel.core.token;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import io.reel.core.domain.Scope;
import io.reel.core.domain.TokenClaims;
import io.reel.core.port.TokenSigner;
import java.security.KeyPair;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Signs access tokens as RS256 JWTs: {@code sub}, {@code iss}, {@code aud}, {@code exp}, {@code iat}, {@code jti},
 * {@code scope} (space-separated), {@code tv} (token version) and {@code preferred_username}, with {@code kid} in
 * the header. RS256 because the authorizer verifies every request: RSA verification is ~10× cheaper than ECDSA.
 */
public final class JwtTokenSigner implements TokenSigner {
    private final String issuer;
    private final String audience;
    private final String keyId;
    private final RSAPublicKey publicKey;
    private final Algorithm algorithm;

    private JwtTokenSigner(String issuer, String audience, String keyId, RSAPublicKey publicKey, Algorithm algorithm) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.audience = Objects.requireNonNull(audience, "audience");
        this.keyId = Objects.requireNonNull(keyId, "keyId");
        this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
        this.algorithm = algorithm;
    }

    /** A signer holding the private key in memory: the local platform's key file. */
    public static JwtTokenSigner withKeyPair(String issuer, String audience, KeyPair keys) {
        RSAPublicKey publicKey = (RSAPublicKey) keys.getPublic();
        return new JwtTokenSigner(issuer, audience, RsaKeys.keyId(publicKey), publicKey,
                Algorithm.RSA256(publicKey, (RSAPrivateKey) keys.getPrivate()));
    }

    /** A signer whose private key never leaves KMS: every signature is a KMS {@code Sign} call. */
    public static JwtTokenSigner withKms(String issuer, String audience, KmsRs256Algorithm kms) {
        return new JwtTokenSigner(issuer, audience, kms.keyId(), kms.publicKey(), kms);
    }

    @Override
    public String sign(TokenClaims claims) {
        return JWT.create()
                .withKeyId(keyId)
                .withIssuer(issuer)
                .withAudience(audience)
                .withSubject(claims.subject())
                .withIssuedAt(claims.issuedAt())
                .withExpiresAt(claims.expiresAt())
                .withJWTId(claims.tokenId())
                .withClaim("scope", claims.scopes().stream().map(Scope::value).sorted().collect(Collectors.joining(" ")))
                .withClaim("tv", claims.tokenVersion())
                .withClaim("preferred_username", claims.username())
                .sign(algorithm);
    }

    @Override
    public String keyId() {
        return keyId;
    }

    /** The public half, for the JWKS route. */
    public Jwk jwk() {
        return Jwk.rs256(keyId, publicKey);
    }
}
