package io.reel.authorizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.reel.core.domain.Scope;
import io.reel.core.domain.TokenClaims;
import io.reel.core.domain.User;
import io.reel.core.domain.UserStanding;
import io.reel.core.domain.UserStatus;
import io.reel.core.log.JsonLog;
import io.reel.core.port.UserStore;
import io.reel.core.token.JwtTokenSigner;
import io.reel.core.token.JwtTokenVerifier;
import io.reel.core.token.RsaKeys;
import io.reel.fuzz.FuzzStats;
import io.reel.fuzz.FuzzTarget;
import io.reel.fuzz.Hostile;
import io.reel.fuzz.JsonText;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Fuzzes {@link Authorizer#authorize} with Bearer headers built from tokens the real signer made (genuine ones, and
 * ones of a disabled account, an old token version, an unknown user, expired) and from hand-signed tokens with exactly
 * one fatal defect (wrong algorithm, issuer, audience, key id, subject; missing or mistyped claims; not yet valid),
 * each then mutated: flipped characters and bits, swapped, dropped, repeated or re-encoded segments, alg none,
 * HS256 key confusion, truncation, huge padding, characters no base64url has, and header prefixes other than
 * {@code Bearer }. Only a genuine token may be allowed - one whose header and payload are exactly a genuine token's
 * and whose signature decodes to the same bytes - and every refusal is {@link Unauthorized}, never another exception
 * (which API Gateway would turn into a 500).
 */
