package io.reel.bench.media;

import io.reel.core.aws.S3UrlSigner;
import io.reel.core.domain.SignedUrl;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
 * presigner a look for {@code ~/.aws/config} and {@code ~/.aws/credentials} on every call; {@code *Under} is what the
 * playlist route runs, {@link S3UrlSigner#under}, which derives the SigV4 signing key once (its URLs are checked
 * against the SDK's in core's tests; this benchmark once carried the prototype of it).
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
    private S3UrlSigner underSigner;
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
        underSigner = S3UrlSigner.create(tunedPresigner, credentials, BUCKET, Clock.systemUTC(), Duration.ofHours(12));
        key = VIDEO + "segment_00042.m4s";
        playlist = new String[SEGMENTS];
        for (int i = 0; i < SEGMENTS; i++) {
            playlist[i] = VIDEO + "segment_%05d.m4s".formatted(i);
        }
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
    public void presignPlaylistOf1800Under(Blackhole blackhole) {
        var batch = underSigner.under(VIDEO, LIFETIME); // the signing key derived once, as the playlist route does
        for (String segment : playlist) {
            blackhole.consume(batch.url(segment));
        }
    }
}
