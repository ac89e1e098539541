package io.reel.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;

class AwsClientsTest {
    private static final Map<String, String> LOCAL = Map.of(
            "AWS_REGION", "eu-west-1",
            "AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9000",
            "AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:8000",
            "AWS_ACCESS_KEY_ID", "local",
            "AWS_SECRET_ACCESS_KEY", "local-secret");

    @Test
    void create_whenRegionMissing_namesIt() {
        assertThatThrownBy(() -> AwsClients.create(Env.of(Map.of())))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("AWS_REGION");
    }

    @Test
    void create_whenEndpointMalformed_namesIt() {
        assertThatThrownBy(() -> AwsClients.create(Env.of(Map.of("AWS_REGION", "eu-west-1",
                "AWS_ENDPOINT_URL_S3", "localhost:9000"))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("AWS_ENDPOINT_URL_S3");
    }

    @Test
    void create_whenEmulatedWithoutCredentials_namesTheMissingKey() {
        assertThatThrownBy(() -> AwsClients.create(Env.of(Map.of("AWS_REGION", "eu-west-1",
                "AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9000"))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("AWS_ACCESS_KEY_ID");
    }

    @Test
    void clients_useTheEndpointOverridesAndRegion() {
        try (AwsClients clients = AwsClients.create(Env.of(LOCAL));
             var dynamo = clients.dynamoDb();
             var s3 = clients.s3()) {
            assertThat(dynamo.serviceClientConfiguration().endpointOverride()).contains(URI.create("http://127.0.0.1:8000"));
            assertThat(s3.serviceClientConfiguration().endpointOverride()).contains(URI.create("http://127.0.0.1:9000"));
            assertThat(dynamo.serviceClientConfiguration().region().id()).isEqualTo("eu-west-1");
            assertThat(dynamo.serviceClientConfiguration().overrideConfiguration().apiCallTimeout())
                    .contains(Duration.ofSeconds(10));
            assertThat(dynamo.serviceClientConfiguration().overrideConfiguration().apiCallAttemptTimeout())
                    .contains(Duration.ofSeconds(3));
        }
    }

    @Test
    void presigner_withEndpointOverride_signsPathStyleUrls() {
        try (AwsClients clients = AwsClients.create(Env.of(LOCAL)); var presigner = clients.s3Presigner()) {
            var presigned = presigner.presignGetObject(r -> r.signatureDuration(Duration.ofMinutes(5))
                    .getObjectRequest(GetObjectRequest.builder().bucket("media").key("videos/v1/a b.mp4").build()));

            URI url = URI.create(presigned.url().toString());
            assertThat(url.getHost()).isEqualTo("127.0.0.1");
            assertThat(url.getPort()).isEqualTo(9000);
            assertThat(url.getRawPath()).isEqualTo("/media/videos/v1/a%20b.mp4");
            assertThat(url.getRawQuery()).contains("X-Amz-Expires=300").contains("X-Amz-Signature=")
                    .contains("X-Amz-Credential=local%2F");
        }
    }

    @Test
    void acceleratedPresigner_signsForTheAccelerateEndpoint_inAwsOnly() {
        System.setProperty("aws.accessKeyId", "AKIAIOSFODNN7EXAMPLE");
        System.setProperty("aws.secretAccessKey", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        try (AwsClients aws = AwsClients.create(Env.of(Map.of("AWS_REGION", "us-east-1")));
             var accelerated = aws.s3Presigner(true);
             var plain = aws.s3Presigner(false);
             AwsClients local = AwsClients.create(Env.of(LOCAL));
             var emulated = local.s3Presigner(true)) {
            assertThat(putUrl(accelerated).getHost()).isEqualTo("uploads.s3-accelerate.amazonaws.com");
            assertThat(putUrl(plain).getHost()).startsWith("uploads.s3.").doesNotContain("accelerate");
            assertThat(putUrl(emulated).getHost()).as("an emulator has no accelerate endpoint").isEqualTo("127.0.0.1");
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }

    private static URI putUrl(software.amazon.awssdk.services.s3.presigner.S3Presigner presigner) {
        return URI.create(presigner.presignPutObject(r -> r.signatureDuration(Duration.ofMinutes(5))
                .putObjectRequest(b -> b.bucket("uploads").key("uploads/v1/source"))).url().toString());
    }

    @Test
    void sharedEndpoint_appliesToEveryService() {
        try (AwsClients clients = AwsClients.create(Env.of(Map.of("AWS_REGION", "us-east-1",
                "AWS_ENDPOINT_URL", "http://127.0.0.1:4566", "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test")));
             var kms = clients.kms()) {
            assertThat(kms.serviceClientConfiguration().endpointOverride()).contains(URI.create("http://127.0.0.1:4566"));
        }
    }

    @Test
    void credentialsProvider_whenEmulated_isTheEnvironmentsKeys() {
        try (AwsClients clients = AwsClients.create(Env.of(LOCAL))) {
            var credentials = clients.credentialsProvider().resolveCredentials();

            assertThat(credentials.accessKeyId()).isEqualTo("local");
            assertThat(credentials.secretAccessKey()).isEqualTo("local-secret");
        }
    }

    @Test
    void s3UrlSigner_signsABatchWithItsOwnSigningKey_pathStyleOnTheEmulator() {
        try (AwsClients clients = AwsClients.create(Env.of(LOCAL))) {
            var batch = clients.s3UrlSigner("media", Clock.systemUTC(), Duration.ofHours(1))
                    .under("videos/v1/", Duration.ofMinutes(5));

            // Known before any URL only when the batch signs by itself (the per-key fallback learns it from each URL).
            assertThat(batch.expiresAt()).isNotNull();
            assertThat(batch.url("videos/v1/a b.m4s")).startsWith("http://127.0.0.1:9000/media/videos/v1/a%20b.m4s?")
                    .contains("X-Amz-Credential=local%2F").contains("%2Feu-west-1%2Fs3%2Faws4_request");
        }
    }

    @Test
    void theHttpClient_isApacheWhereBothArePresent_unlessToldOtherwise() {
        try (var apache = AwsClients.httpClient(Env.of(Map.of()));
             var urlConnection = AwsClients.httpClient(Env.of(Map.of("REEL_HTTP_CLIENT", "url-connection")))) {
            assertThat(apache).isInstanceOf(software.amazon.awssdk.http.apache.ApacheHttpClient.class);
            assertThat(urlConnection).isInstanceOf(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.class);
        }
        assertThatThrownBy(() -> AwsClients.httpClient(Env.of(Map.of("REEL_HTTP_CLIENT", "netty"))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("REEL_HTTP_CLIENT is netty");
    }

    @Test
    void inAws_credentialsComeFromLambdasEnvironment_notTheSdksWholeChain() {
        var provider = AwsClients.lambdaCredentials();
        assertThat(provider.toString()).contains("EnvironmentVariableCredentialsProvider").contains("ContainerCredentialsProvider")
                .doesNotContain("ProfileCredentialsProvider").doesNotContain("InstanceProfileCredentialsProvider");
    }
}