class AuthorizerFuzzTest {
    private static final String ISSUER = "reel";
    private static final String AUDIENCE = "reel-api";
    private static final Instant NOW = Instant.parse("2031-05-04T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    // 1024-bit keys: the checks do not depend on the size, and signing costs a quarter of 2048's (the build's JVMs run C1 only).
    private static final KeyPair KEYS = rsa1024();
    private static final KeyPair ATTACKER = rsa1024();
    /** Signed tokens by what was signed: a try reuses them rather than paying for an RSA signature each time. */
    private static final Map<String, String> SIGNED = new java.util.concurrent.ConcurrentHashMap<>();
    private static final String KID = RsaKeys.keyId((RSAPublicKey) KEYS.getPublic());
    private static final JwtTokenSigner SIGNER = JwtTokenSigner.withKeyPair(ISSUER, AUDIENCE, KEYS);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final String ARN = "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/prod/GET/videos";

    /** Accounts: ana and cy active (token versions 3 and 5), bob disabled. */
    private static final Map<String, UserStanding> STANDINGS = Map.of(
            "ana", new UserStanding("u-ana", UserStatus.ACTIVE, 3),
            "cy", new UserStanding("u-cy", UserStatus.ACTIVE, 5),
            "bob", new UserStanding("u-bob", UserStatus.DISABLED, 1));

    private static final Authorizer AUTHORIZER = new Authorizer(
            JwtTokenVerifier.rs256(ISSUER, AUDIENCE, Map.of(KID, (RSAPublicKey) KEYS.getPublic()), Duration.ofSeconds(30), CLOCK),
            new Standings(), Authorizer.Settings.defaults(), CLOCK,
            new JsonLog("fuzz", new PrintStream(OutputStream.nullOutputStream()), CLOCK));

    /** A token before mutation, and whether it is genuine (the signer made it for an account that admits it). */
    record Base(String token, boolean genuine, String why) {
    }

    /** One header to authorize: a base token, what was done to it, and the prefix it is sent with. */
    record Attempt(Base base, Mutation mutation, int position, String material, String prefix) {
        String header() {
            return prefix + mutation.apply(base.token(), position, material);
        }
    }

    @Property
    @FuzzTarget(value = "authorizer-token", tries = 1000)
    void onlyAGenuineToken_isAllowed_everythingElseIsUnauthorized(@ForAll("attempts") Attempt attempt) {
        String header = attempt.header();
        Map<String, Object> answer;
        try {
            answer = AUTHORIZER.authorize(header, ARN);
        } catch (Unauthorized refused) {
            FuzzStats.outcome("refused: " + (refused.reason() == null ? "?" : refused.reason().split("[:(\\r\\n]", 2)[0].strip()));
            return;
        } catch (RuntimeException other) {
            throw new AssertionError("Not Unauthorized but " + other + " for " + abbreviate(header), other);
        }
        FuzzStats.outcome("allowed");
        assertThat(attempt.base().genuine()).as("allowed a token that is not genuine (" + attempt.base().why() + "), "
                + attempt.mutation() + ": " + abbreviate(header)).isTrue();
        assertThat(header).startsWith("Bearer ");
        String presented = header.substring("Bearer ".length());
        String[] got = presented.split("\\.", -1);
        String[] genuine = attempt.base().token().split("\\.", -1);
        if (got.length != 3 || !got[0].equals(genuine[0]) || !got[1].equals(genuine[1])
                || !Arrays.equals(decode(got[2]), decode(genuine[2]))) {
            fail("allowed a token that differs from the genuine one it came from (" + attempt.mutation() + "): " + presented
                    + "\n  genuine: " + attempt.base().token());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> context = (Map<String, Object>) answer.get("context");
        String username = (String) context.get("username");
        assertThat(STANDINGS.get(username).userId()).isEqualTo(context.get("userId")).isEqualTo(answer.get("principalId"));
    }

    // ---------------------------------------------------------------------------------------------------------------

    @Provide
    Arbitrary<Attempt> attempts() {
        Arbitrary<String> prefix = Arbitraries.frequency(Tuple.of(30, "Bearer "), Tuple.of(1, "bearer "), Tuple.of(1, "Bearer  "),
                Tuple.of(1, "Bearer\t"), Tuple.of(1, ""), Tuple.of(1, " Bearer "), Tuple.of(1, "Basic "), Tuple.of(1, "Bearer"),
                Tuple.of(1, "BEARER "), Tuple.of(1, "Bearer \u0000"));
        Arbitrary<Mutation> mutation = Arbitraries.frequency(Tuple.of(8, Mutation.NONE), Tuple.of(2, Mutation.values()[1]))
                .flatMap(m -> m == Mutation.NONE ? Arbitraries.just(m) : Arbitraries.of(Mutation.class));
        return Combinators.combine(bases(), mutation, Arbitraries.integers().between(0, 10_000), Hostile.strings(), prefix)
                .as(Attempt::new);
    }

    private static Arbitrary<Base> bases() {
        Arbitrary<Set<Scope>> scopes = Arbitraries.of(Set.of(), Set.of(Scope.VIDEOS_READ), Set.of(Scope.VIDEOS_READ, Scope.VIDEOS_UPLOAD),
                EnumSet.allOf(Scope.class));
        Arbitrary<Base> genuine = Combinators.combine(Arbitraries.of("ana", "cy"), scopes, Arbitraries.of(31, 900, 86_400))
                .as((user, granted, ttl) -> new Base(signed(user, STANDINGS.get(user).userId(), STANDINGS.get(user).tokenVersion(),
                        granted, NOW.plusSeconds(ttl)), true, "genuine"));
        Arbitrary<Base> signedButRevoked = Combinators.combine(
                        Arbitraries.of("bob-disabled", "ana-old-version", "cy-future-version", "zed-unknown", "ana-other-subject",
                                "ana-expired"), scopes)
                .as((what, granted) -> switch (what) {
                    case "bob-disabled" -> new Base(signed("bob", "u-bob", 1, granted, NOW.plusSeconds(900)), false, what);
                    case "ana-old-version" -> new Base(signed("ana", "u-ana", 2, granted, NOW.plusSeconds(900)), false, what);
                    case "cy-future-version" -> new Base(signed("cy", "u-cy", 6, granted, NOW.plusSeconds(900)), false, what);
                    case "zed-unknown" -> new Base(signed("zed", "u-zed", 0, granted, NOW.plusSeconds(900)), false, what);
                    case "ana-other-subject" -> new Base(signed("ana", "u-cy", 3, granted, NOW.plusSeconds(900)), false, what);
                    default -> new Base(signed("ana", "u-ana", 3, granted, NOW.minusSeconds(31)), false, what);
                });
        // Signed with the real key, one fatal defect each; the hostile parts come from small fixed lists, so the
        // signatures are made once and reused.
        Arbitrary<Base> defective = Combinators.combine(Arbitraries.of(Defect.class), Arbitraries.of(WRONG_VALUES),
                        Arbitraries.of(HOSTILE_TEXTS), Arbitraries.of(true, false))
                .as(AuthorizerFuzzTest::defective);
        // Any header and payload text at all, with the signature of a genuine token or none that is one.
        Arbitrary<Base> forged = Combinators.combine(JsonText.bodies(List.of()), JsonText.bodies(List.of()), genuine,
                        Arbitraries.of(true, false))
                .as((header, payload, stolen, keepSignature) -> new Base(B64.encodeToString(header.getBytes(StandardCharsets.UTF_8))
                        + "." + B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "."
                        + (keepSignature ? stolen.token().substring(stolen.token().lastIndexOf('.') + 1) : "c2ln"), false, "forged"));
        Arbitrary<Base> junk = Hostile.strings().map(text -> new Base(text, false, "junk"));
        return Arbitraries.frequencyOf(Tuple.of(5, genuine), Tuple.of(2, signedButRevoked), Tuple.of(4, defective),
                Tuple.of(2, forged), Tuple.of(1, junk));
    }

    /** Wrong values for a claim or header field: other types, and text no claim of ours has. */
    private static final List<String> WRONG_VALUES = List.of("null", "true", "0", "-1", "1.5", "1e309", "[]", "{}", "[\"u-ana\"]",
            "{\"a\":1}", "\"\"", "\" \"", "\"u-ana \"", "\"U-ANA\"", "\"\\u0000\"", "\"\\ud800\"", "123456789012345678901234567890");
    /** Text for the scope and jti claims and for hostile kids, issuers and audiences. */
    private static final List<String> HOSTILE_TEXTS = Hostile.LITERALS.stream().filter(text -> text.length() <= 300).toList();

    private static String signed(String username, String subject, long tokenVersion, Set<Scope> scopes, Instant expiresAt) {
        String what = username + "|" + subject + "|" + tokenVersion + "|" + new java.util.TreeSet<>(scopes) + "|" + expiresAt;
        return SIGNED.computeIfAbsent(what, k -> SIGNER.sign(new TokenClaims(subject, username,
                scopes.isEmpty() ? Set.of() : EnumSet.copyOf(scopes), tokenVersion, UUID.nameUUIDFromBytes(k.getBytes(StandardCharsets.UTF_8))
                .toString(), NOW.minusSeconds(60), expiresAt)));
    }

    private static KeyPair rsa1024() {
        try {
            var generator = java.security.KeyPairGenerator.getInstance("RSA");
            generator.initialize(1024);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One thing that must get a token refused, whatever else it holds. */
    enum Defect {
        ALG_NONE, ALG_LOWER, ALG_RS384, ALG_HS256, ALG_MISSING, KID_UNKNOWN, KID_MISSING, KID_HOSTILE, ATTACKER_KEY,
        ISS_WRONG, ISS_MISSING, AUD_WRONG, AUD_MISSING, SUB_MISSING, SUB_EMPTY, SUB_WRONG_TYPE, TV_MISSING, TV_WRONG,
        TV_STRING, USERNAME_MISSING, USERNAME_WRONG_TYPE, EXP_PAST, EXP_MISSING, EXP_STRING, NBF_FUTURE, IAT_FUTURE
    }

    /** A token signed RS256 (by the real key unless the defect is the key) whose one defect must get it refused. */
    private static Base defective(Defect defect, String wrongValue, String hostile, boolean hostileScope) {
        Map<String, String> header = new LinkedHashMap<>();
        header.put("alg", JsonText.string("RS256"));
        header.put("typ", JsonText.string("JWT"));
        header.put("kid", JsonText.string(KID));
        Map<String, String> payload = new LinkedHashMap<>();
        payload.put("iss", JsonText.string(ISSUER));
        payload.put("aud", JsonText.string(AUDIENCE));
        payload.put("sub", JsonText.string("u-ana"));
        payload.put("preferred_username", JsonText.string("ana"));
        payload.put("scope", hostileScope ? JsonText.string(hostile) : JsonText.string("videos:read admin"));
        payload.put("tv", "3");
        payload.put("iat", Long.toString(NOW.minusSeconds(60).getEpochSecond()));
        payload.put("exp", Long.toString(NOW.plusSeconds(900).getEpochSecond()));
        payload.put("jti", JsonText.string(hostile));
        PrivateKey key = KEYS.getPrivate();
        switch (defect) {
            case ALG_NONE -> header.put("alg", JsonText.string("none"));
            case ALG_LOWER -> header.put("alg", JsonText.string("rs256"));
            case ALG_RS384 -> header.put("alg", JsonText.string("RS384"));
            case ALG_HS256 -> header.put("alg", JsonText.string("HS256"));
            case ALG_MISSING -> header.remove("alg");
            case KID_UNKNOWN -> header.put("kid", JsonText.string("AAAAAAAAAAAAAAAA"));
            case KID_MISSING -> header.remove("kid");
            case KID_HOSTILE -> header.put("kid", KID.equals(hostile) ? wrongValue : JsonText.string(hostile));
            case ATTACKER_KEY -> key = ATTACKER.getPrivate();
            case ISS_WRONG -> payload.put("iss", ISSUER.equals(hostile) ? wrongValue : JsonText.string(hostile));
            case ISS_MISSING -> payload.remove("iss");
            case AUD_WRONG -> payload.put("aud", AUDIENCE.equals(hostile) ? wrongValue : JsonText.string(hostile));
            case AUD_MISSING -> payload.remove("aud");
            case SUB_MISSING -> payload.remove("sub");
            case SUB_EMPTY -> payload.put("sub", "\"\"");
            case SUB_WRONG_TYPE -> payload.put("sub", wrongValue.equals("\"u-ana\"") ? "1" : wrongValue);
            case TV_MISSING -> payload.remove("tv");
            case TV_WRONG -> payload.put("tv", "4");
            case TV_STRING -> payload.put("tv", "\"3\"");
            case USERNAME_MISSING -> payload.remove("preferred_username");
            case USERNAME_WRONG_TYPE -> payload.put("preferred_username", wrongValue.equals("\"ana\"") ? "1" : wrongValue);
            case EXP_PAST -> payload.put("exp", Long.toString(NOW.minusSeconds(31).getEpochSecond()));
            case EXP_MISSING -> payload.remove("exp");
            case EXP_STRING -> payload.put("exp", "\"" + NOW.plusSeconds(900).getEpochSecond() + "\"");
            case NBF_FUTURE -> payload.put("nbf", Long.toString(NOW.plusSeconds(31).getEpochSecond()));
            case IAT_FUTURE -> payload.put("iat", Long.toString(NOW.plusSeconds(3600).getEpochSecond()));
        }
        String input = B64.encodeToString(json(header).getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(json(payload).getBytes(StandardCharsets.UTF_8));
        PrivateKey signingKey = key;
        String token = SIGNED.computeIfAbsent((key == KEYS.getPrivate() ? "real|" : "attacker|") + input,
                k -> input + "." + B64.encodeToString(TokenForgery.rs256(signingKey, input)));
        return new Base(token, false, "defect " + defect);
    }

    /** What is done to a token before it is sent. */
    enum Mutation {
        NONE, FLIP_CHARACTER, INSERT_CHARACTER, DELETE_CHARACTER, FLIP_BIT_IN_SEGMENT, SWAP_SEGMENTS, DROP_SIGNATURE,
        EMPTY_SIGNATURE, EXTRA_SEGMENT, TRUNCATE, DUPLICATE, ALG_NONE_HEADER, HS256_WITH_PUBLIC_KEY, REPLACE_SEGMENT,
        PAD_HUGE, NON_BASE64, PADDED_BASE64, STANDARD_BASE64, WHITESPACE, LAST_CHARACTER_VARIANT;

        String apply(String token, int position, String material) {
            String[] parts = token.split("\\.", -1);
            int at = token.isEmpty() ? 0 : position % token.length();
            return switch (this) {
                case NONE -> token;
                case FLIP_CHARACTER -> token.isEmpty() ? material
                        : token.substring(0, at) + (char) (token.charAt(at) ^ (1 + position % 31)) + token.substring(at + 1);
                case INSERT_CHARACTER -> token.substring(0, at) + (material.isEmpty() ? "A" : material.substring(0, 1))
                        + token.substring(at);
                case DELETE_CHARACTER -> token.isEmpty() ? token : token.substring(0, at) + token.substring(at + 1);
                case FLIP_BIT_IN_SEGMENT -> {
                    int segment = position % parts.length;
                    byte[] bytes = decode(parts[segment]);
                    if (bytes.length > 0) {
                        bytes[(position / 3) % bytes.length] ^= (byte) (1 << (position % 8));
                    }
                    parts[segment] = B64.encodeToString(bytes);
                    yield String.join(".", parts);
                }
                case SWAP_SEGMENTS -> {
                    if (parts.length < 2) {
                        yield token;
                    }
                    int a = position % parts.length;
                    int b = (a + 1 + position / 7 % (parts.length - 1)) % parts.length;
                    String kept = parts[a];
                    parts[a] = parts[b];
                    parts[b] = kept;
                    yield String.join(".", parts);
                }
                case DROP_SIGNATURE -> parts.length < 3 ? token : parts[0] + "." + parts[1];
                case EMPTY_SIGNATURE -> parts.length < 3 ? token + "." : parts[0] + "." + parts[1] + ".";
                case EXTRA_SEGMENT -> token + "." + (parts.length > 0 ? parts[position % parts.length] : "");
                case TRUNCATE -> token.substring(0, at);
                case DUPLICATE -> token + token;
                case ALG_NONE_HEADER -> B64.encodeToString(("{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"" + KID + "\"}")
                        .getBytes(StandardCharsets.UTF_8)) + "." + (parts.length > 1 ? parts[1] : "") + (position % 2 == 0 ? "." : "");
                case HS256_WITH_PUBLIC_KEY -> {
                    String input = B64.encodeToString(("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"" + KID + "\"}")
                            .getBytes(StandardCharsets.UTF_8)) + "." + (parts.length > 1 ? parts[1] : "");
                    yield input + "." + B64.encodeToString(TokenForgery.hmacSha256(KEYS.getPublic().getEncoded(), input));
                }
                case REPLACE_SEGMENT -> {
                    parts[position % parts.length] = B64.encodeToString(material.getBytes(StandardCharsets.UTF_8));
                    yield String.join(".", parts);
                }
                // around 8 KiB (API Gateway's header limit); a base already longer stays as it is
                case PAD_HUGE -> token + "A".repeat(Math.max(0, 8 * 1024 - token.length() + position % 3 - 1));
                case NON_BASE64 -> token.substring(0, at) + "+/=%~ \u00e9".charAt(position % 7) + token.substring(at);
                case PADDED_BASE64 -> token.replace(".", "==.") + "==";
                case STANDARD_BASE64 -> token.replace('-', '+').replace('_', '/');
                case WHITESPACE -> " " + token + (position % 2 == 0 ? " " : "\n");
                case LAST_CHARACTER_VARIANT -> token.isEmpty() ? token
                        : token.substring(0, token.length() - 1) + "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                        .charAt(position % 64);
            };
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static String json(Map<String, String> members) {
        StringBuilder out = new StringBuilder("{");
        members.forEach((name, value) -> out.append(out.length() > 1 ? "," : "").append(JsonText.string(name)).append(':').append(value));
        return out.append('}').toString();
    }

    /** A segment's bytes; empty when it is not base64url. */
    private static byte[] decode(String segment) {
        try {
            return Base64.getUrlDecoder().decode(segment);
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    private static String abbreviate(String text) {
        return text == null ? "null" : text.length() <= 400 ? text : text.substring(0, 400) + "… (" + text.length() + " characters)";
    }

    /** The Users table as the authorizer reads it: standings only. */
    private static final class Standings implements UserStore {
        @Override
        public Optional<UserStanding> findStanding(String username) {
            return Optional.ofNullable(STANDINGS.get(username));
        }

        @Override
        public Optional<User> findByUsername(String username) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void create(User user) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<User> list() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int recordFailedLogin(String username, Instant at) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void resetFailedLogins(String username) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void updatePasswordHash(String username, String passwordHash) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long bumpTokenVersion(String username) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setStatus(String username, UserStatus status) {
            throw new UnsupportedOperationException();
        }
    }
}
