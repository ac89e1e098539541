package io.reel.core.aws;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/**
 * SigV4 query-string presigning of S3 GETs, fast enough for a 1,800-segment playlist: it takes one URL the SDK's
 * presigner made (the <em>probe</em>) as a template and signs any other key with the same origin and path style,
 * {@code X-Amz-Date}, credential scope, {@code X-Amz-Expires} and session token, its parameters in the probe's order;
 * only the path and {@code X-Amz-Signature} differ. The signing key (four HMACs) is derived once, and per URL there is
 * one SHA-256 and one HMAC.
 *
 * <p>Everything but the secret comes from the probe, so nothing is configured twice and nothing can disagree with the
 * SDK: the scope's region and service are the ones the SDK's endpoint rules chose. {@link #reproducing} re-signs the
 * probe and refuses (empty) unless the signature is the SDK's own, which also catches credentials that changed between
 * resolving them and presigning, and any SDK change in how presigned GETs look (another algorithm, more signed headers).
 * {@link #reproducingAt} then signs as of another instant and for another lifetime (the SDK's presigner always signs
 * as of now): only the values of {@code X-Amz-Date}, {@code X-Amz-Expires} and the credential scope's date change, so
 * the same key, instant, lifetime and credentials always give the same URL.
 *
 * <p>The canonical request is S3's: the path as encoded in the URL (S3 neither double-encodes nor normalises it), the
 * query parameters but the signature sorted by name, {@code host} the only signed header (with the port when it is
 * not the scheme's default), and {@code UNSIGNED-PAYLOAD}. Not thread-safe: one per batch.
 */
final class SigV4QueryPresigner {
    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final String SIGNATURE_PARAMETER = "X-Amz-Signature";
    /** SigV4's longest presigned lifetime. */
    private static final Duration MAX_EXPIRES = Duration.ofDays(7);
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final byte[] GET_LINE = "GET\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEX_LOWER = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final Template template;
    private final String urlHead;
    private final byte[] canonicalPathHead;
    private final byte[] canonicalTail;
    private final byte[] stringToSignHead;
    private final String queryHead;
    private final String queryTail;
    private final Instant signedAt;
    private final MessageDigest sha256;
    private final Mac signingMac;
    /** The signing key {@link #at} derived last, for its secret and scope: the same all day, the scope being dated. */
    private final AtomicReference<DerivedKey> lastDerived = new AtomicReference<>();
    private final StringBuilder path = new StringBuilder(256);
    private final byte[] hex = new byte[64];

