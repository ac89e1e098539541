package io.reel.media;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.reel.core.AwsClients;
import io.reel.core.ConfigurationException;
import io.reel.core.Env;
import io.reel.core.Json;
import io.reel.core.aws.CloudFrontUrlSigner;
import io.reel.core.aws.DynamoDbPlaybackPositionStore;
import io.reel.core.aws.DynamoDbVideoStore;
import io.reel.core.http.HttpResponses;
import io.reel.core.http.Problem;
import io.reel.core.log.JsonLog;
import io.reel.core.metrics.EmfMetrics;
import io.reel.core.metrics.Metrics;
import io.reel.core.port.UrlSigner;
import io.reel.core.port.VideoStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * API Gateway entry point of the media function (issue #6, in progress: the catalogue and MP4 playback so far). Every
 * refusal is problem+json; a 5xx carries only the request id.
 *
 * <p>Environment: {@code VIDEOS_TABLE}, {@code MEDIA_BUCKET}, {@code UPLOADS_BUCKET}, {@code PLAYBACK_URL_MARGIN}
 * (default 30m, added to a video's duration), {@code PLAYBACK_URL_MAX_LIFETIME} (default 12h), and {@link AwsClients}'.
 */
public final class MediaHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private static final JsonLog LOG = JsonLog.create(MediaHandler.class);
    /** Edits are small; anything bigger is refused unread (but a completion's part list, {@link Uploads}). */
    static final int MAX_BODY_CHARS = 16 * 1024;

    private final MediaRoutes routes;
    private final HttpResponses responses;
    private final Metrics metrics;
    /** Routes counted when they succeed, with the metric each counts. */
    static final Map<String, String> COUNTED = Map.of(
            "GET /videos/{id}/playback", "PlaybackStarted",
            // The player saves every 10 s while playing: heartbeats per 10 s are the viewers watching.
            "PUT /videos/{id}/progress", "ProgressHeartbeat",
            "POST /uploads", "UploadStarted",
            "POST /uploads/{id}/complete", "UploadCompleted");

    public MediaHandler() {
        this(Env.system());
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
        UrlSigner signer = signer(env, clients, secrets, clock, playbackSettings.maximum());
        Optional<Path> localKeys = env.optional("REEL_LOCAL_KEYS_DIR").map(Path::of);
        Optional<String> tokenSecret = env.optional("PLAYBACK_TOKEN_SECRET_ARN");
        // Re-read at most every PLAYBACK_KEY_REFRESH, so rotating the secret reaches running (and SnapStarted) containers.
        var tokens = new PlaybackTokens(new PlaybackKeys(() -> secrets.playbackTokenKey(localKeys, tokenSecret),
                env.duration("PLAYBACK_KEY_REFRESH", Duration.ofMinutes(5)), clock), clock);
        S3Client s3 = clients.s3();
        var objects = new MediaObjects(s3, env.string("MEDIA_BUCKET"), env.string("UPLOADS_BUCKET"), !clients.s3Emulated());
        // UPLOAD_ACCELERATION: browsers send uploads through S3 Transfer Acceleration's edge (the bucket has it on).
        var uploads = new Uploads(videos, objects, s3, clients.s3Presigner(env.bool("UPLOAD_ACCELERATION", false)),
                env.string("UPLOADS_BUCKET"),
                Uploads.Settings.from(env), responses, clock);
        var positions = new DynamoDbPlaybackPositionStore(clients.dynamoDb(), env.string("PLAYBACK_POSITIONS_TABLE"), clock);
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
