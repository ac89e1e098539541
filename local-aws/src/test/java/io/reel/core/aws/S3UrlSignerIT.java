package io.reel.core.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.reel.core.domain.SignedUrl;
import io.reel.localaws.junit.AwsTestResources;
import io.reel.localaws.junit.LocalAwsExtension;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * core's S3 {@link S3UrlSigner} against S3Proxy, over real HTTP: Range is honoured, and S3Proxy's SigV4 check
 * refuses tampered, re-targeted, stretched and expired URLs (so those tests are skipped on a backend that does not
 * verify presigned signatures, e.g. LocalStack's default).
 */
@ExtendWith(LocalAwsExtension.class)
class S3UrlSignerIT {
    private static final int SIZE = 100 * 1024;
    private static final byte[] CONTENT = new byte[SIZE];
    private static final byte[] OTHER = new byte[4096];
    private static final String KEY = "videos/01J8ZQ4K7T3V9X2M5N6P8R0S1A/hls/720p/segment_00042.m4s";
    private static final String OTHER_KEY = "videos/01J8ZQ4K7T3V9X2M5N6P8R0S1B/hls/720p/segment_00042.m4s";
    private static final String ODD_KEY = "videos/v 1/ünïcødé+plus&amp=eq%pct~tilde.m4s";
    private static final Instant FIXED_NOW = Instant.parse("2030-01-02T03:04:05Z");

    private final HttpClient http = HttpClient.newHttpClient();
    private AwsTestResources aws;
    private S3UrlSigner signer;

    @BeforeAll
    static void upload(AwsTestResources aws) {
        new Random(6).nextBytes(CONTENT);
        new Random(7).nextBytes(OTHER);
        String bucket = aws.bucket("MediaBucket");
        aws.s3().putObject(r -> r.bucket(bucket).key(KEY).contentType("video/mp4"), RequestBody.fromBytes(CONTENT));
        aws.s3().putObject(r -> r.bucket(bucket).key(OTHER_KEY).contentType("video/mp4"), RequestBody.fromBytes(OTHER));
        aws.s3().putObject(r -> r.bucket(bucket).key(ODD_KEY), RequestBody.fromBytes(OTHER));
    }

    @BeforeEach
    void signer(AwsTestResources aws) {
        this.aws = aws;
        this.signer = new S3UrlSigner(aws.presigner(), aws.bucket("MediaBucket"), Clock.systemUTC(), Duration.ofHours(6));
    }

    // --- Range and whole-object reads -------------------------------------------------------------------------

    @Test
    void range_returns206_exactlyThoseBytes_andContentRange() throws Exception {
        URI url = signer.sign(KEY, Duration.ofMinutes(5)).url();

        var response = get(url, "bytes=1000-1999");

        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(response.body()).hasSize(1000).isEqualTo(Arrays.copyOfRange(CONTENT, 1000, 2000));
        assertThat(response.headers().firstValue("Content-Range")).contains("bytes 1000-1999/102400");
    }

    @Test
    void noRange_returns200_andTheWholeObject() throws Exception {
        var response = get(signer.sign(KEY, Duration.ofMinutes(5)).url(), null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(CONTENT);
    }

    @Test
    void suffixRange_returnsTheLast100Bytes() throws Exception {
        var response = get(signer.sign(KEY, Duration.ofMinutes(5)).url(), "bytes=-100");

        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(response.body()).isEqualTo(Arrays.copyOfRange(CONTENT, SIZE - 100, SIZE));
        assertThat(response.headers().firstValue("Content-Range")).contains("bytes 102300-102399/102400");
    }

    @Test
    void theUrlIsPathStyleOnTheEmulator_andSignsOnlyTheHost() {
        URI url = signer.sign(KEY, Duration.ofMinutes(5)).url();

        assertThat(url.toString()).startsWith(aws.env().string("AWS_ENDPOINT_URL_S3") + "/" + aws.bucket("MediaBucket") + "/" + KEY + "?");
        assertThat(query(url, "X-Amz-SignedHeaders")).isEqualTo("host");
        assertThat(query(url, "X-Amz-Algorithm")).isEqualTo("AWS4-HMAC-SHA256");
    }

    @Test
    void aKeyNeedingPercentEncoding_isSignedAsS3Verifies() throws Exception {
        URI url = signer.sign(ODD_KEY, Duration.ofMinutes(5)).url();

        var response = get(url, null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(OTHER);
    }

    // --- Tampering and expiry (needs a backend that checks SigV4) ------------------------------------------------

    @Test
    void tamperedSignature_is403() throws Exception {
        requireSignatureChecks();
        URI url = signer.sign(KEY, Duration.ofMinutes(5)).url();
        assertThat(status(url)).as("untampered").isEqualTo(200);

        String signature = query(url, "X-Amz-Signature");
        String flipped = (signature.charAt(0) == 'a' ? 'b' : 'a') + signature.substring(1);
        URI tampered = URI.create(url.toString().replace("X-Amz-Signature=" + signature, "X-Amz-Signature=" + flipped));

        assertThat(tampered).isNotEqualTo(url);
        assertDenied(tampered, "<Code>SignatureDoesNotMatch</Code>");
    }

    @Test
    void anotherObjectsKey_withThisUrlsQuery_is403() throws Exception {
        requireSignatureChecks();
        URI url = signer.sign(KEY, Duration.ofMinutes(5)).url();
        assertThat(status(signer.sign(OTHER_KEY, Duration.ofMinutes(5)).url())).as("the other object exists").isEqualTo(200);

        URI retargeted = URI.create(url.toString().replace("/" + KEY + "?", "/" + OTHER_KEY + "?"));

        assertThat(retargeted.getRawPath()).endsWith(OTHER_KEY);
        assertThat(retargeted.getRawQuery()).isEqualTo(url.getRawQuery());
        assertDenied(retargeted, "<Code>SignatureDoesNotMatch</Code>");
    }

    @Test
    void stretchedExpires_is403() throws Exception {
        requireSignatureChecks();
        URI url = signer.sign(KEY, Duration.ofMinutes(5)).url();
        assertThat(query(url, "X-Amz-Expires")).isEqualTo("300");
        assertThat(status(url)).as("as signed").isEqualTo(200);

        URI stretched = URI.create(url.toString().replace("X-Amz-Expires=300", "X-Amz-Expires=3600"));

        assertThat(query(stretched, "X-Amz-Expires")).isEqualTo("3600");
        assertDenied(stretched, "<Code>SignatureDoesNotMatch</Code>");
    }

    @Test
    void expired_is403() throws Exception {
        requireSignatureChecks();
        SignedUrl signed = signer.sign(KEY, Duration.ofSeconds(1));
        assertThat(query(signed.url(), "X-Amz-Expires")).isEqualTo("1");

        Thread.sleep(2_500);

        assertThat(Instant.now()).isAfter(signed.expiresAt());
        assertDenied(signed.url(), "Request has expired");
        assertThat(status(signer.sign(KEY, Duration.ofSeconds(60)).url())).as("a fresh URL still works").isEqualTo(200);
    }

    // --- Keys and lifetimes refused before signing --------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"../x", "/abs", "a/../../b", "videos/..", "..", "./x", "a/./b", "videos/v-1/\nInjected: yes",
            "a\rb", "a\u0000b", "a\tb", "a\u007Fb", "a\u0085b", "", " ", "  \t "})
    void hostileKeys_areRefusedBeforeSigning(String key) {
        S3UrlSigner guarded = new S3UrlSigner(presignerThatMustNotBeCalled(), "media", Clock.systemUTC(), Duration.ofHours(6));

        assertThatThrownBy(() -> guarded.sign(key, Duration.ofMinutes(5))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nullKey_andKeysOver1024Utf8Bytes_areRefusedBeforeSigning() {
        S3UrlSigner guarded = new S3UrlSigner(presignerThatMustNotBeCalled(), "media", Clock.systemUTC(), Duration.ofHours(6));

        assertThatThrownBy(() -> guarded.sign(null, Duration.ofMinutes(5))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> guarded.sign("k".repeat(2048), Duration.ofMinutes(5))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> guarded.sign("k".repeat(1025), Duration.ofMinutes(5))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> guarded.sign("é".repeat(513), Duration.ofMinutes(5))) // 1,026 bytes, 513 chars
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> guarded.sign("a\uD800b", Duration.ofMinutes(5))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ordinaryKeys_nearTheEdges_areSigned() {
        for (String key : new String[] {"k".repeat(1024), "é".repeat(512), "videos/a..b/x", "videos/.hidden/..x", "a/b/",
                "🎬/clip.mp4", ODD_KEY}) {
            assertThat(signer.sign(key, Duration.ofMinutes(5)).url()).as(key).isNotNull();
        }
    }

    @Test
    void nonPositiveOrSubSecondLifetimes_areRefused() {
        S3UrlSigner guarded = new S3UrlSigner(presignerThatMustNotBeCalled(), "media", Clock.systemUTC(), Duration.ofHours(6));

        for (Duration lifetime : new Duration[] {Duration.ZERO, Duration.ofSeconds(-1), Duration.ofMillis(999), null}) {
            assertThatThrownBy(() -> guarded.sign(KEY, lifetime)).as(String.valueOf(lifetime))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    // --- Lifetime capping -----------------------------------------------------------------------------------------

    @Test
    void lifetime_isCappedAtMaxLifetime() {
        S3UrlSigner fixed = new S3UrlSigner(aws.presigner(), aws.bucket("MediaBucket"),
                Clock.fixed(FIXED_NOW, ZoneOffset.UTC), Duration.ofHours(6));

        SignedUrl signed = fixed.sign(KEY, Duration.ofDays(30));

        assertThat(signed.expiresAt()).isEqualTo(FIXED_NOW.plus(Duration.ofHours(6)));
        assertThat(query(signed.url(), "X-Amz-Expires")).isEqualTo("21600");
    }

    @Test
    void lifetime_underTheCap_isUsedAsAsked_inWholeSeconds() {
        S3UrlSigner fixed = new S3UrlSigner(aws.presigner(), aws.bucket("MediaBucket"),
                Clock.fixed(FIXED_NOW.plusMillis(750), ZoneOffset.UTC), Duration.ofHours(6));

        SignedUrl signed = fixed.sign(KEY, Duration.ofMillis(90_500));

        assertThat(signed.expiresAt()).isEqualTo(FIXED_NOW.plusSeconds(90));
        assertThat(query(signed.url(), "X-Amz-Expires")).isEqualTo("90");
    }

    @Test
    void maxLifetimeBeyondSevenDays_isCappedAtSevenDays() {
        S3UrlSigner generous = new S3UrlSigner(aws.presigner(), aws.bucket("MediaBucket"),
                Clock.fixed(FIXED_NOW, ZoneOffset.UTC), Duration.ofDays(30));

        SignedUrl signed = generous.sign(KEY, Duration.ofDays(30));

        assertThat(generous.maxLifetime()).isEqualTo(Duration.ofDays(7));
        assertThat(signed.expiresAt()).isEqualTo(FIXED_NOW.plus(Duration.ofDays(7)));
        assertThat(query(signed.url(), "X-Amz-Expires")).isEqualTo("604800");
    }

    // --- helpers --------------------------------------------------------------------------------------------------

    private void requireSignatureChecks() {
        assumeTrue(aws.backendName().startsWith("embedded"),
                () -> "presigned-URL signatures are verified by S3Proxy, not necessarily by " + aws.backendName());
    }

    private HttpResponse<byte[]> get(URI url, String range) throws Exception {
        var request = HttpRequest.newBuilder(url);
        if (range != null) {
            request.header("Range", range);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private int status(URI url) throws Exception {
        return http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** 403, and for the expected reason (S3Proxy answers with S3's error codes). */
    private void assertDenied(URI url, String reason) throws Exception {
        var response = http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
        assertThat(response.body()).contains(reason);
    }

    private static String query(URI url, String name) {
        Matcher m = Pattern.compile("(?:^|&)" + Pattern.quote(name) + "=([^&]*)").matcher(url.getRawQuery());
        assertThat(m.find()).as(name + " in " + url).isTrue();
        return m.group(1);
    }

    private static S3Presigner presignerThatMustNotBeCalled() {
        return (S3Presigner) Proxy.newProxyInstance(S3UrlSignerIT.class.getClassLoader(), new Class<?>[] {S3Presigner.class},
                (proxy, method, args) -> {
                    throw new AssertionError("the presigner was called (" + method.getName() + ") for a key or lifetime that "
                            + "should have been refused first");
                });
    }
}
