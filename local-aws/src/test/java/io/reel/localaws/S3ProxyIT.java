package io.reel.localaws;

import static org.assertj.core.api.Assertions.assertThat;

import io.reel.localaws.junit.AwsTestResources;
import io.reel.localaws.junit.LocalAwsExtension;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
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

    @Test
    void bodiesThatBreakOff_leaveNothingBehind_andTheBucketStaysListableAndAbortable(AwsTestResources aws) throws Exception {
        String bucket = aws.bucket("UploadsBucket");
        String key = "uploads/u-cut/source";
        String uploadId = aws.s3().createMultipartUpload(r -> r.bucket(bucket).key(key)).uploadId();
        URL part = aws.presigner().presignUploadPart(r -> r.signatureDuration(Duration.ofMinutes(5))
                .uploadPartRequest(p -> p.bucket(bucket).key(key).uploadId(uploadId).partNumber(1))).url();
        URL single = aws.presigner().presignPutObject(r -> r.signatureDuration(Duration.ofMinutes(5))
                .putObjectRequest(p -> p.bucket(bucket).key("uploads/u-cut/other"))).url();

        // As a browser cancelling its request: 1 MiB announced, 64 KiB sent, connection closed.
        sendPartOfABody(part, 1024 * 1024, 64 * 1024);
        sendPartOfABody(single, 1024 * 1024, 64 * 1024);

        assertThat(aws.s3().listParts(r -> r.bucket(bucket).key(key).uploadId(uploadId)).parts()).as("no part was kept").isEmpty();
        assertThat(aws.s3().listMultipartUploads(r -> r.bucket(bucket).prefix("uploads/u-cut/")).uploads())
                .extracting(u -> u.uploadId()).containsExactly(uploadId);
        assertThat(aws.s3().listObjectsV2(r -> r.bucket(bucket).prefix("uploads/u-cut/")).contents()).as("no object either").isEmpty();
        aws.s3().abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
        assertThat(aws.s3().listMultipartUploads(r -> r.bucket(bucket).prefix("uploads/u-cut/")).uploads()).isEmpty();
    }

    /** Sends the request line, headers and `sent` bytes of a `declared`-byte body, then closes the connection. */
    private static void sendPartOfABody(URL url, int declared, int sent) throws Exception {
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("PUT " + url.getFile() + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
                    + "\r\nContent-Length: " + declared + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[sent]);
            out.flush();
            Thread.sleep(200); // the store has begun writing
        }
        Thread.sleep(300); // and has seen the end of the stream
    }

    private int status(URI url) throws Exception {
        return http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static URI presignGet(AwsTestResources aws, String key, Duration lifetime) throws Exception {
        return aws.presigner().presignGetObject(r -> r.signatureDuration(lifetime)
                .getObjectRequest(GetObjectRequest.builder().bucket(aws.bucket("MediaBucket")).key(key).build())).url().toURI();
    }
}
