package io.reel.media;

import io.reel.core.Json;
import io.reel.core.aws.CloudFrontUrlSigner;
import io.reel.core.aws.S3UrlSigner;
import io.reel.core.domain.Rendition;
import io.reel.core.domain.Video;
import io.reel.core.domain.VideoIds;
import io.reel.core.domain.VideoStatus;
import io.reel.core.port.UrlSigner;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The media function's CPU-bound paths as production runs them (this class sits in package {@code io.reel.media} to
 * reach its package-private classes): the playback response without its two DynamoDB reads (every URL signed, the
 * token issued, the JSON written), and the rewrite of a 2-hour media playlist (1,800 four-second segments) with S3
 * presigning ({@link S3UrlSigner#under}: signing key derived once) and with CloudFront (one wildcard signature reused),
 * and a catalogue page of 20 cards written without and with their signed poster URLs ({@link Playback#posterUrl}: one
 * {@code under(videos/{id}/, start of the hour, 2 h)} per card). Credentials are a Lambda-like session (a ~1 KB token),
 * which makes every S3 URL ~1.4 KB.
 *
 * <pre>bench/run.sh MediaBenchmark</pre>
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class MediaBenchmark {
    private static final int SEGMENTS = 1_800;
    private static final int PAGE = 20;
    private static final String ID = "k7t3v4x2m5n6p2r7sqawbecdfg";
    private static final String PREFIX = "videos/" + ID + "/";
    private static final String BUCKET = "reel-media-123456789012-us-east-1";
    private static final String SESSION_TOKEN = "IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCXVzLWVhc3QtMSJHMEUCIQD"
            + "x".repeat(950);

    private S3Presigner presigner;
    private UrlSigner s3;
    private UrlSigner cloudFront;
    private Playback playback;
    private Playback cloudFrontPlayback;
    private String cloudFrontPem;
    private PlaybackTokens tokens;
    private Video video;
    private List<Video> page;
    private String mediaPlaylist;
    private String token;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        var credentials = StaticCredentialsProvider.create(AwsSessionCredentials.create("ASIAIOSFODNN7EXAMPLE",
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", SESSION_TOKEN));
        // As AwsClients.s3Presigner() builds it in AWS.
        presigner = S3Presigner.builder().region(Region.US_EAST_1).credentialsProvider(credentials)
                .serviceConfiguration(S3Configuration.builder().useArnRegionEnabled(false).multiRegionEnabled(true).build())
                .build();
        Clock clock = Clock.systemUTC();
        s3 = S3UrlSigner.create(presigner, credentials, BUCKET, clock, Duration.ofHours(12));
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        cloudFront = new CloudFrontUrlSigner("d111111abcdef8.cloudfront.net", "K2JCJMDEHXQW5F", pem, clock, Duration.ofHours(12));
        cloudFrontPem = pem;
        tokens = new PlaybackTokens(new byte[32], clock);
        playback = new Playback(s3, tokens, new Playback.Settings(Duration.ofMinutes(30), Duration.ofHours(12)), clock);
        Instant now = Instant.now();
        video = new Video(ID, "u-owner", "A two-hour film", "With a description.", VideoStatus.READY, null, Duration.ofHours(2),
                1920, 1080, List.of(
                new Rendition("1080p", Rendition.Kind.MP4, 1920, 1080, 5000, PREFIX + "mp4/1080p.mp4"),
                new Rendition("720p", Rendition.Kind.MP4, 1280, 720, 3000, PREFIX + "mp4/720p.mp4"),
                new Rendition("480p", Rendition.Kind.MP4, 854, 480, 1400, PREFIX + "mp4/480p.mp4"),
                new Rendition("360p", Rendition.Kind.MP4, 640, 360, 800, PREFIX + "mp4/360p.mp4"),
                new Rendition("1080p", Rendition.Kind.HLS, 1920, 1080, 5000, PREFIX + "hls/1080p.m3u8")),
                PREFIX + "poster.jpg", PREFIX + "storyboard/storyboard.jpg", now, now);
        StringBuilder playlist = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:4\n"
                + "#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-MAP:URI=\"1080p/init.mp4\"\n");
        for (int i = 0; i < SEGMENTS; i++) {
            playlist.append("#EXTINF:4.000,\n1080p/segment_%05d.m4s\n".formatted(i));
        }
        mediaPlaylist = playlist.append("#EXT-X-ENDLIST\n").toString();
        token = tokens.issue(ID, now.plus(Duration.ofHours(3)));
        cloudFrontPlayback = new Playback(cloudFront, tokens, new Playback.Settings(Duration.ofMinutes(30), Duration.ofHours(12)),
                clock);
        page = new ArrayList<>();
        for (int i = 0; i < PAGE; i++) {
            String id = VideoIds.newId();
            String prefix = "videos/" + id + "/";
            page.add(new Video(id, "u-owner", "Card " + i, "A description of card " + i, VideoStatus.READY, null,
                    Duration.ofSeconds(95 + i), 1920, 1080, List.of(
                    new Rendition("1080p", Rendition.Kind.MP4, 1920, 1080, 5000, prefix + "1080p.mp4"),
                    new Rendition("720p", Rendition.Kind.HLS, 1280, 720, 3000, prefix + "hls/720p.m3u8")),
                    prefix + "poster.jpg", prefix + "storyboard.jpg", now.minusSeconds(i), now.minusSeconds(i)));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        presigner.close();
    }

    /** GET /videos/{id}/playback minus DynamoDB: 4 MP4 URLs, poster, storyboard, the token, the JSON. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public String playbackResponse() {
        return Json.write(playback.urls(video));
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public String rewriteMediaPlaylistS3() {
        return HlsRewriter.rewrite(mediaPlaylist, PREFIX + "hls/", s3.under(PREFIX, Duration.ofHours(3)), token);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public String rewriteMediaPlaylistCloudFront() {
        return HlsRewriter.rewrite(mediaPlaylist, PREFIX + "hls/", cloudFront.under(PREFIX, Duration.ofHours(3)), token);
    }

    /** GET /videos minus DynamoDB, as before posters: 20 cards and a cursor, written as JSON. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public String listPageWithoutPosters() {
        return catalogueJson(null);
    }

    /** The same page, each card's poster signed for S3 (a probe presigned and a signing key derived per card). */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public String listPageWithPostersS3() {
        return catalogueJson(playback);
    }

    /**
     * The same page, each card's poster signed for CloudFront, as every page after the hour's first: the signer keeps
     * the hour's policies, so no RSA signature is made.
     */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public String listPageWithPostersCloudFront() {
        return catalogueJson(cloudFrontPlayback);
    }

    /** The hour's first page with CloudFront: a new signer each time, so one RSA-2048 signature per card. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public String listPageWithPostersCloudFrontFirstOfTheHour(NewCloudFrontSigner fresh) {
        return catalogueJson(fresh.playback);
    }

    /** A CloudFront signer that has signed nothing yet, made anew (unmeasured) before each call. */
    @State(Scope.Thread)
    public static class NewCloudFrontSigner {
        private Playback playback;

        @Setup(Level.Invocation)
        public void setUp(MediaBenchmark benchmark) {
            var signer = new CloudFrontUrlSigner("d111111abcdef8.cloudfront.net", "K2JCJMDEHXQW5F", benchmark.cloudFrontPem,
                    Clock.systemUTC(), Duration.ofHours(12));
            playback = new Playback(signer, benchmark.tokens, new Playback.Settings(Duration.ofMinutes(30), Duration.ofHours(12)),
                    Clock.systemUTC());
        }
    }

    /** As {@code MediaRoutes.list} writes a page, the posters signed by {@code posters} (none when null). */
    private String catalogueJson(Playback posters) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page.stream().map(v -> VideoView.of(v, false, posters == null ? null : posters.posterUrl(v))).toList());
        body.put("nextCursor", "MjAyNi0xMS0yNFQxMDowMDowMC4wMDAwMDAwMDBafGs3dDN2NHgybTVuNnAycjdzcWF3YmVjZGZn");
        return Json.write(body);
    }

    /** One S3 presigned URL through the SDK: what playback pays per MP4, poster and storyboard URL. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Object presignOneS3() {
        return s3.sign(PREFIX + "mp4/720p.mp4", Duration.ofHours(3));
    }
}
