package io.reel.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.reel.core.ConfigurationException;
import io.reel.core.Json;
import io.reel.core.aws.DynamoDbVideoStore;
import io.reel.core.domain.Rendition;
import io.reel.core.domain.Video;
import io.reel.core.domain.VideoIds;
import io.reel.core.domain.VideoStatus;
import io.reel.localaws.junit.AwsTestResources;
import io.reel.localaws.junit.LocalAwsExtension;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The production wiring of MediaHandler in AWS mode: secrets read through the real SDK client from a fake Secrets
 * Manager (its JSON protocol, over HTTP), each once; CloudFront signing chosen when configured, its URLs checked with
 * the public key; and clear start-up failures for every misconfiguration.
 */
@ExtendWith(LocalAwsExtension.class)
class MediaWiringIT {
    private static final String TOKEN_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:reel-playback-AbCdEf";
    private static final String CLOUDFRONT_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:reel-cf-key-AbCdEf";
    private final Map<String, String> secrets = new HashMap<>();
    private final List<String> reads = new CopyOnWriteArrayList<>();
    private HttpServer secretsManager;
    private AwsTestResources aws;
    private KeyPair cloudFrontKey;

    @BeforeEach
    void setUp(AwsTestResources aws) throws Exception {
        this.aws = aws;
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        cloudFrontKey = generator.generateKeyPair();
        secrets.put(TOKEN_ARN, "q8Vt3mZ0pL6xW2nR9sK4yB7cD1fG5hJ0aE3uI8oP2lQ6wT4v");
        secrets.put(CLOUDFRONT_ARN, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cloudFrontKey.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        secretsManager = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        secretsManager.createContext("/", exchange -> {
            JsonNode request = Json.mapper().readTree(exchange.getRequestBody());
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String id = request.path("SecretId").asText();
            reads.add(target + " " + id);
            String value = secrets.get(id);
            byte[] body = (value == null
                    ? Json.write(Map.of("__type", "ResourceNotFoundException", "message", "Secrets Manager can't find the specified secret."))
                    : Json.write(Map.of("ARN", id, "Name", "reel", "SecretString", value, "VersionId", "v1")))
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(value == null ? 400 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        secretsManager.start();
    }

    @AfterEach
    void tearDown() {
        secretsManager.stop(0);
    }

    private Map<String, String> awsMode(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of("PLAYBACK_TOKEN_SECRET_ARN", TOKEN_ARN,
                "AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://127.0.0.1:" + secretsManager.getAddress().getPort()));
        env.putAll(extra);
        return env;
    }

    private Map<String, String> cloudFront() {
        return awsMode(Map.of("CLOUDFRONT_DOMAIN", "d111111abcdef8.cloudfront.net", "CLOUDFRONT_KEY_PAIR_ID", "K2JCJMDEHXQW5F",
                "CLOUDFRONT_PRIVATE_KEY_SECRET_ARN", CLOUDFRONT_ARN));
    }

    @Test
    void withCloudFrontConfigured_playbackAndPlaylistsAreCloudFrontUrls_signedWithTheSecretsKey_eachSecretReadOnce() throws Exception {
        var handler = new MediaHandler(aws.env(cloudFront()));
        String id = readyVideo();

        JsonNode playback = Json.mapper().readTree(handler.handleRequest(playbackRequest(id), null).getBody());
        URI mp4 = URI.create(playback.path("mp4").get(0).path("url").asText());
        assertThat(mp4.getHost()).isEqualTo("d111111abcdef8.cloudfront.net");
        assertThat(mp4.getPath()).isEqualTo("/videos/" + id + "/mp4/720p.mp4");
        assertSignedByTheCloudFrontKey(mp4);

        String token = URLDecoder.decode(playback.path("hls").asText().replaceFirst(".*token=", ""), StandardCharsets.UTF_8);
        var playlist = handler.handleRequest(new APIGatewayProxyRequestEvent().withHttpMethod("GET")
                .withResource("/videos/{id}/hls/{playlist}").withPathParameters(Map.of("id", id, "playlist", "720p.m3u8"))
                .withQueryStringParameters(Map.of("token", token)), null);
        assertThat(playlist.getStatusCode()).as(playlist.getBody()).isEqualTo(200);
        List<URI> segments = playlist.getBody().lines().filter(l -> l.startsWith("https://")).map(URI::create).toList();
        assertThat(segments).hasSize(2);
        segments.forEach(this::assertSignedByTheCloudFrontKey);
        assertThat(segments.get(0).getRawQuery()).as("signed once for the whole video").isEqualTo(segments.get(1).getRawQuery());

        handler.handleRequest(playbackRequest(id), null);
        assertThat(reads).containsExactlyInAnyOrder("secretsmanager.GetSecretValue " + TOKEN_ARN,
                "secretsmanager.GetSecretValue " + CLOUDFRONT_ARN);
    }

    @Test
    void successfulPlaybacksAreCounted_refusedOnesAreNot() throws Exception {
        List<String> counted = new CopyOnWriteArrayList<>();
        var handler = new MediaHandler(aws.env(awsMode(Map.of())), counted::add);
        String id = readyVideo();

        assertThat(handler.handleRequest(playbackRequest(id), null).getStatusCode()).isEqualTo(200);
        assertThat(handler.handleRequest(playbackRequest("k7t3v4x2m5n6p2r7sqawbecdzz"), null).getStatusCode()).isEqualTo(404);

        assertThat(counted).containsExactly("PlaybackStarted");
    }

    @Test
    void withAKeyPairButNoDomain_urlsAreSiteRelative_forTheDistributionThatServesThePage() throws Exception {
        Map<String, String> env = new HashMap<>(cloudFront());
        env.remove("CLOUDFRONT_DOMAIN");
        var handler = new MediaHandler(aws.env(env));
        String id = readyVideo();

        JsonNode playback = Json.mapper().readTree(handler.handleRequest(playbackRequest(id), null).getBody());
        String mp4 = playback.path("mp4").get(0).path("url").asText();
        assertThat(mp4).startsWith("/videos/" + id + "/mp4/720p.mp4?Policy=");
        assertSignedByTheCloudFrontKey(URI.create("https://reel.example.com" + mp4));
    }

    @Test
    void aKeyPairIdWithoutItsPrivateKey_failsAtStart_namingTheVariables() {
        Map<String, String> env = new HashMap<>(cloudFront());
        env.remove("CLOUDFRONT_PRIVATE_KEY_SECRET_ARN");
        assertThatThrownBy(() -> new MediaHandler(aws.env(env))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("CLOUDFRONT_KEY_PAIR_ID").hasMessageContaining("CLOUDFRONT_PRIVATE_KEY_SECRET_ARN");
    }

    @Test
    void withCloudFrontConfigured_catalogueCardsCarryACloudFrontPosterUrl_theSameFromEveryContainerAllHour() throws Exception {
        String id = readyVideo();
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);

        JsonNode list = Json.mapper().readTree(new MediaHandler(aws.env(cloudFront())).handleRequest(listRequest(), null).getBody());
        JsonNode again = Json.mapper().readTree(new MediaHandler(aws.env(cloudFront())).handleRequest(listRequest(), null).getBody());

        String poster = posterUrlOf(list, id);
        URI url = URI.create(poster);
        assertThat(url.getHost()).isEqualTo("d111111abcdef8.cloudfront.net");
        assertThat(url.getPath()).isEqualTo("/videos/" + id + "/poster.jpg");
        assertSignedByTheCloudFrontKey(url);
        Instant expires = Instant.ofEpochSecond(cloudFrontPolicy(url).path("Condition").path("DateLessThan").path("AWS:EpochTime").asLong());
        assertThat(expires).as("valid for at least an hour after the response").isAfterOrEqualTo(Instant.now().plus(Duration.ofHours(1)));
        if (Instant.now().truncatedTo(ChronoUnit.HOURS).equals(hour)) { // no hour turned during the test
            assertThat(expires).isEqualTo(hour.plus(Duration.ofHours(2)));
            assertThat(posterUrlOf(again, id)).as("another container, the same URL").isEqualTo(poster);
        }
    }

    @Test
    void withoutCloudFront_urlsAreS3Presigned_andTheTokenKeyStillComesFromTheSecret() throws Exception {
        var handler = new MediaHandler(aws.env(awsMode(Map.of())));
        String id = readyVideo();
        JsonNode playback = Json.mapper().readTree(handler.handleRequest(playbackRequest(id), null).getBody());
        assertThat(playback.path("mp4").get(0).path("url").asText()).contains("X-Amz-Signature=");
        assertThat(reads).containsExactly("secretsmanager.GetSecretValue " + TOKEN_ARN);
    }

    @Test
    void misconfigurations_failAtStart_namingWhatToFix() {
        Map<String, String> partial = cloudFront();
        partial.remove("CLOUDFRONT_KEY_PAIR_ID");
        assertThatThrownBy(() -> new MediaHandler(aws.env(partial))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("CLOUDFRONT_KEY_PAIR_ID");

        Map<String, String> badDomain = cloudFront();
        badDomain.put("CLOUDFRONT_DOMAIN", "https://d111111abcdef8.cloudfront.net/");
        assertThatThrownBy(() -> new MediaHandler(aws.env(badDomain))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("CloudFront");

        secrets.put(CLOUDFRONT_ARN, "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> new MediaHandler(aws.env(cloudFront()))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("CloudFront").hasMessageNotContaining("bm90IGEga2V5");

        assertThatThrownBy(() -> new MediaHandler(aws.env(awsMode(Map.of("PLAYBACK_TOKEN_SECRET_ARN", TOKEN_ARN + "-gone")))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("PLAYBACK_TOKEN_SECRET_ARN");

        secrets.put(TOKEN_ARN, "too-short");
        assertThatThrownBy(() -> new MediaHandler(aws.env(awsMode(Map.of())))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("at least 32");

        Map<String, String> neither = awsMode(Map.of());
        neither.remove("PLAYBACK_TOKEN_SECRET_ARN");
        assertThatThrownBy(() -> new MediaHandler(aws.env(neither))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("PLAYBACK_TOKEN_SECRET_ARN");
    }

    private static APIGatewayProxyRequestEvent listRequest() {
        var context = new APIGatewayProxyRequestEvent.ProxyRequestContext();
        context.setAuthorizer(Map.of("userId", "u-viewer", "username", "viewer", "scopes", "videos:read"));
        return new APIGatewayProxyRequestEvent().withHttpMethod("GET").withResource("/videos").withRequestContext(context);
    }

    private static String posterUrlOf(JsonNode list, String videoId) {
        for (JsonNode item : list.path("items")) {
            if (item.path("videoId").asText().equals(videoId)) {
                return item.path("posterUrl").asText();
            }
        }
        throw new AssertionError(videoId + " is not listed in " + list);
    }

    /** The single statement of a CloudFront URL's custom policy. */
    private static JsonNode cloudFrontPolicy(URI url) throws Exception {
        String policy = url.getRawQuery().replaceFirst(".*(?:^|&)Policy=([^&]*).*", "$1");
        return Json.mapper().readTree(Base64.getDecoder().decode(policy.replace('-', '+').replace('_', '=').replace('~', '/')))
                .path("Statement").get(0);
    }

    /** What CloudFront checks: the policy's signature under the key pair's public key, the resource, the expiry. */
    private void assertSignedByTheCloudFrontKey(URI url) {
        Map<String, String> query = new HashMap<>();
        for (String pair : url.getRawQuery().split("&")) {
            query.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        }
        assertThat(query).containsEntry("Key-Pair-Id", "K2JCJMDEHXQW5F");
        byte[] policy = Base64.getDecoder().decode(query.get("Policy").replace('-', '+').replace('_', '=').replace('~', '/'));
        byte[] signature = Base64.getDecoder().decode(query.get("Signature").replace('-', '+').replace('_', '=').replace('~', '/'));
        try {
            Signature verifier = Signature.getInstance("SHA1withRSA");
            verifier.initVerify(cloudFrontKey.getPublic());
            verifier.update(policy);
            assertThat(verifier.verify(signature)).as("signature of " + url).isTrue();
            JsonNode statement = Json.mapper().readTree(policy).path("Statement").get(0);
            String resource = statement.path("Resource").asText();
            String requested = "https://" + url.getHost() + url.getRawPath();
            // CloudFront's wildcards: * any run of characters (the host too, in a site-relative URL's policy).
            String pattern = java.util.Arrays.stream(resource.split("\\*", -1)).map(java.util.regex.Pattern::quote)
                    .collect(java.util.stream.Collectors.joining(".*"));
            assertThat(requested.matches(pattern)).as(resource + " covers " + requested).isTrue();
            assertThat(Instant.ofEpochSecond(statement.path("Condition").path("DateLessThan").path("AWS:EpochTime").asLong()))
                    .isAfter(Instant.now());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private String readyVideo() {
        String id = VideoIds.newId();
        String hls = "videos/" + id + "/hls/";
        aws.s3().putObject(r -> r.bucket(aws.bucket("MediaBucket")).key(hls + "720p.m3u8"), RequestBody.fromString(
                "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4,\n720p/s0.m4s\n#EXTINF:4,\n720p/s1.m4s\n#EXT-X-ENDLIST\n"));
        Instant now = Instant.now();
        new DynamoDbVideoStore(aws.dynamoDb(), aws.table("VideosTable")).create(new Video(id, "u-owner", "Wiring", null,
                VideoStatus.READY, null, Duration.ofMinutes(3), 1280, 720, List.of(
                new Rendition("720p", Rendition.Kind.MP4, 1280, 720, 3000, "videos/" + id + "/mp4/720p.mp4"),
                new Rendition("720p", Rendition.Kind.HLS, 1280, 720, 3000, hls + "720p.m3u8")), "videos/" + id + "/poster.jpg", null,
                now, now));
        return id;
    }

    private static APIGatewayProxyRequestEvent playbackRequest(String id) {
        var context = new APIGatewayProxyRequestEvent.ProxyRequestContext();
        context.setAuthorizer(Map.of("userId", "u-viewer", "username", "viewer", "scopes", "videos:read"));
        return new APIGatewayProxyRequestEvent().withHttpMethod("GET").withResource("/videos/{id}/playback")
                .withPathParameters(Map.of("id", id)).withRequestContext(context);
    }
}
