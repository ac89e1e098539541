package io.reel.authorizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import io.reel.core.domain.Scope;
import io.reel.core.domain.TokenClaims;
import io.reel.core.port.TokenVerifier.InvalidTokenException;
import io.reel.core.token.JwtTokenSigner;
import io.reel.core.token.JwtTokenVerifier;
import io.reel.core.token.RsaKeys;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile tokens against {@link JwtTokenVerifier}: every one must be refused with {@link InvalidTokenException}
 * (never accepted, never another exception that would turn a 401 into a 500). Tokens are built by hand (base64url
 * header and payload JSON plus a signature) or with java-jwt. The clock is fixed, so the time cases are exact.
 */
class JwtAttackSuiteTest {
    private static final String ISSUER = "https://reel.test";
    private static final String AUDIENCE = "reel-api";
    private static final Instant NOW = Instant.parse("2031-05-04T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Duration LEEWAY = Duration.ofSeconds(30);

    private static final KeyPair KEYS = RsaKeys.generate();
    private static final RSAPublicKey PUBLIC = (RSAPublicKey) KEYS.getPublic();
    private static final RSAPrivateKey PRIVATE = (RSAPrivateKey) KEYS.getPrivate();
    private static final String KID = RsaKeys.keyId(PUBLIC);
    private static final KeyPair ATTACKER = RsaKeys.generate();
    private static final String ATTACKER_KID = RsaKeys.keyId((RSAPublicKey) ATTACKER.getPublic());

    private static final JwtTokenVerifier VERIFIER = JwtTokenVerifier.rs256(ISSUER, AUDIENCE, Map.of(KID, PUBLIC), LEEWAY, CLOCK);

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    // ---------------------------------------------------------------------------------------------------------
    // Positive controls: without these the suite could pass with a verifier that refuses everything.
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void control_tokenFromTheRealSigner_isAcceptedWithItsClaims() {
        JwtTokenSigner signer = JwtTokenSigner.withKeyPair(ISSUER, AUDIENCE, KEYS);
        String token = signer.sign(new TokenClaims("user-7f3a", "ana", Set.of(Scope.VIDEOS_READ, Scope.VIDEOS_UPLOAD), 4,
                "jti-1", NOW.minusSeconds(60), NOW.plusSeconds(900)));

        TokenClaims claims = VERIFIER.verify(token);

        assertThat(claims.subject()).isEqualTo("user-7f3a");
        assertThat(claims.username()).isEqualTo("ana");
        assertThat(claims.scopes()).containsExactlyInAnyOrder(Scope.VIDEOS_READ, Scope.VIDEOS_UPLOAD);
        assertThat(claims.tokenVersion()).isEqualTo(4);
        assertThat(claims.tokenId()).isEqualTo("jti-1");
        assertThat(claims.issuedAt()).isEqualTo(NOW.minusSeconds(60));
        assertThat(claims.expiresAt()).isEqualTo(NOW.plusSeconds(900));
    }

    @Test
    void control_tokenFromJavaJwt_anIndependentImplementation_isAcceptedWithItsClaims() {
        String token = jwtBuilder().withJWTId("jti-9").withAudience("other", AUDIENCE).sign(Algorithm.RSA256(PUBLIC, PRIVATE));

        TokenClaims claims = VERIFIER.verify(token);

        assertThat(claims.subject()).isEqualTo("user-123");
        assertThat(claims.username()).isEqualTo("ana");
        assertThat(claims.scopes()).containsExactly(Scope.ADMIN);
        assertThat(claims.tokenVersion()).isEqualTo(3);
        assertThat(claims.tokenId()).isEqualTo("jti-9");
        assertThat(claims.issuedAt()).isEqualTo(NOW.minusSeconds(60));
    }

    @Test
    void control_aTokenWhoseAudIsAListNamingTheAudience_isAccepted() {
        String token = raw("{\"alg\":\"RS256\",\"kid\":\"" + KID + "\"}", "{\"iss\":\"" + ISSUER + "\",\"aud\":[\"x\",\""
                + AUDIENCE + "\"],\"sub\":\"u\",\"preferred_username\":\"ana\",\"tv\":0,\"exp\":" + epoch(NOW.plusSeconds(60)) + "}");

        assertThat(VERIFIER.verify(token).expiresAt()).isEqualTo(NOW.plusSeconds(60));
    }

    @Test
    void control_handBuiltToken_isAcceptedWithItsClaims() {
        TokenClaims claims = VERIFIER.verify(token(header(), payload(), PRIVATE));

        assertThat(claims.subject()).isEqualTo("user-123");
        assertThat(claims.username()).isEqualTo("ana");
        assertThat(claims.scopes()).containsExactly(Scope.VIDEOS_READ);
        assertThat(claims.tokenVersion()).isEqualTo(3);
        assertThat(claims.expiresAt()).isEqualTo(NOW.plusSeconds(900));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Hostile tokens
    // ---------------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("attacks")
    void hostileToken_isRefused(String token) {
        assertThatThrownBy(() -> VERIFIER.verify(token)).isInstanceOf(InvalidTokenException.class);
    }

    static Stream<Arguments> attacks() {
        List<Arguments> cases = new ArrayList<>();
        String valid = token(header(), payload(), PRIVATE);
        String[] parts = valid.split("\\.");
        String signingInput = parts[0] + "." + parts[1];

        // --- alg: none and friends
        String none = encode(with(header(), "alg", "none")) + "." + encode(payload());
        add(cases, "alg: none, empty signature (a.b.)", none + ".");
        add(cases, "alg: none, with the real RS256 signature copied over", none + "." + parts[2]);
        add(cases, "alg: NoNe, empty signature", encode(with(header(), "alg", "NoNe")) + "." + encode(payload()) + ".");
        add(cases, "alg: NONE, with a signature part", encode(with(header(), "alg", "NONE")) + "." + encode(payload()) + ".AAAA");
        add(cases, "alg: none, no signature part at all (a.b)", none);
        add(cases, "alg missing from the header", encode(without(header(), "alg")) + "." + encode(payload()) + "." + parts[2]);
        add(cases, "alg: rs256 (lower case), signed with the real key",
                token(with(header(), "alg", "rs256"), payload(), PRIVATE));
        add(cases, "alg: RS384, signed RS256 by the real key", token(with(header(), "alg", "RS384"), payload(), PRIVATE));
        add(cases, "alg: PS256, signed RS256 by the real key", token(with(header(), "alg", "PS256"), payload(), PRIVATE));
        add(cases, "duplicate alg in header: RS256 then none", "{\"alg\":\"RS256\",\"kid\":\"" + KID + "\",\"alg\":\"none\"}",
                payload());

        // --- RS256 header with the signature missing
        add(cases, "RS256 header, signature part empty (a.b.)", signingInput + ".");
        add(cases, "RS256 header, signature part missing (a.b)", signingInput);

        // --- key confusion: HS256 with the public key as HMAC secret
        byte[] der = PUBLIC.getEncoded();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END PUBLIC KEY-----\n";
        add(cases, "HS256 with the RSA public key DER as HMAC secret (java-jwt)", jwtBuilder().sign(Algorithm.HMAC256(der)));
        add(cases, "HS256 with the RSA public key PEM text as HMAC secret (java-jwt)",
                jwtBuilder().sign(Algorithm.HMAC256(pem.getBytes(StandardCharsets.US_ASCII))));
        add(cases, "HS256 with the public key PEM as HMAC secret, header alg left as RS256",
                signingInput + "." + B64.encodeToString(TokenForgery.hmacSha256(pem.getBytes(StandardCharsets.US_ASCII), signingInput)));
        add(cases, "HS256 with the public key DER as HMAC secret, header alg left as RS256",
                signingInput + "." + B64.encodeToString(TokenForgery.hmacSha256(der, signingInput)));

        // --- hostile kid values
        add(cases, "kid with path traversal ../../dev/null", token(with(header(), "kid", "../../dev/null"), payload(), PRIVATE));
        add(cases, "kid with SQL-ish text ' OR 1=1 --", token(with(header(), "kid", "' OR 1=1 --"), payload(), PRIVATE));
        add(cases, "kid unknown but well-formed", token(with(header(), "kid", "AAAAAAAAAAAAAAAA"), payload(), PRIVATE));
        add(cases, "kid missing", token(without(header(), "kid"), payload(), PRIVATE));
        add(cases, "kid empty", token(with(header(), "kid", ""), payload(), PRIVATE));
        add(cases, "kid 65 characters", token(with(header(), "kid", "A".repeat(65)), payload(), PRIVATE));
        add(cases, "kid is the real kid plus a NUL", token(with(header(), "kid", KID + "\u0000"), payload(), PRIVATE));
        add(cases, "kid is a number", token(with(header(), "kid", 1), payload(), PRIVATE));

        // --- the attacker's key offered in the header (jku / x5u / jwk), token signed by the attacker key
        PrivateKey evil = ATTACKER.getPrivate();
        Map<String, Object> attackerJwk = jwk((RSAPublicKey) ATTACKER.getPublic(), ATTACKER_KID);
        for (String kid : List.of(ATTACKER_KID, KID)) {
            String which = kid.equals(KID) ? "kid = the real kid" : "kid = the attacker key thumbprint";
            add(cases, "jku pointing at the attacker's JWKS, " + which,
                    token(with(with(header(), "kid", kid), "jku", "https://evil.example/jwks.json"), payload(), evil));
            add(cases, "x5u pointing at the attacker's certificate, " + which,
                    token(with(with(header(), "kid", kid), "x5u", "https://evil.example/cert.pem"), payload(), evil));
            add(cases, "jwk embedding the attacker's public key, " + which,
                    token(with(with(header(), "kid", kid), "jwk", attackerJwk), payload(), evil));
        }

        // --- bad signatures with the real kid
        add(cases, "signature by another RSA key, real kid", token(header(), payload(), evil));
        add(cases, "signature all zero, right length (256 bytes)", signingInput + "." + B64.encodeToString(new byte[256]));
        add(cases, "signature truncated to half", signingInput + "." + parts[2].substring(0, parts[2].length() / 2));
        add(cases, "signature truncated by 4 characters", signingInput + "." + parts[2].substring(0, parts[2].length() - 4));
        add(cases, "signature a single character", signingInput + ".A");
        add(cases, "signature with one bit flipped", signingInput + "." + B64.encodeToString(flipLastBit(decode(parts[2]))));

        // --- time
        add(cases, "exp 1 hour ago", token(header(), with(payload(), "exp", epoch(NOW.minusSeconds(3600))), PRIVATE));
        add(cases, "exp 31 s ago (leeway is 30 s)", token(header(), with(payload(), "exp", epoch(NOW.minusSeconds(31))), PRIVATE));
        add(cases, "nbf 1 hour in the future", token(header(), with(payload(), "nbf", epoch(NOW.plusSeconds(3600))), PRIVATE));
        add(cases, "nbf 31 s in the future", token(header(), with(payload(), "nbf", epoch(NOW.plusSeconds(31))), PRIVATE));
        add(cases, "iat 1 hour in the future", token(header(), with(payload(), "iat", epoch(NOW.plusSeconds(3600))), PRIVATE));
        add(cases, "exp as a string", token(header(), with(payload(), "exp", Long.toString(epoch(NOW.plusSeconds(900)))), PRIVATE));

        // --- required claims
        add(cases, "missing exp", token(header(), without(payload(), "exp"), PRIVATE));
        add(cases, "exp null", token(header(), with(payload(), "exp", null), PRIVATE));
        add(cases, "missing sub", token(header(), without(payload(), "sub"), PRIVATE));
        add(cases, "sub empty", token(header(), with(payload(), "sub", ""), PRIVATE));
        add(cases, "sub null", token(header(), with(payload(), "sub", null), PRIVATE));
        add(cases, "missing tv", token(header(), without(payload(), "tv"), PRIVATE));
        add(cases, "tv null", token(header(), with(payload(), "tv", null), PRIVATE));
        add(cases, "tv as a string \"3\"", token(header(), with(payload(), "tv", "3"), PRIVATE));
        add(cases, "missing preferred_username", token(header(), without(payload(), "preferred_username"), PRIVATE));
        add(cases, "wrong iss", token(header(), with(payload(), "iss", "https://evil.example"), PRIVATE));
        add(cases, "iss missing", token(header(), without(payload(), "iss"), PRIVATE));
        add(cases, "wrong aud", token(header(), with(payload(), "aud", "other-api"), PRIVATE));
        add(cases, "aud missing", token(header(), without(payload(), "aud"), PRIVATE));
        add(cases, "wrong iss and aud via java-jwt", JWT.create().withKeyId(KID).withIssuer("reel").withAudience("reel")
                .withSubject("user-123").withClaim("tv", 3).withClaim("preferred_username", "ana")
                .withExpiresAt(NOW.plusSeconds(900)).sign(Algorithm.RSA256(PUBLIC, PRIVATE)));

        // --- tampering after signing
        add(cases, "payload tampered: scope flipped to admin, signature kept",
                parts[0] + "." + encode(with(payload(), "scope", "admin")) + "." + parts[2]);
        add(cases, "payload tampered: tv changed, signature kept", parts[0] + "." + encode(with(payload(), "tv", 4)) + "." + parts[2]);
        add(cases, "header tampered: typ changed, signature kept",
                encode(with(header(), "typ", "at+jwt")) + "." + parts[1] + "." + parts[2]);
        add(cases, "header tampered: kid re-encoded with a space in the JSON",
                B64.encodeToString(("{\"alg\": \"RS256\",\"typ\":\"JWT\",\"kid\":\"" + KID + "\"}").getBytes(StandardCharsets.UTF_8))
                        + "." + parts[1] + "." + parts[2]);

        // --- size and shape
        add(cases, "100 KB token", signingInput + "." + "A".repeat(100 * 1024));
        add(cases, "100 KB payload, validly signed", token(header(), with(payload(), "pad", "x".repeat(100 * 1024)), PRIVATE));
        add(cases, "non-ASCII character appended", valid + "é");
        add(cases, "non-ASCII character inside the payload part", parts[0] + "." + parts[1].substring(0, 5) + "ü"
                + parts[1].substring(5) + "." + parts[2]);
        add(cases, "full-width letter in the signature", signingInput + "." + "Ａ" + parts[2].substring(1));
        add(cases, "space inside", parts[0] + ". " + parts[1] + "." + parts[2]);
        add(cases, "newline inside", parts[0] + "." + parts[1] + "\n." + parts[2]);
        add(cases, "trailing newline", valid + "\n");
        add(cases, "leading space", " " + valid);
        add(cases, "tab inside", parts[0] + "\t." + parts[1] + "." + parts[2]);
        add(cases, "two tokens joined with a comma", valid + "," + valid);
        add(cases, "two tokens joined with a space", valid + " " + valid);
        add(cases, "two tokens joined with nothing", valid + valid);
        add(cases, "a..b (empty payload)", parts[0] + ".." + parts[2]);
        add(cases, ".b.c (empty header)", "." + parts[1] + "." + parts[2]);
        add(cases, "four parts", valid + "." + parts[2]);
        add(cases, "four parts with an empty one", signingInput + ".." + parts[2]);
        add(cases, "base64 padding characters", parts[0] + "=." + parts[1] + "." + parts[2]);
        add(cases, "standard base64 alphabet (+ and /)", parts[0] + "." + parts[1] + "." + "+/" + parts[2].substring(2));
        add(cases, "empty string", "");
        add(cases, "just dots", "..");

        // --- structurally broken header or payload that still has the shape
        add(cases, "header is not JSON", B64.encodeToString("not json".getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + "." + parts[2]);
        add(cases, "header is JSON null", B64.encodeToString("null".getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + "." + parts[2]);
        add(cases, "header is a JSON array",
                B64.encodeToString("[\"RS256\"]".getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + "." + parts[2]);
        add(cases, "header is JSON null, payload {}, garbage signature (no key needed)", B64.encodeToString(
                "null".getBytes(StandardCharsets.UTF_8)) + "." + B64.encodeToString("{}".getBytes(StandardCharsets.UTF_8)) + ".AAAA");
        add(cases, "payload is JSON null, garbage signature", parts[0] + "." + B64.encodeToString("null".getBytes(StandardCharsets.UTF_8))
                + "." + parts[2]);
        add(cases, "payload is JSON null, signed", raw("{\"alg\":\"RS256\",\"kid\":\"" + KID + "\"}", "null"));
        add(cases, "payload is a JSON number, signed", raw("{\"alg\":\"RS256\",\"kid\":\"" + KID + "\"}", "42"));
        String header = "{\"alg\":\"RS256\",\"kid\":\"" + KID + "\"}";
        String claims = "\"iss\":\"" + ISSUER + "\",\"aud\":\"" + AUDIENCE + "\",\"sub\":\"user-123\","
                + "\"preferred_username\":\"ana\",\"tv\":3,\"exp\":" + epoch(NOW.plusSeconds(900));
        add(cases, "signed payload repeats sub (a second subject after the first)", raw(header, "{" + claims + ",\"sub\":\"admin-1\"}"));
        add(cases, "signed payload with content after the object", raw(header, "{" + claims + "}{}"));
        add(cases, "signed payload with tv 3.5", raw(header, "{" + claims.replace("\"tv\":3", "\"tv\":3.5") + "}"));
        add(cases, "signed payload with exp as a decimal", raw(header, "{" + claims + ".5}"));
        add(cases, "signed payload with tv beyond a long", raw(header, "{" + claims.replace("\"tv\":3", "\"tv\":99999999999999999999") + "}"));
        add(cases, "signed payload with scope as an array", raw(header, "{" + claims + ",\"scope\":[\"admin\"]}"));
        add(cases, "signed payload with aud as an array of others", raw(header, "{" + claims.replace("\"aud\":\"" + AUDIENCE + "\"",
                "\"aud\":[\"other\"]") + "}"));
        add(cases, "signed payload nested 1,000 arrays deep", raw(header, "{" + claims + ",\"x\":" + "[".repeat(1000) + "]".repeat(1000) + "}"));
        add(cases, "header nested 1,000 objects deep", raw("{\"alg\":\"RS256\",\"kid\":\"" + KID + "\",\"x\":"
                + "{\"a\":".repeat(1000) + "1" + "}".repeat(1000) + "}", "{" + claims + "}"));
        add(cases, "header with a repeated kid (real, then unknown)", raw(header.replace("}", ",\"kid\":\"" + ATTACKER_KID + "\"}"), "{" + claims + "}"));
        add(cases, "payload is not UTF-8", parts[0] + "." + B64.encodeToString(new byte[] {(byte) 0xff, (byte) 0xfe, 0x7b}) + "." + parts[2]);
        add(cases, "header base64url of impossible length (1 char)", "A." + parts[1] + "." + parts[2]);
        return cases.stream();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Time: the leeway is real but bounded
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void exp10SecondsAgo_isAcceptedWithinTheLeeway() {
        String token = token(header(), with(payload(), "exp", epoch(NOW.minusSeconds(10))), PRIVATE);

        assertThat(VERIFIER.verify(token).expiresAt()).isEqualTo(NOW.minusSeconds(10));
    }

    @Test
    void exp29SecondsAgo_isTheLastSecondAccepted_and30IsRefused() {
        // RFC 7519: "now" must be before exp; with 30 s of leeway, now - 30 s must be before exp.
        assertThat(VERIFIER.verify(token(header(), with(payload(), "exp", epoch(NOW.minusSeconds(29))), PRIVATE)).expiresAt())
                .isEqualTo(NOW.minusSeconds(29));
        assertThatThrownBy(() -> VERIFIER.verify(token(header(), with(payload(), "exp", epoch(NOW.minusSeconds(30))), PRIVATE)))
                .isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void nbfAndIat10SecondsAhead_areAcceptedWithinTheLeeway() {
        Map<String, Object> claims = with(with(payload(), "nbf", epoch(NOW.plusSeconds(10))), "iat", epoch(NOW.plusSeconds(10)));

        assertThat(VERIFIER.verify(token(header(), claims, PRIVATE)).subject()).isEqualTo("user-123");
    }

    @Test
    void aLeewayOver30Seconds_cannotBeConfigured() {
        assertThatThrownBy(() -> JwtTokenVerifier.rs256(ISSUER, AUDIENCE, Map.of(KID, PUBLIC), Duration.ofSeconds(31), CLOCK))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JwtTokenVerifier.rs256(ISSUER, AUDIENCE, Map.of(KID, PUBLIC), Duration.ofSeconds(-1), CLOCK))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Key rotation
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void tokenSignedByARotatedOutKey_isRefusedByANewKeyOnlyVerifier_butAcceptedDuringTheGracePeriod() {
        KeyPair newKeys = RsaKeys.generate();
        RSAPublicKey newPublic = (RSAPublicKey) newKeys.getPublic();
        String oldToken = JwtTokenSigner.withKeyPair(ISSUER, AUDIENCE, KEYS).sign(new TokenClaims("user-1", "ana",
                Set.of(Scope.VIDEOS_READ), 0, "j", NOW.minusSeconds(5), NOW.plusSeconds(900)));
        String newToken = JwtTokenSigner.withKeyPair(ISSUER, AUDIENCE, newKeys).sign(new TokenClaims("user-1", "ana",
                Set.of(Scope.VIDEOS_READ), 0, "k", NOW.minusSeconds(5), NOW.plusSeconds(900)));
        var newOnly = JwtTokenVerifier.rs256(ISSUER, AUDIENCE, Map.of(RsaKeys.keyId(newPublic), newPublic), LEEWAY, CLOCK);
        var both = JwtTokenVerifier.rs256(ISSUER, AUDIENCE, Map.of(RsaKeys.keyId(newPublic), newPublic, KID, PUBLIC), LEEWAY, CLOCK);

        assertThatThrownBy(() -> newOnly.verify(oldToken)).isInstanceOf(InvalidTokenException.class);
        assertThat(newOnly.verify(newToken).tokenId()).isEqualTo("k");
        assertThat(both.verify(oldToken).tokenId()).isEqualTo("j");
        assertThat(both.verify(newToken).tokenId()).isEqualTo("k");
    }

    @Test
    void tokenSignedByTheNewKeyButLabelledWithTheOldKid_isRefused() {
        KeyPair newKeys = RsaKeys.generate();
        RSAPublicKey newPublic = (RSAPublicKey) newKeys.getPublic();
        var both = JwtTokenVerifier.rs256(ISSUER, AUDIENCE, Map.of(RsaKeys.keyId(newPublic), newPublic, KID, PUBLIC), LEEWAY, CLOCK);

        assertThatThrownBy(() -> both.verify(token(header(), payload(), newKeys.getPrivate()))).isInstanceOf(InvalidTokenException.class);
    }

    // ---------------------------------------------------------------------------------------------------------
    // The 8 KiB limit: a correctly signed token of exactly 8192 characters passes, one of 8193 does not
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void validlySignedTokenOfExactly8KiB_isAccepted() {
        String token = signedTokenOfLength(JwtTokenVerifier.MAX_TOKEN_LENGTH);

        assertThat(token).hasSize(8192);
        assertThat(VERIFIER.verify(token).subject()).isEqualTo("user-123");
    }

    @Test
    void validlySignedTokenOf8KiBPlusOne_isRefused() {
        String token = signedTokenOfLength(JwtTokenVerifier.MAX_TOKEN_LENGTH + 1);

        assertThat(token).hasSize(8193);
        assertThatThrownBy(() -> VERIFIER.verify(token)).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void nullToken_isRefused() {
        assertThatThrownBy(() -> VERIFIER.verify(null)).isInstanceOf(InvalidTokenException.class);
    }

    /** A correctly signed token whose total length is exactly {@code length}, padded with a "pad" claim. */
    private static String signedTokenOfLength(int length) {
        for (int headerPad = 0; headerPad < 8; headerPad++) {
            Map<String, Object> header = with(header(), "x", "h".repeat(headerPad));
            for (int pad = 0; pad < length; pad++) {
                Map<String, Object> payload = with(payload(), "pad", "p".repeat(pad));
                int unsignedLength = signingInput(header, payload).length() + 1 + 342; // 256 signature bytes → 342 chars
                if (unsignedLength == length) {
                    return token(header, payload, PRIVATE);
                }
                if (unsignedLength > length) {
                    break;
                }
            }
        }
        throw new AssertionError("no token of length " + length);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Wycheproof-style RSASSA-PKCS1-v1_5 / SHA-256 vectors.
    //
    // These are derived following the test categories of Wycheproof's rsa_signature_2048_sha256_test.json (wrong
    // block type, bad padding bytes, missing separator, wrong hash OID, missing NULL, wrong digest, trailing
    // garbage, BER length encodings, signature values 0, 1, n-1, n, > n, wrong length). There is no network access,
    // so the vectors are generated in-test: for a fixed generated 2048-bit key and a fixed message (the signing
    // input of an otherwise valid JWT with the right kid), each malformed encoded message EM is turned into a
    // "signature" by raw RSA, s = EM^d mod n, and must be refused.
    // ---------------------------------------------------------------------------------------------------------

    private static final int K = 256; // modulus length in bytes
    private static final String SIGNING_INPUT = signingInput(header(), payload());
    private static final byte[] SHA256_PREFIX = HexFormat.of().parseHex("3031300d060960864801650304020105000420");

    @Test
    void wycheproof_validSignature_matchesTheJdkAndIsAccepted() throws GeneralSecurityException {
        byte[] raw = rawSign(emsa(digestInfo(SHA256_PREFIX, sha256(SIGNING_INPUT))));
        Signature jdk = Signature.getInstance("SHA256withRSA");
        jdk.initSign(PRIVATE);
        jdk.update(SIGNING_INPUT.getBytes(StandardCharsets.US_ASCII));

        assertThat(raw).isEqualTo(jdk.sign()); // the raw construction really is PKCS#1 v1.5, so the vectors below are near misses
        assertThat(VERIFIER.verify(SIGNING_INPUT + "." + B64.encodeToString(raw)).subject()).isEqualTo("user-123");
    }

    /**
     * Wycheproof's "MissingNull" category: a DigestInfo whose AlgorithmIdentifier omits the NULL parameters. This is
     * NOT refused: the JDK's SunRsaSign provider deliberately retries without the NULL ("Some vendors might omit the
     * NULL params in digest algorithm identifier", sun.security.rsa.RSASignature#engineVerify), a legacy encoding that
     * RFC 8017 tolerates. It is not a forgery: only the private key can produce it. This test pins the behaviour, so a
     * change (a stricter JDK, or a verifier that re-encodes and compares) is noticed.
     */
    @Test
    void wycheproof_digestInfoWithoutNullParameters_isAcceptedByTheJdkAsALegacyEncoding() {
        byte[] signature = rawSign(emsa(digestInfo(HexFormat.of().parseHex("302f300b06096086480165030402010420"),
                sha256(SIGNING_INPUT))));
        byte[] valid = rawSign(emsa(digestInfo(SHA256_PREFIX, sha256(SIGNING_INPUT))));

        assertThat(signature).isNotEqualTo(valid);
        assertThat(VERIFIER.verify(SIGNING_INPUT + "." + B64.encodeToString(signature)).subject()).isEqualTo("user-123");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("wycheproofInvalidSignatures")
    void wycheproof_invalidSignature_isRefused(byte[] signature) {
        String token = SIGNING_INPUT + "." + B64.encodeToString(signature);

        assertThatThrownBy(() -> VERIFIER.verify(token)).isInstanceOf(InvalidTokenException.class);
    }

    static Stream<Arguments> wycheproofInvalidSignatures() {
        BigInteger n = PUBLIC.getModulus();
        byte[] hash = sha256(SIGNING_INPUT);
        byte[] digestInfo = digestInfo(SHA256_PREFIX, hash);
        byte[] valid = rawSign(emsa(digestInfo));
        List<Arguments> cases = new ArrayList<>();

        // Block type / leading bytes
        byte[] em = emsa(digestInfo);
        em[1] = 0x02;
        sig(cases, "EM begins 00 02 (encryption block type) instead of 00 01", rawSign(em));
        em = emsa(digestInfo);
        em[1] = 0x00;
        sig(cases, "EM begins 00 00 (block type 0)", rawSign(em));
        em = emsa(digestInfo);
        em[0] = 0x01;
        em[1] = 0x01;
        sig(cases, "EM begins 01 01 (no leading zero)", rawSign(em));

        // Padding string
        em = emsa(digestInfo);
        em[2 + 100] = (byte) 0xFE;
        sig(cases, "one padding byte 0xFE instead of 0xFF", rawSign(em));
        em = emsa(digestInfo);
        em[2] = 0x00;
        sig(cases, "first padding byte 0x00", rawSign(em));
        em = emsa(digestInfo);
        Arrays.fill(em, 2, K - digestInfo.length - 1, (byte) 0x5A);
        sig(cases, "padding bytes all 0x5A instead of 0xFF", rawSign(em));
        em = emsa(digestInfo);
        Arrays.fill(em, 2, K - digestInfo.length - 1, (byte) 0x00);
        sig(cases, "padding bytes all 0x00 instead of 0xFF", rawSign(em));

        // Separator
        em = emsa(digestInfo);
        em[K - digestInfo.length - 1] = (byte) 0xFF;
        sig(cases, "missing 00 separator (0xFF in its place)", rawSign(em));
        em = emsa(digestInfo);
        em[K - digestInfo.length - 1] = (byte) 0x01;
        sig(cases, "separator 0x01 instead of 0x00", rawSign(em));

        // DigestInfo
        sig(cases, "DigestInfo with the SHA-1 OID and a SHA-256 sized digest",
                rawSign(emsa(digestInfo(HexFormat.of().parseHex("302d300906052b0e03021a05000420"), hash))));
        sig(cases, "DigestInfo with the SHA-512 OID and a SHA-256 sized digest",
                rawSign(emsa(digestInfo(HexFormat.of().parseHex("3031300d060960864801650304020305000420"), hash))));
        sig(cases, "DigestInfo outer SEQUENCE length in long form (30 81 31)",
                rawSign(emsa(digestInfo(HexFormat.of().parseHex("308131300d060960864801650304020105000420"), hash))));
        sig(cases, "DigestInfo OCTET STRING length in long form (04 81 20)",
                rawSign(emsa(digestInfo(HexFormat.of().parseHex("3032300d06096086480165030402010500048120"), hash))));
        sig(cases, "DigestInfo with the NULL replaced by an empty OCTET STRING",
                rawSign(emsa(digestInfo(HexFormat.of().parseHex("3031300d060960864801650304020104000420"), hash))));
        sig(cases, "digest of a different message", rawSign(emsa(digestInfo(SHA256_PREFIX, sha256(SIGNING_INPUT + "x")))));
        sig(cases, "digest with its last byte flipped", rawSign(emsa(digestInfo(SHA256_PREFIX, flipLastBit(hash)))));
        sig(cases, "digest truncated to 31 bytes (lengths adjusted)", rawSign(emsa(digestInfo(
                HexFormat.of().parseHex("3030300d06096086480165030402010500041f"), Arrays.copyOf(hash, 31)))));
        sig(cases, "DigestInfo alone, no hash (padding up to it)", rawSign(emsa(SHA256_PREFIX)));
        byte[] garbage = HexFormat.of().parseHex("deadbeefcafebabe");
        sig(cases, "trailing garbage after the digest (padding shortened)", rawSign(emsa(concat(digestInfo, garbage))));
        sig(cases, "trailing zero bytes after the digest (padding shortened)", rawSign(emsa(concat(digestInfo, new byte[8]))));

        // Signature values
        sig(cases, "s = 0 (256 bytes)", fixed(BigInteger.ZERO, K));
        sig(cases, "s = 1 (256 bytes)", fixed(BigInteger.ONE, K));
        sig(cases, "s = n - 1", fixed(n.subtract(BigInteger.ONE), K));
        sig(cases, "s = n", fixed(n, K));
        sig(cases, "s = n + 1", fixed(n.add(BigInteger.ONE), K));
        BigInteger sPlusN = new BigInteger(1, valid).add(n);
        sig(cases, "s + n (congruent to the valid s, " + minimalLength(sPlusN) + " bytes)", fixed(sPlusN, minimalLength(sPlusN)));
        sig(cases, "s + n as 257 bytes", fixed(sPlusN, K + 1));
        sig(cases, "s = 2^2048 - 1 (256 bytes of 0xFF, > n)", fixed(BigInteger.ONE.shiftLeft(2048).subtract(BigInteger.ONE), K));
        sig(cases, "s = 0 as 1 byte", new byte[] {0});
        sig(cases, "s = 1 as 1 byte", new byte[] {1});

        // Length
        sig(cases, "valid signature one byte short (last byte dropped)", Arrays.copyOf(valid, K - 1));
        sig(cases, "valid signature one byte short (first byte dropped)", Arrays.copyOfRange(valid, 1, K));
        sig(cases, "valid signature one byte long (0x00 appended)", Arrays.copyOf(valid, K + 1));
        sig(cases, "valid signature one byte long (0x00 prepended, same integer)", concat(new byte[1], valid));
        sig(cases, "empty signature bytes", new byte[0]);
        return cases.stream();
    }

    /** EMSA-PKCS1-v1_5: 00 01 FF..FF 00 T, with as many FF bytes as fit in K bytes. */
    private static byte[] emsa(byte[] t) {
        byte[] em = new byte[K];
        em[0] = 0x00;
        em[1] = 0x01;
        Arrays.fill(em, 2, K - t.length - 1, (byte) 0xFF);
        em[K - t.length - 1] = 0x00;
        System.arraycopy(t, 0, em, K - t.length, t.length);
        return em;
    }

    /** Raw RSA with the private key: EM^d mod n, as K big-endian bytes. */
    private static byte[] rawSign(byte[] em) {
        BigInteger m = new BigInteger(1, em);
        BigInteger s = m.mod(PUBLIC.getModulus()).modPow(PRIVATE.getPrivateExponent(), PUBLIC.getModulus());
        return fixed(s, K);
    }

    private static byte[] digestInfo(byte[] prefix, byte[] hash) {
        return concat(prefix, hash);
    }

    private static byte[] fixed(BigInteger value, int length) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        if (bytes.length > length) {
            throw new IllegalArgumentException(value + " does not fit in " + length + " bytes");
        }
        byte[] out = new byte[length];
        System.arraycopy(bytes, 0, out, length - bytes.length, bytes.length);
        return out;
    }

    private static int minimalLength(BigInteger value) {
        return (value.bitLength() + 7) / 8;
    }

    private static void sig(List<Arguments> cases, String name, byte[] signature) {
        cases.add(Arguments.of(Named.of(name, signature)));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Token building
    // ---------------------------------------------------------------------------------------------------------

    private static Map<String, Object> header() {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "RS256");
        header.put("typ", "JWT");
        header.put("kid", KID);
        return header;
    }

    private static Map<String, Object> payload() {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("iss", ISSUER);
        payload.put("aud", AUDIENCE);
        payload.put("sub", "user-123");
        payload.put("preferred_username", "ana");
        payload.put("scope", "videos:read");
        payload.put("tv", 3);
        payload.put("iat", epoch(NOW.minusSeconds(60)));
        payload.put("exp", epoch(NOW.plusSeconds(900)));
        payload.put("jti", "jti-attack");
        return payload;
    }

    private static com.auth0.jwt.JWTCreator.Builder jwtBuilder() {
        return JWT.create().withKeyId(KID).withIssuer(ISSUER).withAudience(AUDIENCE).withSubject("user-123")
                .withClaim("preferred_username", "ana").withClaim("scope", "admin").withClaim("tv", 3)
                .withIssuedAt(NOW.minusSeconds(60)).withExpiresAt(NOW.plusSeconds(900));
    }

    private static long epoch(Instant instant) {
        return instant.getEpochSecond();
    }

    private static Map<String, Object> with(Map<String, Object> map, String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(map);
        copy.put(key, value);
        return copy;
    }

    private static Map<String, Object> without(Map<String, Object> map, String key) {
        Map<String, Object> copy = new LinkedHashMap<>(map);
        copy.remove(key);
        return copy;
    }

    private static String signingInput(Map<String, Object> header, Map<String, Object> payload) {
        return encode(header) + "." + encode(payload);
    }

    private static String token(Map<String, Object> header, Map<String, Object> payload, PrivateKey key) {
        String input = signingInput(header, payload);
        return input + "." + B64.encodeToString(TokenForgery.rs256(key, input));
    }

    /** A token from raw JSON texts, RS256-signed by the real key. */
    private static String raw(String headerJson, String payloadJson) {
        String input = B64.encodeToString(headerJson.getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8));
        return input + "." + B64.encodeToString(TokenForgery.rs256(PRIVATE, input));
    }

    private static void add(List<Arguments> cases, String name, String token) {
        cases.add(Arguments.of(Named.of(name, token)));
    }

    private static void add(List<Arguments> cases, String name, String headerJson, Map<String, Object> payload) {
        add(cases, name, raw(headerJson, json(payload)));
    }

    private static String encode(Map<String, Object> json) {
        return B64.encodeToString(json(json).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] decode(String part) {
        return Base64.getUrlDecoder().decode(part);
    }

    private static byte[] sha256(String input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] flipLastBit(byte[] bytes) {
        byte[] copy = bytes.clone();
        copy[copy.length - 1] ^= 1;
        return copy;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    /** The public key as a JWK, for the "jwk" header attack. */
    private static Map<String, Object> jwk(RSAPublicKey key, String kid) {
        Map<String, Object> jwk = new LinkedHashMap<>();
        jwk.put("kty", "RSA");
        jwk.put("kid", kid);
        jwk.put("use", "sig");
        jwk.put("alg", "RS256");
        jwk.put("n", B64.encodeToString(fixed(key.getModulus(), K)));
        jwk.put("e", B64.encodeToString(key.getPublicExponent().toByteArray()));
        return jwk;
    }

    /** A minimal JSON writer that keeps key order and writes exactly what a case asks for (nulls, strings, numbers). */
    private static String json(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            StringBuilder out = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    default -> {
                        if (c < 0x20) {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            return out.append('"').toString();
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        if (value instanceof Map<?, ?> map) {
            StringBuilder out = new StringBuilder("{");
            map.forEach((k, v) -> {
                if (out.length() > 1) {
                    out.append(',');
                }
                out.append(json(k.toString())).append(':').append(json(v));
            });
            return out.append('}').toString();
        }
        if (value instanceof List<?> list) {
            StringBuilder out = new StringBuilder("[");
            for (Object item : list) {
                if (out.length() > 1) {
                    out.append(',');
                }
                out.append(json(item));
            }
            return out.append(']').toString();
        }
        throw new IllegalArgumentException("Cannot write " + value.getClass());
    }
}
