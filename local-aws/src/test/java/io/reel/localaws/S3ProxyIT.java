package io.reel.localaws;

import static org.assertj.core.api.Assertions.assertThat;

import io.reel.localaws.junit.AwsTestResources;
import io.reel.localaws.junit.LocalAwsExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/** Proves S3Proxy is a real S3 API: presigned URLs are checked (signature, expiry) and Range is honoured. */
@ExtendWith(LocalAwsExtension.class)
class S3ProxyIT {
    private static final byte[] CONTENT = new byte[256 * 1024];
    private static final String KEY = "videos/v-1/720p.mp4";
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void upload(AwsTestResources aws) {
        new Random(42).nextBytes(CONTENT);
        aws.s3().putObject(r -> r.bucket(aws.bucket("MediaBucket")).key(KEY).contentType("video/mp4"),
                RequestBody.fromBytes(CONTENT));
    }

    @Test
    void presignedGet_withRange_returns206AndExactlyThoseBytes(AwsTestResources aws) throws Exception {
        URI url = presignGet(aws, KEY, Duration.ofMinutes(5));

        var response = http.send(HttpRequest.newBuilder(url).header("Range", "bytes=1000-1999").build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(response.body()).isEqualTo(Arrays.copyOfRange(CONTENT, 1000, 2000));
        assertThat(response.headers().firstValue("Content-Range")).contains("bytes 1000-1999/" + CONTENT.length);
    }

    @Test
    void presignedGet_withoutRange_returnsWholeObject(AwsTestResources aws) throws Exception {
        var response = http.send(HttpRequest.newBuilder(presignGet(aws, KEY, Duration.ofMinutes(5))).build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(CONTENT);
    }

    @Test
    void presignedGet_whenSignatureTampered_is403(AwsTestResources aws) throws Exception {
        String url = presignGet(aws, KEY, Duration.ofMinutes(5)).toString();
        int at = url.indexOf("X-Amz-Signature=") + "X-Amz-Signature=".length();
        char flipped = url.charAt(at) == 'a' ? 'b' : 'a';
        URI tampered = URI.create(url.substring(0, at) + flipped + url.substring(at + 1));

        assertThat(status(tampered)).isEqualTo(403);
    }

    @Test
    void presignedGet_whenKeySwapped_is403(AwsTestResources aws) throws Exception {
        aws.s3().putObject(r -> r.bucket(aws.bucket("MediaBucket")).key("videos/v-2/720p.mp4"), RequestBody.fromString("other"));
        URI url = presignGet(aws, KEY, Duration.ofMinutes(5));
        URI swapped = URI.create(url.toString().replace("/videos/v-1/", "/videos/v-2/"));

        assertThat(status(swapped)).isEqualTo(403);
    }

    @Test
    void presignedGet_whenExpired_is403(AwsTestResources aws) throws Exception {
        URI url = presignGet(aws, KEY, Duration.ofSeconds(1));
        Thread.sleep(2_100);

        assertThat(status(url)).isEqualTo(403);
    }

    @Test
    void unsignedGet_is403(AwsTestResources aws) throws Exception {
        URI url = URI.create(aws.env().string("AWS_ENDPOINT_URL_S3") + "/" + aws.bucket("MediaBucket") + "/" + KEY);

        assertThat(status(url)).isEqualTo(403);
    }

    @Test
    void presignedPut_storesTheBody(AwsTestResources aws) throws Exception {
        String bucket = aws.bucket("UploadsBucket");
        var presigned = aws.presigner().presignPutObject(r -> r.signatureDuration(Duration.ofMinutes(5))
                .putObjectRequest(PutObjectRequest.builder().bucket(bucket).key("uploads/u-1/source").contentType("video/mp4").build()));

        var response = http.send(HttpRequest.newBuilder(presigned.url().toURI())
                        .header("Content-Type", "video/mp4")
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(CONTENT)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(aws.s3().getObjectAsBytes(r -> r.bucket(bucket).key("uploads/u-1/source")).asByteArray()).isEqualTo(CONTENT);
    }

    private int status(URI url) throws Exception {
        return http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static URI presignGet(AwsTestResources aws, String key, Duration lifetime) throws Exception {
        return aws.presigner().presignGetObject(r -> r.signatureDuration(lifetime)
                .getObjectRequest(GetObjectRequest.builder().bucket(aws.bucket("MediaBucket")).key(key).build())).url().toURI();
    }
}
