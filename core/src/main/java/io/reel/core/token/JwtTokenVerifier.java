package io.reel.core.token;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.Claim;
import com.auth0.jwt.interfaces.DecodedJWT;
import io.reel.core.domain.Scope;
import io.reel.core.domain.TokenClaims;
import io.reel.core.port.TokenVerifier;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Verifies RS256 access tokens with java-jwt. The algorithm is fixed here, never taken from the token: a header
 * whose {@code alg} is not exactly {@code RS256} is refused before any key is touched. The key is looked up by
 * {@code kid} in a map fixed at construction ({@code jku}, {@code x5u} and {@code jwk} headers are never read).
 * {@code exp}, {@code sub}, {@code tv} are required, {@code iss} and {@code aud} must match, {@code nbf}/{@code iat}/
 * {@code exp} are checked with at most 30 s of clock leeway, and tokens longer than 8 KiB are refused unparsed.
 */
public final class JwtTokenVerifier implements TokenVerifier {
    /** Longer tokens are refused before any parsing; ours are well under 1 KiB. */
    public static final int MAX_TOKEN_LENGTH = 8 * 1024;
    public static final Duration MAX_LEEWAY = Duration.ofSeconds(30);
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final Map<String, JWTVerifier> verifiers;

    private JwtTokenVerifier(Map<String, JWTVerifier> verifiers) {
        this.verifiers = verifiers;
    }

    /**
     * @param keys    public keys by {@code kid}: the current signing key and retired keys still in their grace period
     * @param leeway  clock skew allowed on {@code exp}, {@code nbf} and {@code iat}; at most 30 s
     */
    public static JwtTokenVerifier rs256(String issuer, String audience, Map<String, RSAPublicKey> keys, Duration leeway, Clock clock) {
        if (leeway.isNegative() || leeway.compareTo(MAX_LEEWAY) > 0) {
            throw new IllegalArgumentException("The clock leeway must be 0 to 30 seconds, not " + leeway);
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("No verification keys");
        }
        Map<String, JWTVerifier> verifiers = keys.entrySet().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getKey,
                e -> ((JWTVerifier.BaseVerification) JWT.require(Algorithm.RSA256(e.getValue(), null))
                        .withIssuer(issuer)
                        .withAudience(audience)
                        .withClaimPresence("exp")
                        .withClaimPresence("sub")
                        .withClaimPresence("tv")
                        .acceptLeeway(leeway.toSeconds()))
                        .build(clock)));
        return new JwtTokenVerifier(verifiers);
    }

    @Override
    public TokenClaims verify(String token) {
        if (token == null || token.length() > MAX_TOKEN_LENGTH) {
            throw new InvalidTokenException("token missing or longer than " + MAX_TOKEN_LENGTH + " characters");
        }
        if (!SHAPE.matcher(token).matches()) {
            throw new InvalidTokenException("not three base64url parts with a signature");
        }
        try {
            return verifyShaped(token);
        } catch (InvalidTokenException e) {
            throw e;
        } catch (RuntimeException e) {
            // Hostile JSON reaches corners of the parser nobody meant to (a header that is the JSON text null,
            // a null claim): whatever breaks, the token is refused, never an error the caller did not expect.
            throw new InvalidTokenException("unusable token: " + e.getClass().getSimpleName(), e);
        }
    }

    private TokenClaims verifyShaped(String token) {
        DecodedJWT decoded;
        try {
            decoded = JWT.decode(token);
        } catch (JWTDecodeException e) {
            throw new InvalidTokenException("undecodable: " + e.getMessage(), e);
        }
        if (!"RS256".equals(decoded.getAlgorithm())) {
            throw new InvalidTokenException("algorithm is not RS256");
        }
        String keyId = decoded.getKeyId();
        JWTVerifier verifier = keyId == null || !KEY_ID.matcher(keyId).matches() ? null : verifiers.get(keyId);
        if (verifier == null) {
            throw new InvalidTokenException("unknown or malformed key id");
        }
        try {
            verifier.verify(decoded);
        } catch (JWTVerificationException e) {
            throw new InvalidTokenException(e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
        return claims(decoded);
    }

    private static TokenClaims claims(DecodedJWT jwt) {
        Claim tv = jwt.getClaim("tv");
        Long tokenVersion = tv.isMissing() || tv.isNull() ? null : tv.asLong();
        String username = jwt.getClaim("preferred_username").asString();
        String scope = jwt.getClaim("scope").asString();
        if (tokenVersion == null || username == null || jwt.getSubject() == null || jwt.getSubject().isEmpty()
                || jwt.getExpiresAtAsInstant() == null) {
            throw new InvalidTokenException("sub, exp, preferred_username or a numeric tv is missing");
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        if (scope != null) {
            for (String value : scope.split(" ")) {
                Optional<Scope> known = Scope.fromValue(value);
                known.ifPresent(scopes::add); // a scope this version does not know grants nothing
            }
        }
        return new TokenClaims(jwt.getSubject(), username, scopes, tokenVersion,
                jwt.getId() == null ? "" : jwt.getId(), jwt.getIssuedAtAsInstant() == null ? jwt.getExpiresAtAsInstant()
                : jwt.getIssuedAtAsInstant(), jwt.getExpiresAtAsInstant());
    }
}
