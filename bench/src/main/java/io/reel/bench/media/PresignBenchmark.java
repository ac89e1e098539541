package io.reel.bench.media;

import io.reel.core.aws.S3UrlSigner;
import io.reel.core.domain.SignedUrl;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The cost of S3 presigning, all local (no network): one segment URL through {@link S3UrlSigner} (key checks
 * included) and through the SDK presigner alone, and a 2-hour video's media playlist (1,800 distinct segment keys),
 * for the goal of rewriting that playlist with presigned URLs in at most 50 ms.
 *
 * <p>The default presigner is the SDK's as it comes: region us-east-1, virtual-hosted style, and Lambda-like session credentials (so {@code X-Amz-Security-Token} is in
 * every URL), but from a static provider. The default JIT is used, as in Lambda.
 *
 * <p>Two variants size the options: {@code *TunedSdk} is configured as production now is
 * ({@code AwsClients.s3Presigner()} sets {@code useArnRegionEnabled}/{@code multiRegionEnabled} explicitly), which spares the
 * presigner a look for {@code ~/.aws/config} and {@code ~/.aws/credentials} on every call; {@code *PreDerivedKey}
 * (bench-only, not in main code) is a minimal SigV4 query signer for a GET with only {@code host} signed, reusing the day's signing key, checked in
 * {@link #setUp()} to produce the SDK's exact signature.
 *
 * <pre>bench/run.sh PresignBenchmark</pre>
 */
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class PresignBenchmark {
    private static final int SEGMENTS = 1_800; // 2 h of 4-second segments
    private static final String VIDEO = "videos/01J8ZQ4K7T3V9X2M5N6P8R0S1A/hls/720p/";
    private static final Duration LIFETIME = Duration.ofHours(6);
    private static final String BUCKET = "reel-media-123456789012-us-east-1";
    private static final String ACCESS_KEY_ID = "ASIAIOSFODNN7EXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final String SESSION_TOKEN = "IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCXVzLWVhc3QtMSJHMEUCIQDexampleexampleexample"
            + "exampleexampleAiBexampleexampleexampleexampleexampleexampleKqJAQjx//////////ARAAGgwxMjM0NTY3ODkwMTIi";

    private S3Presigner presigner;
    private S3UrlSigner signer;
    private S3Presigner tunedPresigner;
    private S3UrlSigner tunedSigner;
    private PreDerivedKeyPresigner preDerived;
    private String key;
    private String[] playlist;

    @Setup(Level.Trial)
    public void setUp() {
        var credentials = StaticCredentialsProvider.create(AwsSessionCredentials.create(ACCESS_KEY_ID, SECRET, SESSION_TOKEN));
        presigner = S3Presigner.builder().region(Region.US_EAST_1).credentialsProvider(credentials).build();
        signer = new S3UrlSigner(presigner, BUCKET, Clock.systemUTC(), Duration.ofHours(12));
        tunedPresigner = S3Presigner.builder().region(Region.US_EAST_1).credentialsProvider(credentials)
                .serviceConfiguration(S3Configuration.builder().useArnRegionEnabled(false).multiRegionEnabled(true).build())
                .build();
        tunedSigner = new S3UrlSigner(tunedPresigner, BUCKET, Clock.systemUTC(), Duration.ofHours(12));
        preDerived = new PreDerivedKeyPresigner("us-east-1", BUCKET + ".s3.amazonaws.com", ACCESS_KEY_ID, SECRET, SESSION_TOKEN);
        key = VIDEO + "segment_00042.m4s";
        playlist = new String[SEGMENTS];
        for (int i = 0; i < SEGMENTS; i++) {
            playlist[i] = VIDEO + "segment_%05d.m4s".formatted(i);
        }
        checkPreDerivedAgainstSdk();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        presigner.close();
        tunedPresigner.close();
    }

    /** One segment URL, as the playlist rewriter would ask for it. */
    @Benchmark
    @BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public SignedUrl presignOne() {
        return signer.sign(key, LIFETIME);
    }

    /** The SDK alone, without {@link S3UrlSigner}'s key checks, to show what they cost. */
    @Benchmark
    @BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Object presignOneSdkOnly() {
        return presigner.presignGetObject(r -> r.signatureDuration(LIFETIME).getObjectRequest(g -> g.bucket(BUCKET).key(key)));
    }

    @Benchmark
    @BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public SignedUrl presignOneTunedSdk() {
        return tunedSigner.sign(key, LIFETIME);
    }

    @Benchmark
    @BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public URI presignOnePreDerivedKey() {
        return preDerived.presignGet(key, LIFETIME, Instant.now());
    }

    /** A media playlist of a 2-hour video: 1,800 distinct segment keys, one invocation = all 1,800 URLs. */
    @Benchmark
    @BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public void presignPlaylistOf1800(Blackhole blackhole) {
        for (String segment : playlist) {
            blackhole.consume(signer.sign(segment, LIFETIME));
        }
    }

    @Benchmark
    @BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public void presignPlaylistOf1800TunedSdk(Blackhole blackhole) {
        for (String segment : playlist) {
            blackhole.consume(tunedSigner.sign(segment, LIFETIME));
        }
    }

    @Benchmark
    @BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public void presignPlaylistOf1800PreDerivedKey(Blackhole blackhole) {
        Instant now = Instant.now(); // one X-Amz-Date for the whole playlist
        for (String segment : playlist) {
            blackhole.consume(preDerived.presignGet(segment, LIFETIME, now));
        }
    }

    /** Fails the trial unless {@link PreDerivedKeyPresigner} reproduces the SDK's URL exactly. */
    private void checkPreDerivedAgainstSdk() {
        URI sdk = signer.sign(key, LIFETIME).url();
        String amzDate = queryParameter(sdk, "X-Amz-Date");
        Instant signedAt = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).parse(amzDate, Instant::from);
        URI ours = preDerived.presignGet(key, LIFETIME, signedAt);
        if (!queryParameter(ours, "X-Amz-Signature").equals(queryParameter(sdk, "X-Amz-Signature"))
                || !ours.getRawPath().equals(sdk.getRawPath()) || !ours.getHost().equals(sdk.getHost())) {
            throw new IllegalStateException("the pre-derived-key prototype disagrees with the SDK:\n" + sdk + "\n" + ours);
        }
    }

    private static String queryParameter(URI url, String name) {
        for (String pair : url.getRawQuery().split("&")) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        throw new IllegalStateException(name + " missing from " + url);
    }

    /**
     * Bench-only prototype: SigV4 query-string presigning of a GET with only {@code host} signed and an unsigned
     * payload, as S3 presigned GETs are, keeping the derived signing key (four HMACs) per UTC day. Not thread-safe.
     */
    static final class PreDerivedKeyPresigner {
        private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
        private static final HexFormat HEX = HexFormat.of();
        private final String region;
        private final String host;
        private final String accessKeyId;
        private final String secret;
        private final String encodedToken;
        private final MessageDigest sha256;
        private String keyDay = "";
        private Mac signingMac;
        private String encodedCredential;

        PreDerivedKeyPresigner(String region, String host, String accessKeyId, String secret, String sessionToken) {
            this.region = region;
            this.host = host;
            this.accessKeyId = accessKeyId;
            this.secret = secret;
            this.encodedToken = encode(sessionToken, false);
            try {
                this.sha256 = MessageDigest.getInstance("SHA-256");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        URI presignGet(String key, Duration lifetime, Instant now) {
            String amzDate = AMZ_DATE.format(now);
            String day = amzDate.substring(0, 8);
            if (!day.equals(keyDay)) {
                deriveKey(day);
            }
            String path = "/" + encode(key, true);
            String query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + encodedCredential + "&X-Amz-Date=" + amzDate
                    + "&X-Amz-Expires=" + lifetime.toSeconds() + "&X-Amz-Security-Token=" + encodedToken + "&X-Amz-SignedHeaders=host";
            String canonicalRequest = "GET\n" + path + "\n" + query + "\nhost:" + host + "\n\nhost\nUNSIGNED-PAYLOAD";
            String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + day + "/" + region + "/s3/aws4_request\n"
                    + HEX.formatHex(sha256.digest(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
            String signature = HEX.formatHex(signingMac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
            return URI.create("https://" + host + path + "?" + query + "&X-Amz-Signature=" + signature);
        }

        private void deriveKey(String day) {
            byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), day);
            key = hmac(key, region);
            key = hmac(key, "s3");
            key = hmac(key, "aws4_request");
            try {
                signingMac = Mac.getInstance("HmacSHA256");
                signingMac.init(new SecretKeySpec(key, "HmacSHA256"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
            encodedCredential = encode(accessKeyId + "/" + day + "/" + region + "/s3/aws4_request", false);
            keyDay = day;
        }

        private static byte[] hmac(byte[] key, String data) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        /** RFC 3986 percent-encoding of everything but unreserved characters (and {@code /} in a path), as SigV4 wants. */
        private static String encode(String value, boolean keepSlash) {
            StringBuilder out = new StringBuilder(value.length() + 16);
            for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
                char c = (char) (b & 0xff);
                if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'
                        || c == '~' || (keepSlash && c == '/')) {
                    out.append(c);
                } else {
                    out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
                }
            }
            return out.toString();
        }
    }
}
