package io.reel.core.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;

import io.reel.core.AwsClients;
import io.reel.core.Env;
import io.reel.core.port.UrlSigner.PrefixSigner;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * {@link S3UrlSigner#under}'s own SigV4 signing against the SDK's presigner, all local: the URLs must be the SDK's
 * byte for byte (same second, same key), for AWS's virtual-hosted URLs with session credentials as in Lambda and for
 * the emulator's path-style ones built by {@link AwsClients}.
 */
class S3UrlSignerTest {
    private static final String BUCKET = "reel-media-123456789012-us-east-1";
    private static final String PREFIX = "videos/01J8ZQ4K7T3V9X2M5N6P8R0S1A/hls/";
    private static final AwsCredentialsProvider LAMBDA_CREDENTIALS = StaticCredentialsProvider.create(AwsSessionCredentials.create(
            "ASIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+example=="));
    private static final S3Presigner AWS_PRESIGNER = S3Presigner.builder().region(Region.US_EAST_1)
            .credentialsProvider(LAMBDA_CREDENTIALS)
            .serviceConfiguration(S3Configuration.builder().useArnRegionEnabled(false).multiRegionEnabled(true).build())
            .build();
    private static final AwsClients EMULATED = AwsClients.create(Env.of(Map.of(
            "AWS_REGION", "eu-west-1",
            "AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9000",
            "AWS_ACCESS_KEY_ID", "local",
            "AWS_SECRET_ACCESS_KEY", "local-secret")));
    private static final S3Presigner EMULATOR_PRESIGNER = EMULATED.s3Presigner();
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    @AfterAll
    static void close() {
        AWS_PRESIGNER.close();
        EMULATOR_PRESIGNER.close();
        EMULATED.close();
    }

    static Stream<String> oddKeys() {
        return Stream.of("segment_00042.m4s", "720p/init.mp4", "a b.m4s", "plus+sign.m4s", "ünïcødé/fïlé.m4s", "🎬 clip.m4s",
                        "tilde~and-_.m4s", "eq=amp&pct%25.m4s", "star*bang!quote'(paren).m4s", "semi;colon:at@dollar$comma,.m4s",
                        "question?hash#.m4s", "brackets[]{}|\\^`.m4s", "double//slash.m4s", "trailing/", "a..b/.hidden/..x",
                        "k".repeat(1024 - PREFIX.length()), "é".repeat(400))
                .map(key -> PREFIX + key);
    }

    // --- The SDK's own URLs ------------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("oddKeys")
    void under_inAws_withSessionCredentials_givesTheSdksUrl(String key) {
        S3UrlSigner signer = S3UrlSigner.create(AWS_PRESIGNER, LAMBDA_CREDENTIALS, BUCKET, Clock.systemUTC(), Duration.ofHours(12));

        List<String> ours = assertSameAsSdk(signer, AWS_PRESIGNER, BUCKET, List.of(key), Duration.ofHours(6));

        assertThat(ours.getFirst()).startsWith("https://" + BUCKET + ".s3.amazonaws.com/" + PREFIX)
                .contains("X-Amz-Security-Token=IQoJb3JpZ2luX2VjEXAMPLE%2F%2F%2F%2F%2F%2F%2F%2F%2F%2FwEa")
                .contains("X-Amz-SignedHeaders=host").contains("X-Amz-Expires=21600");
    }

    @ParameterizedTest
    @MethodSource("oddKeys")
    void under_onTheEmulator_fromAwsClients_givesTheSdksPathStyleUrl(String key) {
        S3UrlSigner signer = EMULATED.s3UrlSigner("media", Clock.systemUTC(), Duration.ofHours(12));

        List<String> ours = assertSameAsSdk(signer, EMULATOR_PRESIGNER, "media", List.of(key), Duration.ofMinutes(5));

        assertThat(ours.getFirst()).startsWith("http://127.0.0.1:9000/media/" + PREFIX).doesNotContain("X-Amz-Security-Token");
    }

    @Test
    void under_aWholePlaylist_givesTheSdksUrls_andPresignsOnlyTheProbe() {
        AtomicInteger presigns = new AtomicInteger();
        S3UrlSigner signer = S3UrlSigner.create(counting(AWS_PRESIGNER, presigns), LAMBDA_CREDENTIALS, BUCKET,
                Clock.systemUTC(), Duration.ofHours(12));
        List<String> keys = IntStream.range(0, 200).mapToObj(i -> PREFIX + "720p/segment_%05d.m4s".formatted(i)).toList();

        assertThat(presignsFor(signer, presigns, keys)).as("the first batch: one probe").isEqualTo(1);
        assertThat(presignsFor(signer, presigns, keys)).as("the template is kept for these credentials").isZero();
        assertSameAsSdk(signer, AWS_PRESIGNER, BUCKET, keys, Duration.ofHours(2));
        assertThat(signer.sign(PREFIX + "poster.jpg", Duration.ofMinutes(30)).url().toString())
                .as("a single URL is signed from the same template")
                .isEqualTo(AWS_PRESIGNER.presignGetObject(r -> r.signatureDuration(Duration.ofMinutes(30))
                        .getObjectRequest(g -> g.bucket(BUCKET).key(PREFIX + "poster.jpg"))).url().toString());
        assertThat(presigns).hasValue(0);
    }

    @Test
    void under_withSecondsOfItsOwn_usesTheProbesDate_andExpiresThenPlusTheLifetime() {
        S3UrlSigner signer = S3UrlSigner.create(AWS_PRESIGNER, LAMBDA_CREDENTIALS, BUCKET,
                Clock.fixed(Instant.parse("2001-01-01T00:00:00Z"), ZoneOffset.UTC), Duration.ofHours(6));

        PrefixSigner batch = signer.under(PREFIX, Duration.ofDays(30));
        URI first = URI.create(batch.url(PREFIX + "a.m4s"));
        URI last = URI.create(batch.url(PREFIX + "z.m4s"));

        Instant signedAt = AMZ_DATE.parse(query(first, "X-Amz-Date"), Instant::from);
        assertThat(query(last, "X-Amz-Date")).isEqualTo(query(first, "X-Amz-Date"));
        assertThat(signedAt).isCloseTo(Instant.now(), within(5, ChronoUnit.SECONDS));
        assertThat(query(first, "X-Amz-Expires")).isEqualTo("21600");
        assertThat(batch.expiresAt()).isEqualTo(signedAt.plus(Duration.ofHours(6)));
    }

    @Test
    void under_lifetimeUnderTheCap_isCountedInWholeSeconds() {
        S3UrlSigner signer = S3UrlSigner.create(AWS_PRESIGNER, LAMBDA_CREDENTIALS, BUCKET, Clock.systemUTC(), Duration.ofHours(6));

        PrefixSigner batch = signer.under(PREFIX, Duration.ofMillis(90_500));
        URI url = URI.create(batch.url(PREFIX + "a.m4s"));

        assertThat(query(url, "X-Amz-Expires")).isEqualTo("90");
        assertThat(batch.expiresAt()).isEqualTo(AMZ_DATE.parse(query(url, "X-Amz-Date"), Instant::from).plusSeconds(90));
    }

    // --- As of a given instant ----------------------------------------------------------------------------------

    @Test
    void underAsOf_theStartOfTheHour_datesEveryUrlThen_expiresThenPlusTheLifetime_andIsTheSameUrlEachTime() {
        Instant hour = Instant.parse("2030-01-02T03:00:00Z");
        Clock halfPast = Clock.fixed(hour.plus(Duration.ofMinutes(30)), ZoneOffset.UTC);
        S3UrlSigner signer = S3UrlSigner.create(AWS_PRESIGNER, LAMBDA_CREDENTIALS, BUCKET, halfPast, Duration.ofHours(12));

        PrefixSigner batch = signer.under(PREFIX, hour, Duration.ofHours(2));
        String poster = batch.url(PREFIX + "poster.jpg");

        URI url = URI.create(poster);
        assertThat(url.getRawPath()).isEqualTo("/" + PREFIX + "poster.jpg");
        assertThat(query(url, "X-Amz-Date")).isEqualTo("20300102T030000Z");
        assertThat(query(url, "X-Amz-Expires")).isEqualTo("7200");
        assertThat(query(url, "X-Amz-Credential")).isEqualTo("ASIAIOSFODNN7EXAMPLE%2F20300102%2Fus-east-1%2Fs3%2Faws4_request");
        assertThat(query(url, "X-Amz-Security-Token")).startsWith("IQoJb3JpZ2luX2VjEXAMPLE");
        assertThat(batch.expiresAt()).isEqualTo(hour.plus(Duration.ofHours(2)));
        S3UrlSigner later = S3UrlSigner.create(AWS_PRESIGNER, LAMBDA_CREDENTIALS, BUCKET,
                Clock.fixed(hour.plus(Duration.ofMinutes(59)), ZoneOffset.UTC), Duration.ofHours(12));
        assertThat(later.under(PREFIX, hour.plusMillis(999), Duration.ofHours(2)).url(PREFIX + "poster.jpg"))
                .as("another signer, later in the hour, signing as of the same second").isEqualTo(poster);
        assertThat(query(URI.create(batch.url(PREFIX + "storyboard.jpg")), "X-Amz-Signature"))
                .isNotEqualTo(query(url, "X-Amz-Signature"));
    }

    @Test
    void underAsOf_now_givesTheSdksOwnUrl() {
        S3UrlSigner signer = S3UrlSigner.create(AWS_PRESIGNER, LAMBDA_CREDENTIALS, BUCKET, Clock.systemUTC(), Duration.ofHours(12));
        String key = PREFIX + "plus+sign ü.jpg";
        for (int attempt = 0; attempt < 5; attempt++) {
            Instant second = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            String ours = signer.under(PREFIX, second, Duration.ofHours(2)).url(key);
            String theirs = AWS_PRESIGNER.presignGetObject(r -> r.signatureDuration(Duration.ofHours(2))
                    .getObjectRequest(g -> g.bucket(BUCKET).key(key))).url().toString();
            if (query(URI.create(theirs), "X-Amz-Date").equals(AMZ_DATE.format(second))) {
                assertThat(ours).isEqualTo(theirs);
                return;
            }
        }
        fail("five runs in a row straddled a second");
    }

    @Test
    void underAsOf_aLifetimeOverTheCap_isCapped_fromTheSigningInstant() {
        Instant hour = Instant.parse("2030-01-02T03:00:00Z");
        S3UrlSigner signer = S3UrlSigner.create(AWS_PRESIGNER, LAMBDA_CREDENTIALS, BUCKET,
                Clock.fixed(hour.plusSeconds(10), ZoneOffset.UTC), Duration.ofHours(6));

        PrefixSigner batch = signer.under(PREFIX, hour, Duration.ofDays(30));

        assertThat(query(URI.create(batch.url(PREFIX + "poster.jpg")), "X-Amz-Expires")).isEqualTo("21600");
        assertThat(batch.expiresAt()).isEqualTo(hour.plus(Duration.ofHours(6)));
    }

    @Test
    void underAsOf_aLaterInstant_anExpiredWindowOrNone_isRefusedBeforeSigning() {
        Instant now = Instant.parse("2030-01-02T03:30:00Z");
        S3UrlSigner signer = S3UrlSigner.create(mustNotBeCalled(), LAMBDA_CREDENTIALS, BUCKET, Clock.fixed(now, ZoneOffset.UTC),
                Duration.ofHours(12));

        assertThatThrownBy(() -> signer.under(PREFIX, now.plusSeconds(1), Duration.ofHours(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("later");
        assertThatThrownBy(() -> signer.under(PREFIX, now.minus(Duration.ofHours(2)), Duration.ofHours(2)))
                .as("expiring right now").isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expired");
        assertThatThrownBy(() -> signer.under(PREFIX, now.minus(Duration.ofDays(1)), Duration.ofHours(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expired");
        assertThatThrownBy(() -> signer.under(PREFIX, null, Duration.ofHours(2))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> signer.under(PREFIX, now, Duration.ofMillis(999))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> signer.under("videos/A", now, Duration.ofHours(2))).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"videos/01J8ZQ4K7T3V9X2M5N6P8R0S1B/poster.jpg", PREFIX + "../../B/poster.jpg", PREFIX + "./x.jpg",
            PREFIX, "poster.jpg", ""})
    void underAsOf_aKeyOutsideThePrefixOrUnsafe_isRefused(String key) {
        Instant hour = Instant.parse("2030-01-02T03:00:00Z");
        PrefixSigner batch = S3UrlSigner.create(AWS_PRESIGNER, LAMBDA_CREDENTIALS, BUCKET,
                Clock.fixed(hour.plusSeconds(1), ZoneOffset.UTC), Duration.ofHours(6)).under(PREFIX, hour, Duration.ofHours(2));

        assertThatThrownBy(() -> batch.url(key)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void underAsOf_withoutCredentials_presignsEachKeyWithTheSdkAsOfNow_expiringAtTheSameInstant() {
        AtomicInteger presigns = new AtomicInteger();
        S3UrlSigner signer = new S3UrlSigner(counting(AWS_PRESIGNER, presigns), BUCKET, Clock.systemUTC(), Duration.ofHours(12));
        Instant tenMinutesAgo = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS);

        PrefixSigner batch = signer.under(PREFIX, tenMinutesAgo, Duration.ofHours(1));
        URI url = URI.create(batch.url(PREFIX + "poster.jpg"));

        Instant dated = AMZ_DATE.parse(query(url, "X-Amz-Date"), Instant::from);
        assertThat(dated).isCloseTo(Instant.now(), within(5, ChronoUnit.SECONDS));
        assertThat(dated.plusSeconds(Long.parseLong(query(url, "X-Amz-Expires"))))
                .isCloseTo(tenMinutesAgo.plus(Duration.ofHours(1)), within(1, ChronoUnit.SECONDS));
        assertThat(batch.expiresAt()).isCloseTo(tenMinutesAgo.plus(Duration.ofHours(1)), within(1, ChronoUnit.SECONDS));
        assertThat(presigns).hasValue(1);
    }

    // --- Falling back to the SDK ---------------------------------------------------------------------------------

    @Test
    void under_whenTheCredentialsAreNotThePresigners_presignsEachKeyWithTheSdk_andStillGivesItsUrls() {
        AtomicInteger presigns = new AtomicInteger();
        var stranger = StaticCredentialsProvider.create(AwsBasicCredentials.create("ASIAIOSFODNN7EXAMPLE", "not-the-secret"));
        S3UrlSigner signer = S3UrlSigner.create(counting(AWS_PRESIGNER, presigns), stranger, BUCKET, Clock.systemUTC(),
                Duration.ofHours(12));
        List<String> keys = List.of(PREFIX + "a.m4s", PREFIX + "b c.m4s", PREFIX + "d+e.m4s");

        assertSameAsSdk(signer, AWS_PRESIGNER, BUCKET, keys, Duration.ofHours(1));

        assertThat(presignsFor(signer, presigns, keys)).as("each key; the probe that failed is not repeated")
                .isEqualTo(keys.size());
    }

    @Test
    void under_withoutCredentials_presignsEachKeyWithTheSdk() {
        AtomicInteger presigns = new AtomicInteger();
        S3UrlSigner signer = new S3UrlSigner(counting(AWS_PRESIGNER, presigns), BUCKET, Clock.systemUTC(), Duration.ofHours(12));
        List<String> keys = List.of(PREFIX + "a.m4s", PREFIX + "ü.m4s");

        assertSameAsSdk(signer, AWS_PRESIGNER, BUCKET, keys, Duration.ofHours(1));

        assertThat(presignsFor(signer, presigns, keys)).isEqualTo(keys.size());
    }

    // --- Keys, prefixes and lifetimes refused ----------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"videos/01J8ZQ4K7T3V9X2M5N6P8R0S1B/hls/segment_00042.m4s", PREFIX, PREFIX + "../../B/x.m4s",
            PREFIX + "./x.m4s", PREFIX + "a/..", PREFIX + "a\nb", PREFIX + "a\u0000b", PREFIX + "a\uD800b", "segment.m4s", ""})
    void under_aKeyOutsideThePrefixOrUnsafe_isRefused(String key) {
        S3UrlSigner signer = S3UrlSigner.create(AWS_PRESIGNER, LAMBDA_CREDENTIALS, BUCKET, Clock.systemUTC(), Duration.ofHours(6));
        PrefixSigner batch = signer.under(PREFIX, Duration.ofMinutes(5));

        assertThatThrownBy(() -> batch.url(key)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void under_nullAndOverlongKeys_areRefused() {
        PrefixSigner batch = S3UrlSigner.create(AWS_PRESIGNER, LAMBDA_CREDENTIALS, BUCKET, Clock.systemUTC(), Duration.ofHours(6))
                .under(PREFIX, Duration.ofMinutes(5));

        assertThatThrownBy(() -> batch.url(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> batch.url(PREFIX + "k".repeat(1025 - PREFIX.length()))).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "videos/A", "/videos/A/", "../", "videos/../", "videos/./A/", "videos/A\n/"})
    void under_anUnsafePrefix_isRefusedBeforeSigning(String prefix) {
        S3UrlSigner signer = S3UrlSigner.create(mustNotBeCalled(), LAMBDA_CREDENTIALS, BUCKET, Clock.systemUTC(), Duration.ofHours(6));

        assertThatThrownBy(() -> signer.under(prefix, Duration.ofMinutes(5))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void under_nonPositiveOrSubSecondLifetimes_areRefusedBeforeSigning() {
        S3UrlSigner signer = S3UrlSigner.create(mustNotBeCalled(), LAMBDA_CREDENTIALS, BUCKET, Clock.systemUTC(), Duration.ofHours(6));

        for (Duration lifetime : new Duration[] {Duration.ZERO, Duration.ofSeconds(-1), Duration.ofMillis(999), null}) {
            assertThatThrownBy(() -> signer.under(PREFIX, lifetime)).as(String.valueOf(lifetime))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void create_withoutCredentials_isRefused() {
        assertThatThrownBy(() -> S3UrlSigner.create(AWS_PRESIGNER, null, BUCKET, Clock.systemUTC(), Duration.ofHours(6)))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("credentials");
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    /**
     * Signs {@code keys} with {@code signer.under} and with the SDK, and asserts the URLs are equal; the SDK stamps the
     * current second, so a run that straddles a second is tried again.
     */
    private static List<String> assertSameAsSdk(S3UrlSigner signer, S3Presigner sdk, String bucket, List<String> keys,
                                                Duration lifetime) {
        for (int attempt = 0; attempt < 5; attempt++) {
            PrefixSigner batch = signer.under(PREFIX, lifetime);
            List<String> ours = keys.stream().map(batch::url).toList();
            List<String> theirs = new ArrayList<>();
            for (String key : keys) {
                theirs.add(sdk.presignGetObject(r -> r.signatureDuration(lifetime).getObjectRequest(g -> g.bucket(bucket).key(key)))
                        .url().toString());
            }
            String date = query(URI.create(ours.getFirst()), "X-Amz-Date");
            if (Stream.concat(ours.stream(), theirs.stream()).allMatch(url -> query(URI.create(url), "X-Amz-Date").equals(date))) {
                assertThat(ours).containsExactlyElementsOf(theirs);
                return ours;
            }
        }
        return fail("five runs in a row straddled a second");
    }

    /** How many times one batch of {@code keys} calls the SDK's presigner. */
    private static int presignsFor(S3UrlSigner signer, AtomicInteger presigns, List<String> keys) {
        presigns.set(0);
        PrefixSigner batch = signer.under(PREFIX, Duration.ofHours(1));
        keys.forEach(batch::url);
        return presigns.get();
    }

    private static String query(URI url, String name) {
        Matcher m = Pattern.compile("(?:^|&)" + Pattern.quote(name) + "=([^&]*)").matcher(url.getRawQuery());
        assertThat(m.find()).as(name + " in " + url).isTrue();
        return m.group(1);
    }

    private static S3Presigner counting(S3Presigner delegate, AtomicInteger presigns) {
        return (S3Presigner) Proxy.newProxyInstance(S3UrlSignerTest.class.getClassLoader(), new Class<?>[] {S3Presigner.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("presignGetObject")) {
                        presigns.incrementAndGet();
                    }
                    try {
                        return method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static S3Presigner mustNotBeCalled() {
        return (S3Presigner) Proxy.newProxyInstance(S3UrlSignerTest.class.getClassLoader(), new Class<?>[] {S3Presigner.class},
                (proxy, method, args) -> {
                    throw new AssertionError("the presigner was called (" + method.getName() + ") for a prefix or lifetime "
                            + "that should have been refused first");
                });
    }
}
