package io.reel.core.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/** The signing itself, against AWS's published example, and the probes it must refuse to reproduce. */
class SigV4QueryPresignerTest {
    private static final AwsBasicCredentials EXAMPLE_CREDENTIALS =
            AwsBasicCredentials.create("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    /** The presigned GET of the S3 documentation ("Authenticating Requests: Using Query Parameters"). */
    private static final String AWS_EXAMPLE = "https://examplebucket.s3.amazonaws.com/test.txt"
            + "?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            + "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
            + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
            + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";

    @Test
    void reproducing_awsPublishedExample_signsItAsAwsDoes() {
        var presigner = SigV4QueryPresigner.reproducing(AWS_EXAMPLE, "test.txt", EXAMPLE_CREDENTIALS);

        assertThat(presigner).isPresent();
        assertThat(presigner.get().signedAt()).isEqualTo(Instant.parse("2013-05-24T00:00:00Z"));
        assertThat(presigner.get().presign("test.txt")).isEqualTo(AWS_EXAMPLE);
        assertThat(presigner.get().presign("other file.txt"))
                .startsWith("https://examplebucket.s3.amazonaws.com/other%20file.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&")
                .contains("&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=")
                .doesNotContain("aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
    }

    @Test
    void reproducing_withAnotherSecret_isEmpty() {
        var stranger = AwsBasicCredentials.create("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEZ");

        assertThat(SigV4QueryPresigner.reproducing(AWS_EXAMPLE, "test.txt", stranger)).isEmpty();
    }

    @Test
    void reproducing_probesItCannotRead_isEmpty() {
        for (String probe : new String[] {
                AWS_EXAMPLE.replace("AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256"),
                AWS_EXAMPLE.replace("X-Amz-SignedHeaders=host", "X-Amz-SignedHeaders=host%3Brange"),
                AWS_EXAMPLE.replaceFirst("&X-Amz-Signature=[0-9a-f]+", ""),
                AWS_EXAMPLE.replace("&X-Amz-Date=20130524T000000Z", ""),
                AWS_EXAMPLE.replace("20130524T000000Z", "20130525T000000Z"),
                AWS_EXAMPLE.replace("/test.txt?", "/other.txt?"),
                AWS_EXAMPLE.substring(0, AWS_EXAMPLE.indexOf('?'))}) {
            assertThat(SigV4QueryPresigner.reproducing(probe, "test.txt", EXAMPLE_CREDENTIALS)).as(probe).isEmpty();
        }
    }
}
