package io.reel.core.aws;

import io.reel.core.JsonValues;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.regions.Region;

/**
 * KMS {@code GetPublicKey} without the KMS client: one JSON request (KMS's protocol, {@code TrentService.GetPublicKey}),
 * signed with the SDK's own SigV4 signer and sent through the function's SDK HTTP client. The authorizer reads its
 * verification keys this way once per cold start and ships no KMS client (1.7 MB, and its client's start-up);
 * {@code KmsPublicKeysIT} checks it against the KMS client, both talking to the same endpoint. A failed call is an
 * {@link IllegalStateException} naming the key and KMS's error; throttling, a 5xx or a broken connection is tried once
 * more first.
 */
public final class KmsPublicKeys implements Function<String, byte[]> {
    private static final int ATTEMPTS = 2;
    private static final long RETRY_PAUSE_MS = 100;

    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final Region region;
    private final URI endpoint;

    public KmsPublicKeys(SdkHttpClient http, AwsCredentialsProvider credentials, Region region, URI endpoint) {
        this.http = http;
        this.credentials = credentials;
        this.region = region;
        this.endpoint = endpoint;
    }

    /** KMS's regional endpoint: {@code https://kms.<region>.<the partition's domain>}. */
    public static URI endpointOf(Region region) {
        return URI.create("https://kms." + region.id() + "." + region.metadata().domain());
    }

    /** The public key of a KMS key, as X.509 SubjectPublicKeyInfo (DER). */
    @Override
    public byte[] apply(String keyId) {
        byte[] body = JsonValues.toText(Map.of("KeyId", keyId)).getBytes(StandardCharsets.UTF_8);
        RuntimeException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            if (attempt > 1) {
                pause();
            }
            try {
                return call(keyId, body);
            } catch (Retryable e) {
                last = new IllegalStateException(e.getMessage(), e.getCause());
            }
        }
        throw last;
    }

    private byte[] call(String keyId, byte[] body) {
        SdkHttpFullRequest request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(endpoint)
                .encodedPath(endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? "/" : endpoint.getRawPath())
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", "TrentService.GetPublicKey")
                .putHeader("Content-Length", Integer.toString(body.length))
                .build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(credentials.resolveIdentity().join())
                .request(request)
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "kms")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region.id()));
        SdkHttpRequest sent = signed.request();
        int status;
        byte[] answer;
        try {
            HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder().request(sent)
                    .contentStreamProvider(signed.payload().orElse(null)).build()).call();
            status = response.httpResponse().statusCode();
            answer = response.responseBody().map(KmsPublicKeys::readAll).orElse(new byte[0]);
        } catch (IOException | UncheckedIOException e) {
            throw new Retryable("KMS GetPublicKey for " + keyId + " could not be sent: " + e.getMessage(), e);
        }
        Map<String, Object> json = object(answer);
        if (status == 200 && json.get("PublicKey") instanceof String key) {
            try {
                return Base64.getDecoder().decode(key);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("KMS GetPublicKey for " + keyId + " answered a PublicKey that is not base64", e);
            }
        }
        String type = String.valueOf(json.getOrDefault("__type", "no error type"));
        type = type.substring(type.indexOf('#') + 1);
        Object message = json.containsKey("message") ? json.get("message") : json.get("Message");
        String failure = "KMS GetPublicKey for " + keyId + " failed: HTTP " + status + " " + type + (message == null ? "" : ": " + message);
        if (status >= 500 || status == 429 || type.contains("Throttl")) {
            throw new Retryable(failure, null);
        }
        throw new IllegalStateException(failure);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(byte[] answer) {
        try {
            return JsonValues.read(answer, 4) instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
        } catch (IllegalArgumentException e) {
            Map<String, Object> unreadable = new LinkedHashMap<>();
            unreadable.put("__type", "an answer that is not JSON");
            return unreadable;
        }
    }

    private static byte[] readAll(InputStream body) {
        try (body) {
            return body.readNBytes(1 << 20);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(RETRY_PAUSE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading KMS public keys", e);
        }
    }

    private static final class Retryable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Retryable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
