package io.reel.authorizer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import io.reel.core.AwsClients;
import io.reel.core.Env;
import io.reel.core.aws.DynamoDbUserStore;
import io.reel.core.http.ApiGatewayJson;
import io.reel.core.log.JsonLog;
import io.reel.core.metrics.EmfMetrics;
import io.reel.core.metrics.Metrics;
import io.reel.core.snapstart.Priming;
import io.reel.core.token.JwtTokenVerifier;
import io.reel.core.token.VerificationKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
 *
 * <p>Lambda calls the stream entry point (its rule for overloads: the most parameters), which reads the event and writes
 * the policy with {@link ApiGatewayJson} rather than the runtime's serializer.
 */
public final class AuthorizerHandler implements RequestStreamHandler {
    private final Authorizer authorizer;
    private final Metrics metrics;
    private final Priming priming;

    /** What Lambda's runtime calls: wired from the environment, primed before a SnapStart snapshot. */
    public AuthorizerHandler() {
        this(Env.system());
        priming.register();
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
        // Nothing to renew after a restore: the keys are public, caches start empty, the standing is read per request.
        this.priming = Priming.of("authorizer", () -> { }, authorizer.primingSteps());
    }

    /** SnapStart's hooks (see {@link Priming}); package-private for tests. */
    Priming priming() {
        return priming;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        ApiGatewayJson.writeValue(handleRequest(ApiGatewayJson.readAuthorizerEvent(input), context), output);
    }

    /** Counts {@code TokenRefused} (API Gateway answers 401) for the dashboard's authorizer denies. */
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
                .orElseGet(() -> VerificationKeys.kms(clients.kmsPublicKeys(),
                        env.string("SIGNING_KEY_ID") + "," + env.string("RETIRED_SIGNING_KEY_IDS", "")));
        var verifier = JwtTokenVerifier.rs256(env.string("TOKEN_ISSUER", "reel"), env.string("TOKEN_AUDIENCE", "reel-api"), keys,
                env.duration("TOKEN_CLOCK_LEEWAY", JwtTokenVerifier.MAX_LEEWAY), clock);
        var users = new DynamoDbUserStore(clients.dynamoDb(), env.string("USERS_TABLE"));
        var settings = new Authorizer.Settings(env.duration("STANDING_CACHE_TTL", Duration.ZERO),
                env.integer("TOKEN_CACHE_SIZE", 10_000), env.integer("STANDING_CACHE_SIZE", 10_000));
        return new Authorizer(verifier, users, settings, clock, JsonLog.create(Authorizer.class));
    }
}
