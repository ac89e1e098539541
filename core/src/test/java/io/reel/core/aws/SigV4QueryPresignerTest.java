package io.reel.core.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
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
    void reproducingAt_anotherInstantAndLifetime_datesTheUrlSo_andBackAgainGivesAwssOwnUrl() {
        Instant later = Instant.parse("2013-05-25T12:34:56.789Z");

        String redated = SigV4QueryPresigner.reproducingAt(AWS_EXAMPLE, "test.txt", EXAMPLE_CREDENTIALS, later,
                Duration.ofHours(1)).orElseThrow().presign("test.txt");

        assertThat(redated).contains("X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130525%2Fus-east-1%2Fs3%2Faws4_request")
                .contains("&X-Amz-Date=20130525T123456Z&X-Amz-Expires=3600&").doesNotContain("aeeed9bb");
        var fromRedated = SigV4QueryPresigner.reproducingAt(redated, "test.txt", EXAMPLE_CREDENTIALS,
                Instant.parse("2013-05-24T00:00:00Z"), Duration.ofDays(1));
        assertThat(fromRedated).as("the redated URL is a valid probe itself").isPresent();
        assertThat(fromRedated.get().signedAt()).isEqualTo(Instant.parse("2013-05-24T00:00:00Z"));
        assertThat(fromRedated.get().presign("test.txt")).as("AWS's published URL, signature and all").isEqualTo(AWS_EXAMPLE);
    }

    @Test
    void reproducingAt_theSameInstant_givesTheSameUrlEveryTime() {
        Instant at = Instant.parse("2013-05-26T07:00:00Z");

        String once = SigV4QueryPresigner.reproducingAt(AWS_EXAMPLE, "test.txt", EXAMPLE_CREDENTIALS, at, Duration.ofHours(2))
                .orElseThrow().presign("poster.jpg");
        String again = SigV4QueryPresigner.reproducingAt(AWS_EXAMPLE, "test.txt", EXAMPLE_CREDENTIALS, at.plusMillis(999),
                Duration.ofHours(2)).orElseThrow().presign("poster.jpg");

        assertThat(again).isEqualTo(once);
    }

    @Test
    void at_keepsItsSigningKeyOnlyForTheSameSecretAndDay() {
        var shared = SigV4QueryPresigner.reproducing(AWS_EXAMPLE, "test.txt", EXAMPLE_CREDENTIALS).orElseThrow();
        var rotated = AwsBasicCredentials.create("AKIAIOSFODNN7EXAMPLE", "aNewSecretAfterRotation/EXAMPLEKEY");
        Instant monday = Instant.parse("2013-05-27T23:59:59Z");
        Instant tuesday = monday.plusSeconds(1);
        Duration hour = Duration.ofHours(1);

        String[] signed = {
            shared.at(monday, hour, EXAMPLE_CREDENTIALS).orElseThrow().presign("a.mp4"),
            shared.at(tuesday, hour, EXAMPLE_CREDENTIALS).orElseThrow().presign("a.mp4"),
            shared.at(tuesday, hour, rotated).orElseThrow().presign("a.mp4"),
            shared.at(monday, hour, EXAMPLE_CREDENTIALS).orElseThrow().presign("a.mp4"),
        };

        // Each as a presigner that never signed before gives it (its key derived afresh).
        assertThat(signed[0]).isEqualTo(fresh().at(monday, hour, EXAMPLE_CREDENTIALS).orElseThrow().presign("a.mp4"));
        assertThat(signed[1]).isEqualTo(fresh().at(tuesday, hour, EXAMPLE_CREDENTIALS).orElseThrow().presign("a.mp4"));
        assertThat(signed[2]).isEqualTo(fresh().at(tuesday, hour, rotated).orElseThrow().presign("a.mp4"));
        assertThat(signed[3]).isEqualTo(signed[0]);
        assertThat(signed[2]).isNotEqualTo(signed[1]);
    }

    private static SigV4QueryPresigner fresh() {
        return SigV4QueryPresigner.reproducing(AWS_EXAMPLE, "test.txt", EXAMPLE_CREDENTIALS).orElseThrow();
    }

    @Test
    void reproducingAt_lifetimesSigV4CannotCarry_areRefused() {
        for (Duration lifetime : new Duration[] {Duration.ZERO, Duration.ofSeconds(-1), Duration.ofMillis(1_500),
                Duration.ofDays(7).plusSeconds(1)}) {
            assertThatThrownBy(() -> SigV4QueryPresigner.reproducingAt(AWS_EXAMPLE, "test.txt", EXAMPLE_CREDENTIALS,
                    Instant.parse("2013-05-24T00:00:00Z"), lifetime)).as(lifetime.toString()).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void reproducingAt_withAnotherSecret_isEmpty() {
        var stranger = AwsBasicCredentials.create("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEZ");

        assertThat(SigV4QueryPresigner.reproducingAt(AWS_EXAMPLE, "test.txt", stranger, Instant.parse("2013-05-24T00:00:00Z"),
                Duration.ofHours(1))).isEmpty();
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
