package io.reel.auth;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.reel.core.Env;
import io.reel.core.Json.InvalidJsonException;
import io.reel.core.http.ApiGatewayJson;
import io.reel.core.http.HttpResponses;
import io.reel.core.http.Problem;
import io.reel.core.token.Jwk;
import io.reel.core.users.UserAdmin;
import io.reel.core.Json;
import io.reel.core.domain.Role;
import io.reel.core.domain.TokenClaims;
import io.reel.core.log.JsonLog;
import io.reel.core.snapstart.Priming;
import io.reel.core.token.JwtTokenSigner;
import io.reel.core.token.RsaKeys;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * API Gateway entry point of the auth function: {@code POST /auth/login|refresh|logout|logout-all},
 * {@code GET /.well-known/jwks.json} and the {@code /admin/users} routes. Maps requests to {@link AuthRoutes} and
 * every refusal to one problem+json answer; a 5xx carries only the request id.
 *
 * <p>Lambda calls the stream entry point (its rule for overloads: the most parameters), which reads and writes the
 * events with {@link ApiGatewayJson} rather than the runtime's serializer; tests and the typed entry point share the rest.
 */
public final class AuthHandler implements RequestStreamHandler {
    private static final JsonLog LOG = JsonLog.create(AuthHandler.class);
    /** Credentials and admin requests are small; anything bigger is refused unread. */
    static final int MAX_BODY_CHARS = 16 * 1024;

    private final AuthRoutes routes;
    private final HttpResponses responses;
    private final Priming priming;

    /** What the handler needs, built once per container by {@link AuthWiring} (or by a test). */
    public record Collaborators(AuthService service, UserAdmin admin, List<Jwk> publishedKeys, HttpResponses responses,
                                boolean secureCookie) {
    }

    /** What Lambda's runtime calls: wired from the environment, primed before a SnapStart snapshot. */
    public AuthHandler() {
        this(Env.system());
        priming.register();
    }

    public AuthHandler(Env env) {
        this(AuthWiring.from(env));
    }

    public AuthHandler(Collaborators collaborators) {
        this.routes = new AuthRoutes(collaborators);
        this.responses = collaborators.responses();
        Priming.Step[] service = collaborators.service().primingSteps();
        Priming.Step[] steps = Arrays.copyOf(service, service.length + 1);
        steps[service.length] = new Priming.Step("event, body, token and answer", this::prime);
        this.priming = Priming.of("auth", () -> { }, steps);
    }

    /** SnapStart's hooks (see {@link Priming}); package-private for tests. */
    Priming priming() {
        return priming;
    }

    /**
     * A sign-in's path without its effects: the account looked up, writes that change nothing and the password checked
     * ({@link AuthService#primingSteps}), then the event and a login body read, a token signed with a throwaway key
     * (never one the authorizer accepts; in AWS the real key is in KMS, whose Sign is not called) and a token answer
     * written. Nothing is kept.
     */
    private void prime() {
        try {
            var request = ApiGatewayJson.readProxyRequest(new ByteArrayInputStream(PRIMING_EVENT));
            io.reel.core.JsonBodies.read(request.getBody(), AuthRoutes.LoginRequest.class);
            Instant now = Instant.now();
            String token = JwtTokenSigner.withKeyPair("urn:reel:snapstart-priming", "snapstart-priming", RsaKeys.generate())
                    .sign(new TokenClaims("snapstart-priming", "snapstart-priming", Role.VIEWER.scopes(), 0, "snapstart-priming",
                            now, now.plusSeconds(60)));
            ApiGatewayJson.writeProxyResponse(responses.ok(Map.of("accessToken", token, "tokenType", "Bearer",
                    "expiresIn", 900L, "roles", List.of("viewer"))), OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final byte[] PRIMING_EVENT = ("{\"resource\":\"/auth/login\",\"path\":\"/auth/login\",\"httpMethod\":\"POST\","
            + "\"headers\":{\"Content-Type\":\"application/json\"},\"requestContext\":{\"requestId\":\"snapstart-priming\"},"
            + "\"body\":\"{\\\"username\\\":\\\"snapstart-priming\\\",\\\"password\\\":\\\"not a password\\\"}\"}")
            .getBytes(StandardCharsets.UTF_8);

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        ApiGatewayJson.writeProxyResponse(handleRequest(ApiGatewayJson.readProxyRequest(input), context), output);
    }

    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent request, Context context) {
        String requestId = context == null ? "local" : context.getAwsRequestId();
        try {
            if (request.getBody() != null && request.getBody().length() > MAX_BODY_CHARS) {
                return responses.problem(Problem.payloadTooLarge("The request body is larger than 16 KB."));
            }
            return routes.route(request);
        } catch (AuthException e) {
            LOG.info("auth refused", Map.of("requestId", requestId, "resource", String.valueOf(request.getResource()),
                    "outcome", e.kind().name()));
            return routes.refusal(e);
        } catch (InvalidJsonException e) {
            return responses.problem(Problem.of(e.status(), e.getMessage()));
        } catch (UserAdmin.InvalidRequestException e) {
            return responses.problem(Problem.badRequest(e.getMessage()));
        } catch (io.reel.core.port.AlreadyExistsException e) {
            return responses.problem(Problem.conflict("That username is taken."));
        } catch (java.util.NoSuchElementException e) {
            return responses.problem(Problem.notFound("No such account."));
        } catch (RuntimeException e) {
            if (io.reel.core.http.Unavailable.isTransient(e)) {
                LOG.warn("auth dependency unavailable", Map.of("requestId", requestId, "resource", String.valueOf(request.getResource()),
                        "error", e.getClass().getSimpleName()));
                return io.reel.core.http.Unavailable.answer(responses);
            }
            LOG.error("auth request failed", Map.of("requestId", requestId, "method", String.valueOf(request.getHttpMethod()),
                    "resource", String.valueOf(request.getResource())), e);
            return responses.problem(Problem.internalError(requestId));
        }
    }
}
