package io.reel.authorizer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import io.reel.core.AwsClients;
import io.reel.core.Env;
import io.reel.core.aws.DynamoDbUserStore;
import io.reel.core.log.JsonLog;
import io.reel.core.metrics.EmfMetrics;
import io.reel.core.metrics.Metrics;
import io.reel.core.token.JwtTokenVerifier;
import io.reel.core.token.VerificationKeys;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * API Gateway TOKEN authorizer: {@code {"type":"TOKEN","authorizationToken","methodArn"}} in, an IAM policy out,
 * or the error {@code Unauthorized} (401). See {@link Authorizer}.
 *
 * <p>Environment: {@code USERS_TABLE}; {@code TOKEN_ISSUER} (default {@code reel}), {@code TOKEN_AUDIENCE} (default
 * {@code reel-api}); keys from {@code REEL_LOCAL_KEYS_DIR} (the devserver's key files) or else the KMS keys
 * {@code SIGNING_KEY_ID} and {@code RETIRED_SIGNING_KEY_IDS}, read once at start; {@code TOKEN_CLOCK_LEEWAY}
 * (default 30s, at most 30s), {@code STANDING_CACHE_TTL} (default 0s: read on every call; at most 30s), {@code TOKEN_CACHE_SIZE} and
 * {@code STANDING_CACHE_SIZE} (default 10000 each).
 */
public final class AuthorizerHandler implements RequestHandler<APIGatewayCustomAuthorizerEvent, Map<String, Object>> {
    private final Authorizer authorizer;
    private final Metrics metrics;

    public AuthorizerHandler() {
        this(Env.system());
    }

    public AuthorizerHandler(Env env) {
        this(wire(env));
    }

    public AuthorizerHandler(Authorizer authorizer) {
        this(authorizer, new EmfMetrics("authorizer", System.out, Clock.systemUTC()));
    }

    AuthorizerHandler(Authorizer authorizer, Metrics metrics) {
        this.authorizer = authorizer;
        this.metrics = metrics;
    }

    /** Counts {@code TokenRefused} (API Gateway answers 401) for the dashboard's authorizer denies. */
    @Override
    public Map<String, Object> handleRequest(APIGatewayCustomAuthorizerEvent event, Context context) {
        if (event == null || !"TOKEN".equals(event.getType())) {
            metrics.count("TokenRefused");
            throw new Unauthorized("not a TOKEN authorizer event");
        }
        try {
            return authorizer.authorize(event.getAuthorizationToken(), event.getMethodArn());
        } catch (Unauthorized e) {
            metrics.count("TokenRefused");
            throw e;
        }
    }

    static Authorizer wire(Env env) {
        Clock clock = Clock.systemUTC();
        AwsClients clients = AwsClients.create(env);
        Map<String, RSAPublicKey> keys = env.optional("REEL_LOCAL_KEYS_DIR").map(Path::of).map(VerificationKeys::local)
                .orElseGet(() -> {
                    var kms = clients.kms();
                    return VerificationKeys.kms(id -> kms.getPublicKey(r -> r.keyId(id)),
                            env.string("SIGNING_KEY_ID") + "," + env.string("RETIRED_SIGNING_KEY_IDS", ""));
                });
        var verifier = JwtTokenVerifier.rs256(env.string("TOKEN_ISSUER", "reel"), env.string("TOKEN_AUDIENCE", "reel-api"), keys,
                env.duration("TOKEN_CLOCK_LEEWAY", JwtTokenVerifier.MAX_LEEWAY), clock);
        var users = new DynamoDbUserStore(clients.dynamoDb(), env.string("USERS_TABLE"));
        var settings = new Authorizer.Settings(env.duration("STANDING_CACHE_TTL", Duration.ZERO),
                env.integer("TOKEN_CACHE_SIZE", 10_000), env.integer("STANDING_CACHE_SIZE", 10_000));
        return new Authorizer(verifier, users, settings, clock, JsonLog.create(Authorizer.class));
    }
}
