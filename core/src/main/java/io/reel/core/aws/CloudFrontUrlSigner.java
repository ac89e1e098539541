package io.reel.core.aws;

import io.reel.core.domain.SignedUrl;
import io.reel.core.port.UrlSigner;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * {@link UrlSigner} by CloudFront signed URLs with a custom policy: {@code https://{domain}/{key}?Policy=…&Signature=…
 * &Key-Pair-Id=…}, the policy allowing GETs of one resource until an epoch second ({@code DateLessThan}), signed
 * SHA1withRSA (CloudFront's default) with the private key of a public key in the distribution's trusted key group.
 * CloudFront checks the signature itself, so Range and any other header pass through to the origin untouched.
 *
 * <p>{@link #under} signs once per prefix, a policy whose resource is {@code https://{domain}/{prefix}*}, and every
 * key's URL reuses that query: a 1,800-segment playlist costs one RSA signature plus string concatenation. The
 * wildcard admits exactly the keys under the prefix, so a viewer of one video cannot reuse it for another's
 * ({@code videos/B/…} does not match {@code videos/A/*}).
 *
 * <p>Keys go into the URL percent-encoded as S3's presigner encodes them (every UTF-8 byte but RFC 3986's unreserved
 * characters and {@code /}), and the policy's resource is that same encoded URL: CloudFront compares the resource
 * with the URL the viewer sent, which players send as given. As encoding is per character, the encoded prefix is a
 * prefix of every encoded key under it, and it contains neither {@code *} nor {@code ?} ({@code %2A}, {@code %3F}),
 * so the trailing {@code *} is the policy's only wildcard; nor {@code "} or {@code \}, so the policy JSON needs no
 * escaping.
 *
 * <p>Lifetimes are capped at {@code maxLifetime} and counted in whole seconds, as {@code AWS:EpochTime} is;
 * {@link SignedUrl#expiresAt()} is {@code clock}'s current second plus the lifetime used, exactly the policy's
 * {@code DateLessThan}. Keys are checked as {@link S3UrlSigner} checks them. Thread-safe; so are the
 * {@link PrefixSigner}s it returns.
 */
public final class CloudFrontUrlSigner implements UrlSigner {
    private static final Pattern HOST_NAME =
            Pattern.compile("(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+");
    private static final Pattern KEY_PAIR_ID = Pattern.compile("[A-Z0-9]{1,64}");
    /** Dated policies kept signed: a few catalogue pages' posters, at ~0.6 KB each; each costs ~1 ms of RSA to sign. */
    static final int SIGNED_POLICIES_KEPT = 1_024;
    private static final String PKCS8_BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String PKCS8_END = "-----END PRIVATE KEY-----";
    private static final String PKCS1_BEGIN = "-----BEGIN RSA PRIVATE KEY-----";
    private static final String PKCS1_END = "-----END RSA PRIVATE KEY-----";
    /** DER of PKCS#8's AlgorithmIdentifier for rsaEncryption (1.2.840.113549.1.1.1) with NULL parameters. */
    private static final byte[] RSA_ALGORITHM_IDENTIFIER = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
            (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    /** What URLs start with: {@code https://{domain}/}, or {@code /} for site-relative URLs. */
    private final String origin;
    /** What policy resources start with: {@code https://{domain}/}, or {@code https://*}{@code /} for site-relative URLs. */
    private final String policyOrigin;
    private final String keyPairId;
    private final PrivateKey privateKey;
    private final Clock clock;
    private final Duration maxLifetime;
    /** Dated policies signed lately ({@code resource epoch} → signed query), least recently used out first. */
    private final Map<String, String> signedPolicies;
    private final AtomicLong policiesSigned = new AtomicLong();

    /**
     * @param domain the distribution's host name, e.g. {@code d111111abcdef8.cloudfront.net} or an alternate domain
     *     name; not a URL
     * @param keyPairId the id CloudFront gave the public key, e.g. {@code K2JCJMDEHXQW5F}
     * @param privateKeyPem the RSA private key, PEM: PKCS#8 ({@code BEGIN PRIVATE KEY}) or PKCS#1
     *     ({@code BEGIN RSA PRIVATE KEY}, what {@code openssl genrsa} wrote before OpenSSL 3 and still does with
     *     {@code -traditional}); unencrypted, at least 2048 bits
     * @throws IllegalArgumentException naming what is wrong with an argument (never quoting the key)
     */
    public CloudFrontUrlSigner(String domain, String keyPairId, String privateKeyPem, Clock clock, Duration maxLifetime) {
        this(domain, keyPairId, privateKeyPem, clock, maxLifetime, SIGNED_POLICIES_KEPT);
    }

    /** As the public constructor, keeping {@code policiesKept} dated policies signed (tests keep few). */
    CloudFrontUrlSigner(String domain, String keyPairId, String privateKeyPem, Clock clock, Duration maxLifetime, int policiesKept) {
        this("https://" + requireHostName(domain) + "/", "https://" + requireHostName(domain) + "/", keyPairId, privateKeyPem,
                clock, maxLifetime, policiesKept);
    }

    /**
     * A signer for the distribution that also serves the page: URLs are site-relative ({@code /videos/…?Policy=…}),
     * resolved by the browser against the page's own origin (and by players against the playlist's), and policies
     * admit any host ({@code https://*}{@code /videos/…}), so whichever name the site is reached by (the distribution's
     * own or an alternate domain) the URLs work, and nothing needs the distribution's name, which a stack cannot give
     * the function that the distribution routes to. Only distributions trusting this key pair's key group accept the
     * signature, so a host wildcard widens nothing.
     */
    public static CloudFrontUrlSigner forSite(String keyPairId, String privateKeyPem, Clock clock, Duration maxLifetime) {
        return new CloudFrontUrlSigner("/", "https://*/", keyPairId, privateKeyPem, clock, maxLifetime, SIGNED_POLICIES_KEPT);
    }

    private CloudFrontUrlSigner(String origin, String policyOrigin, String keyPairId, String privateKeyPem, Clock clock,
                                Duration maxLifetime, int policiesKept) {
        this.signedPolicies = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > policiesKept;
            }
        });
        this.origin = origin;
        this.policyOrigin = policyOrigin;
        this.keyPairId = requireKeyPairId(keyPairId);
        this.privateKey = parsePrivateKey(Objects.requireNonNull(privateKeyPem, "privateKeyPem"));
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(maxLifetime, "maxLifetime");
        if (maxLifetime.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("maxLifetime must be at least 1 s, not " + maxLifetime);
        }
        this.maxLifetime = maxLifetime;
    }

    /** The cap applied to every lifetime. */
    public Duration maxLifetime() {
        return maxLifetime;
    }

    /**
     * @throws IllegalArgumentException if the key is not a plain relative object key (see {@link S3UrlSigner}), or
     *     the lifetime is null, zero, negative or shorter than a second
     */
    @Override
    public SignedUrl sign(String key, Duration lifetime) {
        ObjectKeys.requireSafeKey(key);
        Instant expiresAt = expiry(clock.instant(), lifetime);
        String path = ObjectKeys.encodePath(key);
        return new SignedUrl(URI.create(origin + path + signedQuery(policyOrigin + path, expiresAt)), expiresAt);
    }

    /**
     * One wildcard policy for every key under {@code prefix}, signed now; {@link PrefixSigner#url} only checks and
     * encodes the key.
     *
     * @throws IllegalArgumentException if the prefix is not a safe key prefix, or the lifetime is not at least 1 s
     */
    @Override
    public PrefixSigner under(String prefix, Duration lifetime) {
        PrefixSigner.requireSafePrefix(prefix);
        ObjectKeys.requireSafeKey(prefix);
        Instant expiresAt = expiry(clock.instant(), lifetime);
        return prefixSigner(prefix, signedQuery(wildcard(prefix), expiresAt), expiresAt);
    }

    /**
     * As {@link #under(String, Duration)}, the policy expiring at {@code signedAt} (to the second) plus the lifetime:
     * RSASSA-PKCS1-v1_5 is deterministic, so the same prefix, instant and lifetime always give the same URLs, in every
     * container holding the key. Such windows repeat (a poster's is the same all hour, on every catalogue page), so the
     * last {@value #SIGNED_POLICIES_KEPT} policies signed this way are kept rather than signed again.
     *
     * @throws IllegalArgumentException if the prefix is not a safe key prefix, the lifetime is not at least 1 s, or
     *     {@code signedAt} is null, later than now, or so early that the URLs would already have expired
     */
    @Override
    public PrefixSigner under(String prefix, Instant signedAt, Duration lifetime) {
        PrefixSigner.requireSafePrefix(prefix);
        ObjectKeys.requireSafeKey(prefix);
        if (signedAt == null) {
            throw new IllegalArgumentException("signedAt is null");
        }
        Instant expiresAt = expiry(signedAt, lifetime);
        UrlSigner.requireSignable(signedAt.truncatedTo(ChronoUnit.SECONDS), expiresAt, clock.instant());
        String resource = wildcard(prefix);
        String policy = resource + " " + expiresAt.getEpochSecond();
        String query = signedPolicies.get(policy);
        if (query == null) {
            // Signed outside the map's lock: two threads may both sign a new window once, never wait on each other.
            query = signedQuery(resource, expiresAt);
            signedPolicies.put(policy, query);
        }
        return prefixSigner(prefix, query, expiresAt);
    }

    /** How many policies this signer has signed (each an RSA signature); for tests. */
    long policiesSigned() {
        return policiesSigned.get();
    }

    /** The policy resource admitting every key under {@code prefix}. */
    private String wildcard(String prefix) {
        return policyOrigin + ObjectKeys.encodePath(prefix) + "*";
    }

    /** Checks and encodes each key under {@code prefix}, appending the query that signs the whole prefix. */
    private PrefixSigner prefixSigner(String prefix, String query, Instant expiresAt) {
        return new PrefixSigner() {
            @Override
            public String url(String key) {
                PrefixSigner.requireUnder(prefix, key);
                ObjectKeys.requireSafeKey(key);
                return origin + ObjectKeys.encodePath(key) + query;
            }

            @Override
            public Instant expiresAt() {
                return expiresAt;
            }
        };
    }

    /** {@code from}'s second plus the lifetime, capped at {@code maxLifetime} and counted in whole seconds. */
    private Instant expiry(Instant from, Duration lifetime) {
        if (lifetime == null || lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("lifetime must be positive, not " + lifetime);
        }
        Duration capped = lifetime.compareTo(maxLifetime) > 0 ? maxLifetime : lifetime;
        Duration whole = capped.truncatedTo(ChronoUnit.SECONDS);
        if (whole.isZero()) {
            throw new IllegalArgumentException("lifetime must be at least 1 s (CloudFront counts whole seconds), not " + lifetime);
        }
        return from.truncatedTo(ChronoUnit.SECONDS).plus(whole);
    }

    /** {@code ?Policy=…&Signature=…&Key-Pair-Id=…} for a policy allowing {@code resource} until {@code expiresAt}. */
    private String signedQuery(String resource, Instant expiresAt) {
        byte[] policy = ("{\"Statement\":[{\"Resource\":\"" + resource + "\",\"Condition\":{\"DateLessThan\":"
                + "{\"AWS:EpochTime\":" + expiresAt.getEpochSecond() + "}}}]}").getBytes(StandardCharsets.UTF_8);
        byte[] signature;
        policiesSigned.incrementAndGet();
        try {
            Signature rsa = Signature.getInstance("SHA1withRSA");
            rsa.initSign(privateKey);
            rsa.update(policy);
            signature = rsa.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot sign a CloudFront policy with SHA1withRSA", e);
        }
        return "?Policy=" + urlSafeBase64(policy) + "&Signature=" + urlSafeBase64(signature) + "&Key-Pair-Id=" + keyPairId;
    }

    /** Base64 with CloudFront's substitutions ({@code +}→{@code -}, {@code =}→{@code _}, {@code /}→{@code ~}), safe in a query. */
    private static String urlSafeBase64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes).replace('+', '-').replace('=', '_').replace('/', '~');
    }

    private static String requireHostName(String domain) {
        Objects.requireNonNull(domain, "domain");
        if (domain.contains("://") || domain.contains("/")) {
            throw new IllegalArgumentException("domain must be the distribution's host name, e.g. d111111abcdef8.cloudfront.net, "
                    + "not a URL: " + domain);
        }
        String host = domain.toLowerCase(Locale.ROOT);
        if (!HOST_NAME.matcher(host).matches()) {
            throw new IllegalArgumentException("domain is not a host name (letters, digits, '-' and dots; no port): " + domain);
        }
        return host;
    }

    private static String requireKeyPairId(String keyPairId) {
        Objects.requireNonNull(keyPairId, "keyPairId");
        if (!KEY_PAIR_ID.matcher(keyPairId).matches()) {
            throw new IllegalArgumentException("keyPairId must be a CloudFront public key id (upper-case letters and digits, "
                    + "e.g. K2JCJMDEHXQW5F), not " + keyPairId);
        }
        return keyPairId;
    }

    /** An RSA private key from PKCS#8 or PKCS#1 PEM; errors say what is wrong without quoting the key. */
    private static PrivateKey parsePrivateKey(String pem) {
        byte[] pkcs8;
        if (pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || pem.contains("Proc-Type: 4,ENCRYPTED")) {
            throw new IllegalArgumentException("The CloudFront private key is encrypted; give it unencrypted "
                    + "(openssl pkey -in key.pem -out plain.pem)");
        } else if (pem.contains(PKCS8_BEGIN)) {
            pkcs8 = pemBody(pem, PKCS8_BEGIN, PKCS8_END);
        } else if (pem.contains(PKCS1_BEGIN)) {
            pkcs8 = pkcs1ToPkcs8(pemBody(pem, PKCS1_BEGIN, PKCS1_END));
        } else {
            throw new IllegalArgumentException("The CloudFront private key is not a PEM RSA private key: expected "
                    + PKCS8_BEGIN + " (PKCS#8) or " + PKCS1_BEGIN + " (PKCS#1)");
        }
        try {
            PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            if (key instanceof RSAPrivateKey rsa && rsa.getModulus().bitLength() < 2048) {
                throw new IllegalArgumentException("The CloudFront private key is " + rsa.getModulus().bitLength()
                        + "-bit RSA; CloudFront requires 2048 bits");
            }
            return key;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("The CloudFront private key's PEM does not hold a valid RSA private key "
                    + "(a damaged or non-RSA key?)", e);
        }
    }

    private static byte[] pemBody(String pem, String begin, String end) {
        int from = pem.indexOf(begin) + begin.length();
        int to = pem.indexOf(end, from);
        if (to < 0) {
            throw new IllegalArgumentException("The CloudFront private key's PEM has no " + end + " line");
        }
        try {
            return Base64.getMimeDecoder().decode(pem.substring(from, to));
        } catch (IllegalArgumentException e) {
            // Not chained: the decoder's message quotes a character of the key.
            throw new IllegalArgumentException("The CloudFront private key's PEM body is not valid base64");
        }
    }

    /**
     * PKCS#1 {@code RSAPrivateKey} DER wrapped as PKCS#8 {@code PrivateKeyInfo} (version 0, rsaEncryption, the key as
     * an OCTET STRING), the only form the JDK's {@link KeyFactory} reads; spares a BouncyCastle PEM dependency.
     */
    private static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
        byte[] octetString = der(0x04, pkcs1);
        byte[] version = {0x02, 0x01, 0x00};
        byte[] body = new byte[version.length + RSA_ALGORITHM_IDENTIFIER.length + octetString.length];
        System.arraycopy(version, 0, body, 0, version.length);
        System.arraycopy(RSA_ALGORITHM_IDENTIFIER, 0, body, version.length, RSA_ALGORITHM_IDENTIFIER.length);
        System.arraycopy(octetString, 0, body, version.length + RSA_ALGORITHM_IDENTIFIER.length, octetString.length);
        return der(0x30, body);
    }

    /** A DER tag-length-value with a definite length (short form below 128 bytes, else long form). */
    private static byte[] der(int tag, byte[] content) {
        int length = content.length;
        int lengthBytes = length < 0x80 ? 0 : length < 0x100 ? 1 : length < 0x10000 ? 2 : 3;
        byte[] out = new byte[2 + lengthBytes + length];
        out[0] = (byte) tag;
        if (lengthBytes == 0) {
            out[1] = (byte) length;
        } else {
            out[1] = (byte) (0x80 | lengthBytes);
            for (int i = 0; i < lengthBytes; i++) {
                out[2 + i] = (byte) (length >> (8 * (lengthBytes - 1 - i)));
            }
        }
        System.arraycopy(content, 0, out, 2 + lengthBytes, length);
        return out;
    }
}
