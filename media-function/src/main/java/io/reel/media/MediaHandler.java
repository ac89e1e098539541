package io.reel.media;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.reel.core.AwsClients;
import io.reel.core.ConfigurationException;
import io.reel.core.Env;
import io.reel.core.Json;
import io.reel.core.Lazy;
import io.reel.core.aws.CloudFrontUrlSigner;
import io.reel.core.aws.DynamoDbPlaybackPositionStore;
import io.reel.core.aws.DynamoDbVideoStore;
import io.reel.core.domain.Video;
import io.reel.core.domain.VideoStatus;
import io.reel.core.http.ApiGatewayJson;
import io.reel.core.http.HttpResponses;
import io.reel.core.http.Problem;
import io.reel.core.log.JsonLog;
import io.reel.core.metrics.EmfMetrics;
import io.reel.core.metrics.Metrics;
import io.reel.core.port.UrlSigner;
import io.reel.core.port.VideoStore;
import io.reel.core.snapstart.Priming;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * API Gateway entry point of the media function: the catalogue, playback (MP4 and signed HLS), progress and uploads.
 * Every refusal is problem+json; a 5xx carries only the request id. Lambda calls the stream entry point (its rule for
 * overloads: the most parameters), which reads and writes the events with {@link ApiGatewayJson}.
 *
 * <p>Environment: {@code VIDEOS_TABLE}, {@code MEDIA_BUCKET}, {@code UPLOADS_BUCKET}, {@code PLAYBACK_URL_MARGIN}
 * (default 30m, added to a video's duration), {@code PLAYBACK_URL_MAX_LIFETIME} (default 12h), and {@link AwsClients}'.
 */
public final class MediaHandler implements RequestStreamHandler {
    private static final JsonLog LOG = JsonLog.create(MediaHandler.class);
    /** Edits are small; anything bigger is refused unread (but a completion's part list, {@link Uploads}). */
    static final int MAX_BODY_CHARS = 16 * 1024;

    private final MediaRoutes routes;
    private final HttpResponses responses;
    private final Metrics metrics;
    private final UrlSigner signer;
    private final PlaybackKeys playbackKeys;
    private final Priming priming;
    private final Lazy<S3Client> s3;
    private final String mediaBucket;
    /** A video id no upload can have (ids are random), for a priming read that finds nothing. */
    static final String PRIMING_VIDEO_ID = "snapstartprimingsnapstartp";
    /** Routes counted when they succeed, with the metric each counts. */
    static final Map<String, String> COUNTED = Map.of(
            "GET /videos/{id}/playback", "PlaybackStarted",
            // The player saves every 10 s while playing: heartbeats per 10 s are the viewers watching.
            "PUT /videos/{id}/progress", "ProgressHeartbeat",
            "POST /uploads", "UploadStarted",
            "POST /uploads/{id}/complete", "UploadCompleted");

    /** What Lambda's runtime calls: wired from the environment, primed before a SnapStart snapshot. */
    public MediaHandler() {
        this(Env.system());
        priming.register();
    }

    public MediaHandler(Env env) {
        this(env, new EmfMetrics("media", System.out, Clock.systemUTC()));
    }

    MediaHandler(Env env, Metrics metrics) {
        this.metrics = metrics;
        AwsClients clients = AwsClients.create(env);
        // READY rows kept VIDEO_CACHE_TTL (watching reads the same row for the page, the URLs and every progress save),
        // the catalogue's first page CATALOGUE_CACHE_TTL (every visit to the home page reads it).
        VideoStore videos = ReadyVideoCache.around(new DynamoDbVideoStore(clients.dynamoDb(), env.string("VIDEOS_TABLE")),
                env.duration("VIDEO_CACHE_TTL", ReadyVideoCache.DEFAULT_TTL),
                env.duration("CATALOGUE_CACHE_TTL", ReadyVideoCache.DEFAULT_CATALOGUE_TTL));
        this.responses = HttpResponses.create(env);
        Clock clock = Clock.systemUTC();
        var playbackSettings = new Playback.Settings(env.duration("PLAYBACK_URL_MARGIN", Duration.ofMinutes(30)),
                env.duration("PLAYBACK_URL_MAX_LIFETIME", Duration.ofHours(12)));
        var secrets = new StartupSecrets(arn -> {
            try (var client = clients.build(SecretsManagerClient.builder(), env.uri("AWS_ENDPOINT_URL_SECRETS_MANAGER"))) {
                return client.getSecretValue(r -> r.secretId(arn)).secretString();
            }
        });
        this.signer = signer(env, clients, secrets, clock, playbackSettings.maximum());
        Optional<Path> localKeys = env.optional("REEL_LOCAL_KEYS_DIR").map(Path::of);
        Optional<String> tokenSecret = env.optional("PLAYBACK_TOKEN_SECRET_ARN");
        // Re-read at most every PLAYBACK_KEY_REFRESH, so rotating the secret reaches running (and SnapStarted) containers.
        this.playbackKeys = new PlaybackKeys(() -> secrets.playbackTokenKey(localKeys, tokenSecret),
                env.duration("PLAYBACK_KEY_REFRESH", Duration.ofMinutes(5)), clock);
        var tokens = new PlaybackTokens(playbackKeys, clock);
        // S3 is made on first use: the catalogue and a video's page (most cold starts) never call it.
        this.s3 = Lazy.of(clients::s3);
        this.mediaBucket = env.string("MEDIA_BUCKET");
        var objects = new MediaObjects(s3, mediaBucket, env.string("UPLOADS_BUCKET"), !clients.s3Emulated());
        // UPLOAD_ACCELERATION: browsers send uploads through S3 Transfer Acceleration's edge (the bucket has it on).
        boolean accelerate = env.bool("UPLOAD_ACCELERATION", false);
        Lazy<S3Presigner> uploadPresigner = Lazy.of(() -> clients.s3Presigner(accelerate));
        var uploads = new Uploads(videos, objects, s3, uploadPresigner,
                env.string("UPLOADS_BUCKET"),
                Uploads.Settings.from(env), responses, clock);
        var positions = new DynamoDbPlaybackPositionStore(clients.dynamoDb(), env.string("PLAYBACK_POSITIONS_TABLE"), clock);
        this.priming = Priming.of("media", this::restored,
                new Priming.Step("video page", this::primeVideoPage),
                new Priming.Step("video and signed URL", this::primeVideoJson),
                new Priming.Step("S3", () -> primeS3(uploadPresigner)));
        this.routes = new MediaRoutes(videos, positions, objects, new Playback(signer, tokens, playbackSettings, clock),
                new SignedPlaylists(tokens, objects, signer, responses, clock), uploads, responses, clock);
    }

    /**
     * CloudFront signed URLs when a key pair is configured ({@code CLOUDFRONT_KEY_PAIR_ID} and
     * {@code CLOUDFRONT_PRIVATE_KEY_SECRET_ARN}), S3 presigned URLs otherwise (and always locally). With
     * {@code CLOUDFRONT_DOMAIN} the URLs are for that distribution's name; without, they are site-relative
     * ({@code /videos/…}), for the stack's own distribution, which serves the page and the API too: the stack cannot
     * give this function that distribution's name (the distribution routes to the API, hence to this function).
     */
    static UrlSigner signer(Env env, AwsClients clients, StartupSecrets secrets, Clock clock, Duration maximum) {
        Optional<String> domain = env.optional("CLOUDFRONT_DOMAIN");
        Optional<String> keyPairId = env.optional("CLOUDFRONT_KEY_PAIR_ID");
        Optional<String> keyArn = env.optional("CLOUDFRONT_PRIVATE_KEY_SECRET_ARN");
        if (domain.isEmpty() && keyPairId.isEmpty() && keyArn.isEmpty()) {
            return clients.s3UrlSigner(env.string("MEDIA_BUCKET"), clock, maximum);
        }
        if (keyPairId.isEmpty() || keyArn.isEmpty()) {
            throw new ConfigurationException("CloudFront signing needs CLOUDFRONT_KEY_PAIR_ID and "
                    + "CLOUDFRONT_PRIVATE_KEY_SECRET_ARN together (and CLOUDFRONT_DOMAIN for a distribution other than the "
                    + "site's); set them, or none to sign S3 URLs");
        }
        String privateKey = secrets.cloudFrontPrivateKey(keyArn.get());
        try {
            return domain.isPresent()
                    ? new CloudFrontUrlSigner(domain.get(), keyPairId.get(), privateKey, clock, maximum)
                    : CloudFrontUrlSigner.forSite(keyPairId.get(), privateKey, clock, maximum);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("CloudFront signing is misconfigured: " + e.getMessage(), e);
        }
    }

    /** SnapStart's hooks (see {@link Priming}); package-private for tests and the bench. */
    Priming priming() {
        return priming;
    }

    /*
     * The first requests of a container, without their effects: a video page for a video that does not exist (the event
     * read, routed, a DynamoDB read that finds nothing, a 404 written: no metric, no log line, nothing cached), a found
     * video's JSON written with one URL signed, and S3's client and upload presigner made (lazy in a cold start without
     * SnapStart) with one read of an object that does not exist.
     */
    private void primeVideoPage() {
        try {
            // The routes, not handleRequest: a dependency that fails here is priming's to log, not a request's to count.
            var request = ApiGatewayJson.readProxyRequest(new ByteArrayInputStream(PRIMING_EVENT));
            ApiGatewayJson.writeProxyResponse(routes.route(request), OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void primeS3(Lazy<S3Presigner> uploadPresigner) {
        uploadPresigner.get();
        try {
            s3.get().headObject(r -> r.bucket(mediaBucket).key("videos/" + PRIMING_VIDEO_ID + "/master.m3u8"));
        } catch (NoSuchKeyException expected) {
            // nothing there, as meant
        }
    }

    private void primeVideoJson() {
        Instant now = Instant.now();
        var video = new Video(PRIMING_VIDEO_ID, "snapstart-priming", "Priming", null, VideoStatus.READY, null,
                Duration.ofSeconds(60), 1280, 720, List.of(), null, null, now, now);
        Json.write(VideoView.of(video, false, signer.sign("videos/" + PRIMING_VIDEO_ID + "/poster.jpg",
                Duration.ofMinutes(1)).url().toString()));
    }

    /** After a restore: the playback-token key is read again on first use rather than trusted from the snapshot. */
    private void restored() {
        playbackKeys.expire();
    }

    private static final byte[] PRIMING_EVENT = ("{\"resource\":\"/videos/{id}\",\"path\":\"/videos/" + PRIMING_VIDEO_ID
            + "\",\"httpMethod\":\"GET\",\"headers\":{\"Accept\":\"application/json\"},\"pathParameters\":{\"id\":\""
            + PRIMING_VIDEO_ID + "\"},\"requestContext\":{\"requestId\":\"snapstart-priming\",\"authorizer\":"
            + "{\"userId\":\"snapstart-priming\",\"username\":\"snapstart-priming\",\"scopes\":\"videos:read\"}},"
            + "\"body\":null,\"isBase64Encoded\":false}").getBytes(StandardCharsets.UTF_8);

    /** What the dashboard reads: playbacks started, progress heartbeats (concurrent viewers), uploads. */
    private void count(APIGatewayProxyRequestEvent request, APIGatewayProxyResponseEvent response) {
        Integer status = response.getStatusCode();
        if (status == null || status < 200 || status > 299) {
            return;
        }
        String metric = COUNTED.get(request.getHttpMethod() + " " + request.getResource());
        if (metric != null) {
            metrics.count(metric);
        }
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        ApiGatewayJson.writeProxyResponse(handleRequest(ApiGatewayJson.readProxyRequest(input), context), output);
    }

    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent request, Context context) {
        String requestId = context == null ? "local" : context.getAwsRequestId();
        try {
            int limit = Uploads.COMPLETE_ROUTE.equals(request.getHttpMethod() + " " + request.getResource())
                    ? Uploads.MAX_COMPLETE_BODY_CHARS : MAX_BODY_CHARS;
            if (request.getBody() != null && request.getBody().length() > limit) {
                return responses.problem(Problem.payloadTooLarge("The request body is larger than " + limit / 1024 + " KB."));
            }
            APIGatewayProxyResponseEvent response = routes.route(request);
            count(request, response);
            return response;
        } catch (Json.InvalidJsonException e) {
            return responses.problem(Problem.of(e.status(), e.getMessage()));
        } catch (RuntimeException e) {
            if (io.reel.core.http.Unavailable.isTransient(e)) {
                LOG.warn("media.dependency_unavailable", Map.of("requestId", requestId, "resource", String.valueOf(request.getResource()),
                        "error", e.getClass().getSimpleName()));
                metrics.count("DependencyUnavailable");
                return io.reel.core.http.Unavailable.answer(responses);
            }
            LOG.error("media request failed", Map.of("requestId", requestId, "resource", String.valueOf(request.getResource())), e);
            return responses.problem(Problem.internalError(requestId));
        }
    }
}