    private SigV4QueryPresigner(Template template, byte[] signingKey) {
        this.template = template;
        this.urlHead = template.urlHead();
        this.canonicalPathHead = template.canonicalPathHead().getBytes(StandardCharsets.US_ASCII);
        this.canonicalTail = ("\n" + template.canonicalQuery() + "\nhost:" + template.host() + "\n\nhost\nUNSIGNED-PAYLOAD")
                .getBytes(StandardCharsets.UTF_8);
        this.stringToSignHead = (ALGORITHM + "\n" + template.amzDate() + "\n" + template.scope() + "\n")
                .getBytes(StandardCharsets.UTF_8);
        this.queryHead = template.queryHead();
        this.queryTail = template.queryTail();
        this.signedAt = template.signedAt();
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
            this.signingMac = Mac.getInstance("HmacSHA256");
            signingMac.init(new SecretKeySpec(signingKey, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JVM lacks SHA-256 or HmacSHA256", e);
        }
    }

    /**
     * A presigner that makes {@code probeUrl} again for {@code probeKey} with {@code credentials}, or empty if the
     * probe is not a SigV4 presigned GET signing only {@code host}, or re-signing it does not give the SDK's signature.
     */
    static Optional<SigV4QueryPresigner> reproducing(String probeUrl, String probeKey, AwsCredentials credentials) {
        Optional<Template> template = Template.parse(probeUrl, probeKey);
        if (template.isEmpty()) {
            return Optional.empty();
        }
        SigV4QueryPresigner presigner = new SigV4QueryPresigner(template.get(),
                signingKey(credentials.secretAccessKey(), template.get().scope()));
        return presigner.presign(probeKey).equals(probeUrl) ? Optional.of(presigner) : Optional.empty();
    }

    /**
     * As {@link #reproducing}, but every URL is then signed as of {@code signedAt} (to the second) and expires
     * {@code lifetime} (whole seconds, 1 s to 7 days) later, whatever the probe's own date and expiry; empty as
     * {@link #reproducing} is, or when the probe carries no {@code X-Amz-Expires}.
     *
     * @throws IllegalArgumentException if the lifetime is not whole seconds from 1 s to 7 days
     */
    static Optional<SigV4QueryPresigner> reproducingAt(String probeUrl, String probeKey, AwsCredentials credentials,
                                                       Instant signedAt, Duration lifetime) {
        if (lifetime.isNegative() || lifetime.getNano() != 0 || lifetime.getSeconds() < 1 || lifetime.compareTo(MAX_EXPIRES) > 0) {
            throw new IllegalArgumentException("lifetime must be whole seconds from 1 s to 7 days, not " + lifetime);
        }
        return reproducing(probeUrl, probeKey, credentials).flatMap(verified -> verified.at(signedAt, lifetime, credentials));
    }

    /**
     * A presigner of this one's verified template, dated {@code signedAt} (to the second) and expiring {@code lifetime}
     * (whole seconds) later, signing with {@code credentials} (the ones the template was verified with); empty if the
     * template has no {@code X-Amz-Expires}. This one is not changed, so it can be shared between threads for this.
     */
    Optional<SigV4QueryPresigner> at(Instant signedAt, Duration lifetime, AwsCredentials credentials) {
        return template.at(signedAt, lifetime.getSeconds())
                .map(dated -> new SigV4QueryPresigner(dated, derivedKey(credentials.secretAccessKey(), dated.scope())));
    }

    private record DerivedKey(String secret, String scope, byte[] key) {
    }

    /** {@link #signingKey}, derived again only when the secret or the scope (its date) changed since the last call. */
    private byte[] derivedKey(String secret, String scope) {
        DerivedKey last = lastDerived.get();
        if (last != null && last.scope().equals(scope) && last.secret().equals(secret)) {
            return last.key();
        }
        byte[] key = signingKey(secret, scope);
        lastDerived.set(new DerivedKey(secret, scope, key));
        return key;
    }

    /** The presigned GET URL of {@code key}, which the caller has checked ({@link ObjectKeys#requireSafeKey}). */
    String presign(String key) {
        path.setLength(0);
        ObjectKeys.appendEncodedPath(path, key);
        String encodedKey = path.toString();
        sha256.update(GET_LINE);
        sha256.update(canonicalPathHead);
        sha256.update(encodedKey.getBytes(StandardCharsets.US_ASCII));
        sha256.update(canonicalTail);
        toHex(sha256.digest());
        signingMac.update(stringToSignHead);
        signingMac.update(hex);
        toHex(signingMac.doFinal());
        return urlHead + encodedKey + '?' + queryHead + new String(hex, StandardCharsets.US_ASCII) + queryTail;
    }

    /** The probe's {@code X-Amz-Date}: every URL is signed at this second. */
    Instant signedAt() {
        return signedAt;
    }

    private void toHex(byte[] bytes) {
        for (int i = 0; i < 32; i++) {
            hex[2 * i] = HEX_LOWER[(bytes[i] >> 4) & 0xf];
            hex[2 * i + 1] = HEX_LOWER[bytes[i] & 0xf];
        }
    }

    /** SigV4's signing key: HMACs of the scope's date, region and service and {@code aws4_request}, keyed by the secret. */
    private static byte[] signingKey(String secret, String scope) {
        byte[] key = ("AWS4" + secret).getBytes(StandardCharsets.UTF_8);
        for (String part : scope.split("/")) {
            key = hmac(key, part);
        }
        return key;
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JVM lacks HmacSHA256", e);
        }
    }

