package io.reel.media;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.reel.core.AwsClients;
import io.reel.core.Env;
import io.reel.core.Json;
import io.reel.core.aws.DynamoDbPlaybackPositionStore;
import io.reel.core.aws.DynamoDbVideoStore;
import io.reel.core.aws.S3UrlSigner;
import io.reel.core.http.HttpResponses;
import io.reel.core.http.Problem;
import io.reel.core.log.JsonLog;
import io.reel.core.port.VideoStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
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
    /** Edits are small; anything bigger is refused unread. */
    static final int MAX_BODY_CHARS = 16 * 1024;

    private final MediaRoutes routes;
    private final HttpResponses responses;

    public MediaHandler() {
        this(Env.system());
    }

    public MediaHandler(Env env) {
        AwsClients clients = AwsClients.create(env);
        VideoStore videos = new DynamoDbVideoStore(clients.dynamoDb(), env.string("VIDEOS_TABLE"));
        this.responses = HttpResponses.create(env);
        Clock clock = Clock.systemUTC();
        var playbackSettings = new Playback.Settings(env.duration("PLAYBACK_URL_MARGIN", Duration.ofMinutes(30)),
                env.duration("PLAYBACK_URL_MAX_LIFETIME", Duration.ofHours(12)));
        var signer = new S3UrlSigner(clients.s3Presigner(), env.string("MEDIA_BUCKET"), clock, playbackSettings.maximum());
        var secrets = new StartupSecrets(arn -> {
            try (var client = clients.build(SecretsManagerClient.builder(), env.uri("AWS_ENDPOINT_URL_SECRETS_MANAGER"))) {
                return client.getSecretValue(r -> r.secretId(arn)).secretString();
            }
        });
        var tokens = new PlaybackTokens(secrets.playbackTokenKey(env.optional("REEL_LOCAL_KEYS_DIR").map(Path::of),
                env.optional("PLAYBACK_TOKEN_SECRET_ARN")), clock);
        var objects = new MediaObjects(clients.s3(), env.string("MEDIA_BUCKET"), env.string("UPLOADS_BUCKET"),
                !clients.s3Emulated());
        var positions = new DynamoDbPlaybackPositionStore(clients.dynamoDb(), env.string("PLAYBACK_POSITIONS_TABLE"), clock);
        this.routes = new MediaRoutes(videos, positions, objects, new Playback(signer, tokens, playbackSettings, clock),
                new SignedPlaylists(tokens, objects, signer, responses, clock), responses, clock);
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent request, Context context) {
        String requestId = context == null ? "local" : context.getAwsRequestId();
        try {
            if (request.getBody() != null && request.getBody().length() > MAX_BODY_CHARS) {
                return responses.problem(Problem.payloadTooLarge("The request body is larger than 16 KB."));
            }
            return routes.route(request);
        } catch (Json.InvalidJsonException e) {
            return responses.problem(Problem.badRequest(e.getMessage()));
        } catch (RuntimeException e) {
            LOG.error("media request failed", Map.of("requestId", requestId, "resource", String.valueOf(request.getResource())), e);
            return responses.problem(Problem.internalError(requestId));
        }
    }
}
