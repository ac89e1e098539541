package io.reel.localaws.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reel.core.aws.KmsPublicKeys;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * {@link KmsPublicKeys} against {@link KmsHttpEndpoint} (KMS's JSON protocol over {@link FakeKms}); each request's SigV4
 * signature is checked with this test's own implementation of the algorithm, so the request is one AWS would accept.
 * The SDK's KMS client reads the same endpoint: both must get the same key.
 */
class KmsPublicKeysTest {
    private static final String ACCESS_KEY = "AKIDEXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsSessionCredentials.create(ACCESS_KEY, SECRET, "session-token"));

    private final FakeKms kms = new FakeKms();
    private final List<String> problems = new ArrayList<>();
    private final UrlConnectionHttpClient http = (UrlConnectionHttpClient) UrlConnectionHttpClient.create();
    private KmsHttpEndpoint server;

    @BeforeEach
    void start() {
        server = KmsHttpEndpoint.start(kms);
    }

    @AfterEach
    void stop() {
        server.close();
        http.close();
    }

    @Test
    void readsThePublicKey_asTheKmsClientDoes_withARequestAwsWouldAccept() {
        String key = kms.createSigningKey();

        byte[] der = reader().apply(key);

        try (KmsClient sdk = KmsClient.builder().httpClient(http).region(Region.EU_WEST_1).credentialsProvider(CREDENTIALS)
                .endpointOverride(server.uri()).build()) {
            assertThat(der).isEqualTo(sdk.getPublicKey(r -> r.keyId(key)).publicKey().asByteArray());
        }
        assertThat(der).isEqualTo(kms.getPublicKey(r -> r.keyId(key)).publicKey().asByteArray());
        assertThat(server.requests()).hasSize(2);
        server.requests().forEach(this::checkSignature);
        assertThat(problems).isEmpty();
    }

    @Test
    void anUnknownKey_isAnErrorNamingItAndKmsReason_withoutARetry() {
        assertThatThrownBy(() -> reader().apply("no-such-key")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no-such-key").hasMessageContaining("HTTP 400 NotFoundException");
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aServerErrorOrThrottling_isTriedOnceMore() {
        String key = kms.createSigningKey();
        server.answerNext(500, "{\"__type\":\"KMSInternalException\",\"message\":\"try again\"}");

        assertThat(reader().apply(key)).isNotEmpty();
        assertThat(server.requests()).hasSize(2);

        String throttled = "{\"__type\":\"com.amazonaws.kms#ThrottlingException\",\"message\":\"Rate exceeded\"}";
        server.answerNext(400, throttled);
        server.answerNext(400, throttled);
        assertThatThrownBy(() -> reader().apply(key)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ThrottlingException").hasMessageContaining("Rate exceeded");
        assertThat(server.requests()).hasSize(4);
    }

    @Test
    void anEndpointThatIsNotKms_isAnErrorNotACrash() {
        server.answerNext(200, "<html>a captive portal</html>");

        assertThatThrownBy(() -> reader().apply(kms.createSigningKey())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("HTTP 200 an answer that is not JSON");
    }

    @Test
    void theEndpointOfARegion_isKmsInItsPartition() {
        assertThat(KmsPublicKeys.endpointOf(Region.EU_WEST_1)).hasToString("https://kms.eu-west-1.amazonaws.com");
        assertThat(KmsPublicKeys.endpointOf(Region.CN_NORTH_1)).hasToString("https://kms.cn-north-1.amazonaws.com.cn");
    }

    private KmsPublicKeys reader() {
        return new KmsPublicKeys(http, CREDENTIALS, Region.EU_WEST_1, server.uri());
    }

    /** SigV4 (AWS's "Signature Version 4 signing process"), recomputed here from the request as received. */
    private void checkSignature(KmsHttpEndpoint.Request request) {
        try {
            String authorization = request.header("Authorization");
            Matcher auth = Pattern.compile("AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request, "
                    + "SignedHeaders=([^,]+), Signature=([0-9a-f]{64})").matcher(authorization == null ? "" : authorization);
            if (!auth.matches()) {
                problems.add("Authorization header: " + authorization);
                return;
            }
            if (!auth.group(1).equals(ACCESS_KEY) || !auth.group(3).equals("eu-west-1") || !auth.group(4).equals("kms")) {
                problems.add("scope: " + authorization);
            }
            if (!"session-token".equals(request.header("X-Amz-Security-Token"))) {
                problems.add("no session token");
            }
            Map<String, String> signedHeaders = new TreeMap<>();
            for (String name : auth.group(5).split(";")) {
                signedHeaders.put(name, request.header(name).strip());
            }
            StringBuilder canonical = new StringBuilder("POST\n").append(request.path()).append("\n\n");
            signedHeaders.forEach((name, value) -> canonical.append(name).append(':').append(value).append('\n'));
            canonical.append('\n').append(auth.group(5)).append('\n').append(hex(sha256(request.body())));
            String amzDate = request.header("X-Amz-Date");
            String scope = auth.group(2) + "/eu-west-1/kms/aws4_request";
            String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                    + hex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
            byte[] signingKey = hmac(hmac(hmac(hmac(("AWS4" + SECRET).getBytes(StandardCharsets.UTF_8), auth.group(2)), "eu-west-1"),
                    "kms"), "aws4_request");
            if (!hex(hmac(signingKey, toSign)).equals(auth.group(6))) {
                problems.add("signature does not verify; canonical request:\n" + canonical);
            }
            if (!signedHeaders.containsKey("x-amz-target") || !signedHeaders.containsKey("host")) {
                problems.add("unsigned target or host: " + auth.group(5));
            }
            if (Duration.between(java.time.Instant.now(), java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssX")
                    .parse(amzDate, java.time.Instant::from)).abs().toMinutes() > 5) {
                problems.add("X-Amz-Date is not now: " + amzDate);
            }
        } catch (Exception e) {
            problems.add("unreadable request: " + e);
        }
    }

    private static byte[] sha256(byte[] bytes) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }

    private static byte[] hmac(byte[] key, String text) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
