package io.reel.core.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.reel.core.AwsClients;
import io.reel.core.port.UrlSigner.PrefixSigner;
import io.reel.localaws.junit.AwsTestResources;
import io.reel.localaws.junit.LocalAwsExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * {@link S3UrlSigner#under}'s own SigV4 signing (as {@link AwsClients#s3UrlSigner} builds it) against S3Proxy, over
 * real HTTP: every URL of a batch fetches its object, Range included, and S3Proxy's SigV4 check refuses a URL moved
 * to another object, a tampered signature and an expired batch (those are skipped on a backend that does not verify
 * presigned signatures).
 */
@ExtendWith(LocalAwsExtension.class)
class S3UrlSignerUnderIT {
    private static final String VIDEO_A = "videos/01J8ZQ4K7T3V9X2M5N6P8R0S1A/";
    private static final String VIDEO_B = "videos/01J8ZQ4K7T3V9X2M5N6P8R0S1B/";
    private static final Map<String, byte[]> OBJECTS = new LinkedHashMap<>();

    private final HttpClient http = HttpClient.newHttpClient();
    private AwsTestResources aws;
    private AwsClients clients;
    private S3UrlSigner signer;

    @BeforeAll
    static void upload(AwsTestResources aws) {
        Random random = new Random(11);
        for (String key : new String[] {VIDEO_A + "hls/720p/init.mp4", VIDEO_A + "hls/720p/segment_00000.m4s",
                VIDEO_A + "hls/720p/segment_00001.m4s", VIDEO_A + "hls/audio/ünïcødé seg+1~(x)=&.m4s", VIDEO_A + "poster.jpg",
                VIDEO_B + "hls/720p/segment_00000.m4s"}) {
            byte[] content = new byte[8 * 1024 + OBJECTS.size()];
            random.nextBytes(content);
            OBJECTS.put(key, content);
            aws.s3().putObject(r -> r.bucket(aws.bucket("MediaBucket")).key(key).contentType("video/mp4"),
                    RequestBody.fromBytes(content));
        }
    }

    @BeforeEach
    void signer(AwsTestResources aws) {
        this.aws = aws;
        this.clients = AwsClients.create(aws.env());
        this.signer = clients.s3UrlSigner(aws.bucket("MediaBucket"), Clock.systemUTC(), Duration.ofHours(6));
    }

    @AfterEach
    void close() {
        clients.close();
    }

    @Test
    void everyUrlOfABatch_fetchesExactlyItsObject() throws Exception {
        PrefixSigner batch = signer.under(VIDEO_A, Duration.ofMinutes(5));
        // Known before the first URL only on the fast path (the SDK-per-key fallback learns it from each URL).
        assertThat(batch.expiresAt()).isNotNull();

        for (var object : OBJECTS.entrySet()) {
            if (object.getKey().startsWith(VIDEO_A)) {
                var response = get(URI.create(batch.url(object.getKey())), null);
                assertThat(response.statusCode()).as(object.getKey()).isEqualTo(200);
                assertThat(response.body()).as(object.getKey()).isEqualTo(object.getValue());
            }
        }
    }

    @Test
    void range_returns206_andExactlyThoseBytes() throws Exception {
        String key = VIDEO_A + "hls/720p/segment_00001.m4s";
        URI url = URI.create(signer.under(VIDEO_A, Duration.ofMinutes(5)).url(key));

        var response = get(url, "bytes=100-1123");

        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(response.body()).isEqualTo(Arrays.copyOfRange(OBJECTS.get(key), 100, 1124));
        assertThat(response.headers().firstValue("Content-Range")).contains("bytes 100-1123/" + OBJECTS.get(key).length);
    }

    @Test
    void aUrlMovedToAnotherObject_is403() throws Exception {
        requireSignatureChecks();
        PrefixSigner batch = signer.under(VIDEO_A, Duration.ofMinutes(5));
        String url = batch.url(VIDEO_A + "hls/720p/segment_00000.m4s");
        assertThat(get(URI.create(url), null).statusCode()).as("as signed").isEqualTo(200);

        URI sibling = URI.create(url.replace("segment_00000", "segment_00001"));
        URI otherVideo = URI.create(url.replace(VIDEO_A, VIDEO_B));

        assertDenied(sibling, "<Code>SignatureDoesNotMatch</Code>");
        assertDenied(otherVideo, "<Code>SignatureDoesNotMatch</Code>");
    }

    @Test
    void tamperedSignature_is403() throws Exception {
        requireSignatureChecks();
        String url = signer.under(VIDEO_A, Duration.ofMinutes(5)).url(VIDEO_A + "hls/720p/init.mp4");
        int at = url.indexOf("X-Amz-Signature=") + "X-Amz-Signature=".length();
        String tampered = url.substring(0, at) + (url.charAt(at) == 'a' ? 'b' : 'a') + url.substring(at + 1);

        assertDenied(URI.create(tampered), "<Code>SignatureDoesNotMatch</Code>");
    }

    @Test
    void expiredBatch_is403() throws Exception {
        requireSignatureChecks();
        PrefixSigner batch = signer.under(VIDEO_A, Duration.ofSeconds(1));
        URI url = URI.create(batch.url(VIDEO_A + "hls/720p/init.mp4"));

        Thread.sleep(2_500);

        assertThat(Instant.now()).isAfter(batch.expiresAt());
        assertDenied(url, "Request has expired");
    }

    @Test
    void underAsOfTheStartOfTheHour_fetchesThePoster_andIsTheSameUrlFromAnotherSigner() throws Exception {
        String poster = VIDEO_A + "poster.jpg";
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);

        PrefixSigner batch = signer.under(VIDEO_A, hour, Duration.ofHours(2));
        String url = batch.url(poster);

        var response = get(URI.create(url), null);
        assertThat(response.statusCode()).as(new String(response.body(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(response.body()).isEqualTo(OBJECTS.get(poster));
        assertThat(batch.expiresAt()).isEqualTo(hour.plus(Duration.ofHours(2)));
        try (AwsClients other = AwsClients.create(aws.env())) {
            assertThat(other.s3UrlSigner(aws.bucket("MediaBucket"), Clock.systemUTC(), Duration.ofHours(6))
                    .under(VIDEO_A, hour, Duration.ofHours(2)).url(poster)).isEqualTo(url);
        }
        assertThatThrownBy(() -> batch.url(VIDEO_B + "poster.jpg")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void underAsOfDaysAgo_isStillAccepted_whileItsLifetimeLasts() throws Exception {
        requireSignatureChecks();
        Instant daysAgo = Instant.now().minus(Duration.ofDays(6));

        S3UrlSigner weekLong = clients.s3UrlSigner(aws.bucket("MediaBucket"), Clock.systemUTC(), Duration.ofDays(7));

        String url = weekLong.under(VIDEO_A, daysAgo, Duration.ofDays(7)).url(VIDEO_A + "poster.jpg");

        assertThat(get(URI.create(url), null).statusCode()).isEqualTo(200);
    }

    @Test
    void underAsOfAnEarlierInstant_expiresThatLongAfterIt_notAfterTheSigning() throws Exception {
        requireSignatureChecks();
        Instant signedAt = Instant.now().minusSeconds(2);
        PrefixSigner batch = signer.under(VIDEO_A, signedAt, Duration.ofSeconds(4));
        URI url = URI.create(batch.url(VIDEO_A + "poster.jpg"));
        assertThat(batch.expiresAt()).isEqualTo(signedAt.truncatedTo(ChronoUnit.SECONDS).plusSeconds(4));

        Thread.sleep(Math.max(0, Duration.between(Instant.now(), batch.expiresAt()).toMillis()) + 1_500);

        assertDenied(url, "Request has expired");
    }

    @Test
    void aKeyOutsideThePrefix_isRefused() {
        PrefixSigner batch = signer.under(VIDEO_A, Duration.ofMinutes(5));

        assertThatThrownBy(() -> batch.url(VIDEO_B + "hls/720p/segment_00000.m4s")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> batch.url(VIDEO_A + "../" + VIDEO_B + "hls/720p/segment_00000.m4s"))
                .isInstanceOf(IllegalArgumentException.class);
    }

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

    /** 403, and for the expected reason (S3Proxy answers with S3's error codes). */
    private void assertDenied(URI url, String reason) throws Exception {
        var response = http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
        assertThat(response.body()).contains(reason);
    }
}
