package io.reel.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reel.core.ConfigurationException;
import io.reel.core.Env;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

class UploadsTest {
    private static final long MIB = 1024 * 1024;

    @ParameterizedTest
    @CsvSource({
            "1, 16, 16",                   // small files: the configured size
            "11534336, 5, 5",              // 11 MiB in 5 MiB parts
            "107374182400, 5, 11",         // 100 GiB: 10.24 MiB needed for 10,000 parts, rounded up to 11 MiB
            "107374182400, 16, 16",        // ... unless the configured size is larger anyway
            "52428800000, 5, 5",           // exactly 10,000 parts of 5 MiB
            "52428800001, 5, 6",           // one byte more needs the next MiB
            "1, 1, 5"})                    // never below S3's 5 MiB
    void partSize_isTheConfiguredSize_raisedToFitIn10000WholeMibParts(long fileSize, long configuredMib, long expectedMib) {
        long partSize = Uploads.partSize(fileSize, configuredMib * MIB);
        assertThat(partSize).isEqualTo(expectedMib * MIB);
        assertThat(Math.ceilDiv(fileSize, partSize)).isLessThanOrEqualTo(10_000);
    }

    @Test
    void settings_haveDefaults() {
        var settings = Uploads.Settings.from(Env.of(Map.of()));
        assertThat(settings.maxBytes()).isEqualTo(5_368_709_120L);
        assertThat(settings.multipartThreshold()).isEqualTo(100 * MIB);
        assertThat(settings.partSize()).isEqualTo(16 * MIB);
        assertThat(settings.urlLifetime()).isEqualTo(Duration.ofHours(6));
    }

    @ParameterizedTest
    @CsvSource({"MAX_UPLOAD_BYTES, 0", "MAX_UPLOAD_BYTES, lots", "MULTIPART_THRESHOLD, 5368709121", "MULTIPART_THRESHOLD, 0",
            "UPLOAD_PART_SIZE, 5242879", "UPLOAD_PART_SIZE, 5368709121", "UPLOAD_URL_LIFETIME, 8d", "UPLOAD_URL_LIFETIME, 0s",
            "UPLOAD_URL_LIFETIME, soon"})
    void settings_outOfRange_failAtStart_namingTheVariable(String name, String value) {
        assertThatThrownBy(() -> Uploads.Settings.from(Env.of(Map.of(name, value))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining(name);
    }

    @ParameterizedTest
    @CsvSource({
            "/api/uploads, /api",                                                            // the devserver, CloudFront
            "https://abc123.execute-api.us-east-1.amazonaws.com/prod/uploads, /prod",       // API Gateway's stage URL
            "http://localhost:3000/api/uploads?x=1#f, /api"})
    void completeAndAbortReferences_resolveAgainstThePostUploadsUrl_toTheirRoutes(String postUploads, String prefix) {
        String id = "abcdefghijklmnopqrstuvwxyz";
        URI base = URI.create(postUploads);

        assertThat(base.resolve(Uploads.completeReference(id)).getPath()).isEqualTo(prefix + "/uploads/" + id + "/complete");
        URI abort = base.resolve(Uploads.abortReference(id, "2~Up/load+id="));
        assertThat(abort.getPath()).isEqualTo(prefix + "/uploads/" + id);
        assertThat(abort.getQuery()).as("the upload id, encoded").isEqualTo("uploadId=2~Up/load+id=");
        assertThat(abort.getRawQuery()).isEqualTo("uploadId=2%7EUp%2Fload%2Bid%3D");
        assertThat(base.resolve(Uploads.completeReference(id)).getHost()).isEqualTo(base.getHost());
        assertThat(base.resolve(Uploads.completeReference(id)).getQuery()).as("nothing of the base's query").isNull();
    }

    @Test
    void sourceKey_isMadeFromTheIdOnly() {
        assertThat(Uploads.sourceKey("abcdefghijklmnopqrstuvwxyz")).isEqualTo("uploads/abcdefghijklmnopqrstuvwxyz/source");
        assertThatThrownBy(() -> Uploads.sourceKey("../abcdefghijklmnopqrstuvw")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void clientFault_turnsTheClientsMistakesIntoReadableReasons_andLeavesOursAs5xx() {
        assertThat(Uploads.clientFault(NoSuchUploadException.builder().statusCode(404).build())).hasValueSatisfying(
                reason -> assertThat(reason).startsWith("uploadId"));
        assertThat(Uploads.clientFault(s3Error(404, "NoSuchKey"))).hasValueSatisfying(reason -> assertThat(reason).startsWith("uploadId"));
        assertThat(Uploads.clientFault(s3Error(400, "InvalidPart"))).hasValueSatisfying(reason -> assertThat(reason).contains("etag"));
        assertThat(Uploads.clientFault(s3Error(400, "InvalidPartOrder"))).hasValueSatisfying(reason -> assertThat(reason).contains("order"));
        assertThat(Uploads.clientFault(s3Error(400, "EntityTooSmall"))).hasValueSatisfying(reason -> assertThat(reason).contains("5 MiB"));
        assertThat(Uploads.clientFault(s3Error(400, "MalformedXML"))).hasValueSatisfying(reason -> assertThat(reason).contains("MalformedXML"));
        assertThat(Uploads.clientFault(s3Error(403, "AccessDenied"))).isEmpty();
        assertThat(Uploads.clientFault(s3Error(500, "InternalError"))).isEmpty();
        assertThat(Uploads.clientFault(s3Error(503, "SlowDown"))).isEmpty();
    }

    /** AWS's presigner as AwsClients builds it for AWS (no endpoint override): nothing signed that a browser cannot send. */
    @Test
    void browserUrl_acceptsWhatThePresignerMakesForAws_forPutsAndParts() {
        try (S3Presigner presigner = S3Presigner.builder().region(Region.EU_CENTRAL_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .serviceConfiguration(S3Configuration.builder().useArnRegionEnabled(false).multiRegionEnabled(true).build())
                .build()) {
            var put = presigner.presignPutObject(r -> r.signatureDuration(Duration.ofHours(6))
                    .putObjectRequest(p -> p.bucket("uploads").key("uploads/abcdefghijklmnopqrstuvwxyz/source")
                            .contentType("video/mp4").contentLength(1234L)));
            var part = presigner.presignUploadPart(r -> r.signatureDuration(Duration.ofHours(6))
                    .uploadPartRequest(p -> p.bucket("uploads").key("uploads/abcdefghijklmnopqrstuvwxyz/source").uploadId("u")
                            .partNumber(2).contentLength(5 * MIB)));

            assertThat(Uploads.browserUrl(put)).contains("X-Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost");
            assertThat(Uploads.browserUrl(part)).contains("partNumber=2").contains("X-Amz-SignedHeaders=content-length%3Bhost");
            var withChecksum = presigner.presignPutObject(r -> r.signatureDuration(Duration.ofHours(1))
                    .putObjectRequest(p -> p.bucket("uploads").key("k").checksumCRC32("AAAAAA==")));
            assertThatThrownBy(() -> Uploads.browserUrl(withChecksum)).isInstanceOf(IllegalStateException.class);
        }
    }

    private static S3Exception s3Error(int status, String code) {
        return (S3Exception) S3Exception.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code).build()).build();
    }
}
