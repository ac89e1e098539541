package io.reel.core.token;

import io.reel.core.domain.Scope;
import io.reel.core.domain.TokenClaims;
import io.reel.core.port.TokenVerifier;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Verifies RS256 access tokens. The algorithm is fixed here, never taken from the token: a header whose {@code alg}
 * is not exactly {@code RS256} is refused before any key is touched. The key is looked up by {@code kid} in a map
 * fixed at construction ({@code jku}, {@code x5u} and {@code jwk} headers are never read), and the payload is read
 * only once the signature has verified. {@code exp}, {@code sub}, {@code tv} and {@code preferred_username} are
 * required, {@code iss} must match and {@code aud} must be or contain the audience, {@code nbf}/{@code iat}/
 * {@code exp} are whole seconds checked with at most 30 s of clock leeway, and tokens longer than 8 KiB are refused
 * unparsed. JSON is read strictly ({@link Jws}): a repeated key refuses the token. JwtAttackSuiteTest holds the
 * hostile cases, and checks tokens made by java-jwt, an independent implementation.
 */
public final class JwtTokenVerifier implements TokenVerifier {
    /** Longer tokens are refused before any parsing; ours are well under 1 KiB. */
    public static final int MAX_TOKEN_LENGTH = 8 * 1024;
    public static final Duration MAX_LEEWAY = Duration.ofSeconds(30);
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final String issuer;
    private final String audience;
    private final Map<String, RSAPublicKey> keys;
    private final long leewaySeconds;
    private final Clock clock;

    private JwtTokenVerifier(String issuer, String audience, Map<String, RSAPublicKey> keys, long leewaySeconds, Clock clock) {
        this.issuer = issuer;
        this.audience = audience;
        this.keys = keys;
        this.leewaySeconds = leewaySeconds;
        this.clock = clock;
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
        return new JwtTokenVerifier(issuer, audience, Map.copyOf(keys), leeway.toSeconds(), clock);
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
            // Whatever breaks on hostile input, the token is refused, never an error the caller did not expect.
            throw new InvalidTokenException("unusable token: " + e.getClass().getSimpleName(), e);
        }
    }

    private TokenClaims verifyShaped(String token) {
        Jws.Parts parts = Jws.split(token);
        if (!"RS256".equals(parts.header().get("alg"))) {
            throw new InvalidTokenException("algorithm is not RS256");
        }
        RSAPublicKey key = parts.header().get("kid") instanceof String keyId && KEY_ID.matcher(keyId).matches()
                ? keys.get(keyId) : null;
        if (key == null) {
            throw new InvalidTokenException("unknown or malformed key id");
        }
        if (!signatureVerifies(key, parts.signingInput(), parts.signature())) {
            throw new InvalidTokenException("the signature does not verify");
        }
        return claims(Jws.object(parts.payload(), "payload"));
    }

    private static boolean signatureVerifies(RSAPublicKey key, byte[] signingInput, byte[] signature) {
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initVerify(key);
            rsa.update(signingInput);
            return rsa.verify(signature);
        } catch (GeneralSecurityException e) { // a signature of the wrong length, among others
            return false;
        }
    }

    private TokenClaims claims(Map<String, Object> payload) {
        long now = clock.instant().getEpochSecond();
        if (!issuer.equals(payload.get("iss"))) {
            throw new InvalidTokenException("iss is missing or not " + issuer);
        }
        Object aud = payload.get("aud");
        if (!(audience.equals(aud) || (aud instanceof List<?> list && list.contains(audience)))) {
            throw new InvalidTokenException("aud is missing or does not name " + audience);
        }
        long expires = seconds(payload, "exp").orElseThrow(() -> new InvalidTokenException("exp is missing"));
        // RFC 7519: the current time must be before exp; with the leeway, now - leeway must be before it.
        if (now - leewaySeconds >= expires) {
            throw new InvalidTokenException("expired at " + Instant.ofEpochSecond(expires));
        }
        Optional<Long> notBefore = seconds(payload, "nbf");
        Optional<Long> issued = seconds(payload, "iat");
        if (notBefore.filter(nbf -> nbf > now + leewaySeconds).isPresent()
                || issued.filter(iat -> iat > now + leewaySeconds).isPresent()) {
            throw new InvalidTokenException("nbf or iat is in the future");
        }
        if (!(payload.get("sub") instanceof String subject) || subject.isEmpty()
                || !(payload.get("preferred_username") instanceof String username)
                || !(payload.get("tv") instanceof Long tokenVersion)) {
            throw new InvalidTokenException("sub, preferred_username or a whole-number tv is missing");
        }
        Object scope = payload.get("scope");
        Object tokenId = payload.get("jti");
        if ((scope != null && !(scope instanceof String)) || (tokenId != null && !(tokenId instanceof String))) {
            throw new InvalidTokenException("scope or jti is not text");
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        if (scope != null) {
            for (String value : ((String) scope).split(" ")) {
                Scope.fromValue(value).ifPresent(scopes::add); // a scope this version does not know grants nothing
            }
        }
        return new TokenClaims(subject, username, scopes, tokenVersion, tokenId == null ? "" : (String) tokenId,
                Instant.ofEpochSecond(issued.orElse(expires)), Instant.ofEpochSecond(expires));
    }

    /** A NumericDate claim: absent (or null), or whole seconds; anything else refuses the token. */
    private static Optional<Long> seconds(Map<String, Object> payload, String claim) {
        Object value = payload.get(claim);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Long seconds)) {
            throw new InvalidTokenException(claim + " is not a whole number of seconds");
        }
        return Optional.of(seconds);
    }
}