    /**
     * What a probe URL says, split around the key and the signature: {@code parameters} are its query's encoded
     * {@code name=value} pairs but the signature, in the probe's order, {@code signatureIndex} where the signature
     * stood among them.
     */
    private record Template(String urlHead, String canonicalPathHead, String host, List<String[]> parameters,
                            int signatureIndex, String amzDate, Instant signedAt, String scope) {

        static Optional<Template> parse(String probeUrl, String probeKey) {
            int question = probeUrl.indexOf('?');
            String encodedKey = ObjectKeys.encodePath(probeKey);
            if (question < 0 || !probeUrl.startsWith(encodedKey, question - encodedKey.length())) {
                return Optional.empty();
            }
            URI uri;
            try {
                uri = URI.create(probeUrl);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
            String rawPath = uri.getRawPath();
            String query = probeUrl.substring(question + 1);
            int signatureStart = ("&" + query).indexOf("&" + SIGNATURE_PARAMETER + "=");
            if (uri.getHost() == null || uri.getRawUserInfo() != null || rawPath == null || !rawPath.endsWith(encodedKey)
                    || signatureStart < 0) {
                return Optional.empty();
            }
            int signatureEnd = query.indexOf('&', signatureStart);
            List<String[]> before = parameters(query.substring(0, signatureStart));
            List<String[]> parameters = new ArrayList<>(before);
            parameters.addAll(parameters(signatureEnd < 0 ? "" : query.substring(signatureEnd)));

            String amzDate = value(parameters, "X-Amz-Date");
            Optional<String> scope = scope(value(parameters, "X-Amz-Credential"), amzDate);
            if (!ALGORITHM.equals(value(parameters, "X-Amz-Algorithm")) || !"host".equals(value(parameters, "X-Amz-SignedHeaders"))
                    || scope.isEmpty()) {
                return Optional.empty();
            }
            Instant signedAt;
            try {
                signedAt = AMZ_DATE.parse(amzDate, Instant::from);
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
            return Optional.of(new Template(probeUrl.substring(0, question - encodedKey.length()),
                    rawPath.substring(0, rawPath.length() - encodedKey.length()), hostHeader(uri), List.copyOf(parameters),
                    before.size(), amzDate, signedAt, scope.get()));
        }

        /**
         * This template dated {@code signedAt} (to the second) and expiring {@code expiresSeconds} later: the values of
         * {@code X-Amz-Date}, {@code X-Amz-Expires} and the credential scope's date replaced, nothing else; empty if the
         * probe had no {@code X-Amz-Expires} to replace.
         */
        Optional<Template> at(Instant signedAt, long expiresSeconds) {
            if (value(parameters, "X-Amz-Expires") == null) {
                return Optional.empty();
            }
            Instant second = signedAt.truncatedTo(ChronoUnit.SECONDS);
            String date = AMZ_DATE.format(second);
            String day = date.substring(0, 8);
            List<String[]> redated = parameters.stream().map(p -> switch (p[0]) {
                case "X-Amz-Date" -> new String[] {p[0], date};
                case "X-Amz-Expires" -> new String[] {p[0], Long.toString(expiresSeconds)};
                // AKID%2F20300102%2Fregion%2Fs3%2Faws4_request, as checked by scope()
                case "X-Amz-Credential" -> new String[] {p[0], p[1].replaceFirst("%2F\\d{8}%2F", "%2F" + day + "%2F")};
                default -> p;
            }).toList();
            return Optional.of(new Template(urlHead, canonicalPathHead, host, redated, signatureIndex, date, second,
                    day + scope.substring(8)));
        }

        /** The query up to and including {@code X-Amz-Signature=}, in the probe's order. */
        String queryHead() {
            StringBuilder head = new StringBuilder();
            for (String[] p : parameters.subList(0, signatureIndex)) {
                head.append(p[0]).append('=').append(p[1]).append('&');
            }
            return head.append(SIGNATURE_PARAMETER).append('=').toString();
        }

        /** The query after the signature's value ({@code &…}, or empty), in the probe's order. */
        String queryTail() {
            StringBuilder tail = new StringBuilder();
            for (String[] p : parameters.subList(signatureIndex, parameters.size())) {
                tail.append('&').append(p[0]).append('=').append(p[1]);
            }
            return tail.toString();
        }

        String canonicalQuery() {
            return canonicalQuery(parameters);
        }

        /** The {@code name=value} pairs of a raw query, still encoded; a pair without {@code =} has an empty value. */
        private static List<String[]> parameters(String query) {
            List<String[]> parameters = new ArrayList<>();
            for (String pair : query.split("&")) {
                int equals = pair.indexOf('=');
                if (!pair.isEmpty()) {
                    parameters.add(equals < 0 ? new String[] {pair, ""}
                            : new String[] {pair.substring(0, equals), pair.substring(equals + 1)});
                }
            }
            return parameters;
        }

        /** SigV4's canonical query string: the encoded pairs sorted by name, then value. */
        private static String canonicalQuery(List<String[]> parameters) {
            return parameters.stream()
                    .sorted(Comparator.<String[], String>comparing(p -> p[0]).thenComparing(p -> p[1]))
                    .map(p -> p[0] + "=" + p[1])
                    .collect(Collectors.joining("&"));
        }

        /**
         * The credential scope, {@code 20300102/us-east-1/s3/aws4_request}: what follows the key id in the encoded
         * {@code X-Amz-Credential}, dated the day of {@code X-Amz-Date}.
         */
        private static Optional<String> scope(String credential, String amzDate) {
            if (credential == null || amzDate == null) {
                return Optional.empty();
            }
            String[] parts = credential.split("%2F", -1);
            if (parts.length != 5 || parts[1].length() != 8 || !amzDate.startsWith(parts[1]) || !parts[4].equals("aws4_request")) {
                return Optional.empty();
            }
            return Optional.of(String.join("/", parts[1], parts[2], parts[3], parts[4]));
        }

        private static String value(List<String[]> parameters, String name) {
            for (String[] parameter : parameters) {
                if (parameter[0].equals(name)) {
                    return parameter[1];
                }
            }
            return null;
        }

        /** The {@code Host} header the SDK signed: the host, and the port unless it is the scheme's default. */
        private static String hostHeader(URI uri) {
            int port = uri.getPort();
            boolean standard = port == -1 || ("http".equalsIgnoreCase(uri.getScheme()) && port == 80)
                    || ("https".equalsIgnoreCase(uri.getScheme()) && port == 443);
            return standard ? uri.getHost() : uri.getHost() + ":" + port;
        }
    }
}
