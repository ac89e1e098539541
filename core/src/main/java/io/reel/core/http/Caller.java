package io.reel.core.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import io.reel.core.domain.Scope;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who is calling, as the authorizer put it in {@code requestContext.authorizer} (userId, username, scopes as a
 * space-separated string). Handlers trust it because API Gateway (or the devserver) only passes a request on with
 * the context the authorizer returned; a request without it has not been authorised.
 */
public record Caller(String userId, String username, Set<Scope> scopes) {
    public Caller {
        scopes = scopes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(scopes));
    }

    public boolean has(Scope scope) {
        return scopes.contains(scope);
    }

    public boolean isAdmin() {
        return has(Scope.ADMIN);
    }

    /** The caller of this request, or empty when the authorizer's context is missing or incomplete. */
    public static Optional<Caller> of(APIGatewayProxyRequestEvent request) {
        Map<String, Object> context = request.getRequestContext() == null ? null : request.getRequestContext().getAuthorizer();
        if (context == null || !(context.get("userId") instanceof String userId) || userId.isBlank()
                || !(context.get("username") instanceof String username) || username.isBlank()) {
            return Optional.empty();
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        if (context.get("scopes") instanceof String text) {
            for (String value : text.strip().split("\\s+")) {
                Scope.fromValue(value).ifPresent(scopes::add);
            }
        }
        return Optional.of(new Caller(userId, username, scopes));
    }
}
