package io.reel.auth;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.reel.core.Env;
import io.reel.core.Json.InvalidJsonException;
import io.reel.core.http.HttpResponses;
import io.reel.core.http.Problem;
import io.reel.core.token.Jwk;
import io.reel.core.users.UserAdmin;
import java.util.List;
import java.util.Map;
import io.reel.core.log.JsonLog;

/**
 * API Gateway entry point of the auth function: {@code POST /auth/login|refresh|logout|logout-all},
 * {@code GET /.well-known/jwks.json} and the {@code /admin/users} routes. Maps requests to {@link AuthRoutes} and
 * every refusal to one problem+json answer; a 5xx carries only the request id.
 */
public final class AuthHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private static final JsonLog LOG = JsonLog.create(AuthHandler.class);
    /** Credentials and admin requests are small; anything bigger is refused unread. */
    static final int MAX_BODY_CHARS = 16 * 1024;

    private final AuthRoutes routes;
    private final HttpResponses responses;

    /** What the handler needs, built once per container by {@link AuthWiring} (or by a test). */
    public record Collaborators(AuthService service, UserAdmin admin, List<Jwk> publishedKeys, HttpResponses responses,
                                boolean secureCookie) {
    }

    public AuthHandler() {
        this(Env.system());
    }

    public AuthHandler(Env env) {
        this(AuthWiring.from(env));
    }

    public AuthHandler(Collaborators collaborators) {
        this.routes = new AuthRoutes(collaborators);
        this.responses = collaborators.responses();
    }

    @Override
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
