package io.reel.core;

import io.reel.core.aws.S3UrlSigner;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The one place SDK clients are built: the HTTP client the function ships ({@link #httpClient}), region, call
 * timeouts, and endpoint
 * overrides read from {@code AWS_ENDPOINT_URL_<SERVICE>} (falling back to {@code AWS_ENDPOINT_URL}), so the
 * same code talks to AWS, to the devserver's emulators and to LocalStack. Build one per container and share it.
 *
 * <p>Variables: {@code AWS_REGION} (required); {@code AWS_ENDPOINT_URL_DYNAMODB}, {@code AWS_ENDPOINT_URL_S3},
 * {@code AWS_ENDPOINT_URL_KMS}, {@code AWS_ENDPOINT_URL}; {@code REEL_AWS_CALL_TIMEOUT} (default 10s),
 * {@code REEL_AWS_ATTEMPT_TIMEOUT} (default 3s), {@code REEL_S3_CALL_TIMEOUT} (default 15m: S3 moves video
 * files). Where an endpoint is overridden, {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY} from the
 * environment are used as given; otherwise Lambda's own: its environment, or SnapStart's container endpoint.
 */
public final class AwsClients implements AutoCloseable {
    private final Region region;
    private final Optional<URI> dynamoDbEndpoint;
    private final Optional<URI> s3Endpoint;
    private final Optional<URI> kmsEndpoint;
    private final Duration callTimeout;
    private final Duration attemptTimeout;
    private final Duration s3CallTimeout;
    private final AwsCredentialsProvider credentials;
    private final SdkHttpClient httpClient;
    private final Optional<URI> sharedEndpoint;

    private AwsClients(Env env) {
        this.region = Region.of(env.string("AWS_REGION"));
        this.sharedEndpoint = env.uri("AWS_ENDPOINT_URL");
        Optional<URI> shared = env.uri("AWS_ENDPOINT_URL");
        this.dynamoDbEndpoint = env.uri("AWS_ENDPOINT_URL_DYNAMODB").or(() -> shared);
        this.s3Endpoint = env.uri("AWS_ENDPOINT_URL_S3").or(() -> shared);
        this.kmsEndpoint = env.uri("AWS_ENDPOINT_URL_KMS").or(() -> shared);
        this.callTimeout = env.duration("REEL_AWS_CALL_TIMEOUT", Duration.ofSeconds(10));
        this.attemptTimeout = env.duration("REEL_AWS_ATTEMPT_TIMEOUT", Duration.ofSeconds(3));
        this.s3CallTimeout = env.duration("REEL_S3_CALL_TIMEOUT", Duration.ofMinutes(15));
        boolean emulated = dynamoDbEndpoint.isPresent() || s3Endpoint.isPresent() || kmsEndpoint.isPresent();
        this.credentials = emulated ? staticCredentials(env) : lambdaCredentials();
        this.httpClient = httpClient(env);
    }

    /**
     * The SDK HTTP client on the class path: each function's pom picks one (core depends on both optionally), Apache
     * where calls are many (~1.2 ms less per DynamoDB call), url-connection where the cold start counts more (~0.1-0.2 s
     * less). Where both are present (the devserver, tests) Apache, unless {@code REEL_HTTP_CLIENT} says
     * {@code url-connection}.
     */
    static SdkHttpClient httpClient(Env env) {
        boolean apache = present("software.amazon.awssdk.http.apache.ApacheHttpClient");
        boolean urlConnection = present("software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient");
        String choice = env.optional("REEL_HTTP_CLIENT").orElse(apache ? "apache" : "url-connection");
        if (choice.equals("apache") && apache) {
            return ApacheClient.build();
        }
        if (choice.equals("url-connection") && urlConnection) {
            return UrlConnectionClient.build();
        }
        throw new ConfigurationException("REEL_HTTP_CLIENT is " + choice + ", but that HTTP client is not on the class path "
                + "(apache: " + apache + ", url-connection: " + urlConnection + "); add software.amazon.awssdk:"
                + (choice.equals("apache") ? "apache-client" : "url-connection-client") + " to the module's pom");
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, AwsClients.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** Apart, so that naming the client's class does not need it on the class path unless it is chosen. */
    private static final class ApacheClient {
        static SdkHttpClient build() {
            return ApacheHttpClient.builder().connectionTimeout(Duration.ofSeconds(2)).socketTimeout(Duration.ofSeconds(30)).build();
        }
    }

    private static final class UrlConnectionClient {
        static SdkHttpClient build() {
            return software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(2)).socketTimeout(Duration.ofSeconds(30)).build();
        }
    }

    /** Reads the configuration now, so a malformed variable fails at start-up. */
    public static AwsClients create(Env env) {
        return new AwsClients(env);
    }

    public Region region() {
        return region;
    }

    /**
     * The credentials every client here is built with: in AWS the function role's session credentials where Lambda
     * gives them ({@link #lambdaCredentials()}), against emulators the environment's static keys.
     */
    public AwsCredentialsProvider credentialsProvider() {
        return credentials;
    }

    public DynamoDbClient dynamoDb() {
        var builder = DynamoDbClient.builder()
                .httpClient(httpClient)
                .region(region)
                .credentialsProvider(credentials)
                .overrideConfiguration(timeouts(callTimeout, attemptTimeout));
        dynamoDbEndpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /**
     * Whether S3 is an emulator (an endpoint override): S3Proxy refuses some requests AWS accepts, notably
     * DeleteObjects with the SDK's required CRC32 header (gaul/s3proxy#962), so callers pick a fallback.
     */
    public boolean s3Emulated() {
        return s3Endpoint.isPresent();
    }

    public S3Client s3() {
        var builder = S3Client.builder()
                .httpClient(httpClient)
                .region(region)
                .credentialsProvider(credentials)
                .overrideConfiguration(timeouts(s3CallTimeout, s3CallTimeout)); // one attempt may move a whole video
        s3Endpoint.ifPresent(endpoint -> builder.endpointOverride(endpoint)
                .forcePathStyle(true)
                // Emulators (S3Proxy) reject the SDK's default flexible checksums.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED));
        return builder.build();
    }

    public S3Presigner s3Presigner() {
        return s3Presigner(false);
    }

    /**
     * A presigner whose URLs use S3 Transfer Acceleration ({@code bucket.s3-accelerate.amazonaws.com}, the bucket
     * having acceleration on) when {@code accelerate} is true and S3 is not emulated: an emulator has no accelerate
     * endpoint, so there it is the plain presigner.
     */
    public S3Presigner s3Presigner(boolean accelerate) {
        // Both settings given explicitly: otherwise the presigner looks for them in ~/.aws/config on every URL,
        // ~10 us of a ~33 us presign (bench/PresignBenchmark; a 2-hour playlist signs 1,800 URLs).
        var builder = S3Presigner.builder()
                .region(region)
                .credentialsProvider(credentials)
                .serviceConfiguration(S3Configuration.builder().useArnRegionEnabled(false).multiRegionEnabled(true)
                        .accelerateModeEnabled(accelerate && s3Endpoint.isEmpty())
                        .pathStyleAccessEnabled(s3Endpoint.isPresent()).build());
        s3Endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /**
     * Any other service's client, configured as this class configures its own (shared HTTP client, region, credentials,
     * call timeouts); {@code endpoint} is the value of its {@code AWS_ENDPOINT_URL_<SERVICE>} if set, else
     * {@code AWS_ENDPOINT_URL}'s. For services only one function uses, so core need not depend on their SDKs, e.g.
     * {@code clients.build(SecretsManagerClient.builder(), env.uri("AWS_ENDPOINT_URL_SECRETS_MANAGER"))}.
     */
    public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder, Optional<URI> endpoint) {
        builder.httpClient(httpClient)
                .region(region)
                .credentialsProvider(credentials)
                .overrideConfiguration(timeouts(callTimeout, attemptTimeout));
        endpoint.or(() -> sharedEndpoint).ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /**
     * The media signer as playback wants it: a new {@link #s3Presigner()} and these clients' credentials, so
     * {@link S3UrlSigner#under} signs a playlist's keys itself (a few ms for 1,800) instead of presigning each. The
     * presigner lives as long as the signer, which is meant to live as long as the container.
     */
    public S3UrlSigner s3UrlSigner(String bucket, Clock clock, Duration maxLifetime) {
        return S3UrlSigner.create(s3Presigner(), credentials, bucket, clock, maxLifetime);
    }

    /**
     * KMS {@code GetPublicKey} by key id, without building a KMS client: what the authorizer needs of KMS
     * ({@link io.reel.core.aws.KmsPublicKeys}).
     */
    public io.reel.core.aws.KmsPublicKeys kmsPublicKeys() {
        return new io.reel.core.aws.KmsPublicKeys(httpClient, credentials, region,
                kmsEndpoint.orElseGet(() -> io.reel.core.aws.KmsPublicKeys.endpointOf(region)));
    }

    public KmsClient kms() {
        var builder = KmsClient.builder()
                .httpClient(httpClient)
                .region(region)
                .credentialsProvider(credentials)
                .overrideConfiguration(timeouts(callTimeout, attemptTimeout));
        kmsEndpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /**
     * The call and attempt timeouts, and the retries inside them: the SDK's standard strategy (3 attempts, a token
     * bucket that stops retrying when most attempts fail) with shorter waits than its defaults - full jitter from 25 ms
     * up to 500 ms, and from 50 ms up to 1 s after throttling (the defaults wait up to 20 s), so a request that meets
     * throttling is retried within its function's time budget, and one that cannot succeed fails soon enough to answer
     * 503 with Retry-After rather than time out.
     */
    private static ClientOverrideConfiguration timeouts(Duration call, Duration attempt) {
        return ClientOverrideConfiguration.builder()
                .apiCallTimeout(call)
                .apiCallAttemptTimeout(attempt.compareTo(call) < 0 ? attempt : call)
                .retryStrategy(RETRIES)
                .build();
    }

    private static final software.amazon.awssdk.retries.api.RetryStrategy RETRIES =
            software.amazon.awssdk.awscore.retry.AwsRetryStrategy.standardRetryStrategy().toBuilder()
                    .maxAttempts(3)
                    .backoffStrategy(software.amazon.awssdk.retries.api.BackoffStrategy.exponentialDelay(
                            Duration.ofMillis(25), Duration.ofMillis(500)))
                    .throttlingBackoffStrategy(software.amazon.awssdk.retries.api.BackoffStrategy.exponentialDelay(
                            Duration.ofMillis(50), Duration.ofSeconds(1)))
                    .build();

    /**
     * Where Lambda puts a function's credentials, and nowhere else it could not: its environment variables, or, under
     * SnapStart, the container credentials endpoint ({@code AWS_CONTAINER_CREDENTIALS_FULL_URI}, refreshed after each
     * restore), after the JVM's system properties (free to look at; what a test or the CLI may set). The SDK's default
     * chain would also look for a web identity token and ~/.aws profiles and end at the EC2 instance metadata service;
     * none exists in Lambda, and looking costs a cold start classes and file reads.
     */
    static AwsCredentialsProvider lambdaCredentials() {
        return AwsCredentialsProviderChain.builder().reuseLastProviderEnabled(true)
                .credentialsProviders(SystemPropertyCredentialsProvider.create(), EnvironmentVariableCredentialsProvider.create(),
                        ContainerCredentialsProvider.builder().build())
                .build();
    }

    private static AwsCredentialsProvider staticCredentials(Env env) {
        String keyId = env.string("AWS_ACCESS_KEY_ID");
        String secret = env.string("AWS_SECRET_ACCESS_KEY");
        return StaticCredentialsProvider.create(env.optional("AWS_SESSION_TOKEN")
                .<AwsCredentials>map(token -> AwsSessionCredentials.create(keyId, secret, token))
                .orElseGet(() -> AwsBasicCredentials.create(keyId, secret)));
    }

    @Override
    public void close() {
        httpClient.close();
    }
}
