package io.reel.devserver.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reel.core.Json;
import io.reel.devserver.app.AuthorizerDef;
import io.reel.devserver.lambda.FunctionException;
import io.reel.devserver.lambda.LambdaFunction;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Lambda TOKEN authorizer as API Gateway runs it: the identity header must be present and match the validation
 * expression before the function is called; the returned policy is cached per token for {@code ReauthorizeEvery}
 * and evaluated against each request's method ARN.
 */
public final class TokenAuthorizer {
    private static final Logger LOG = LoggerFactory.getLogger(TokenAuthorizer.class);
    private static final int MAX_CACHED = 10_000;

    private final AuthorizerDef definition;
    private final LambdaFunction function;
    private final LongSupplier nanoTime;
    private final Map<String, CachedPolicy> cache = new ConcurrentHashMap<>();
    private final AtomicLong invocations = new AtomicLong();

    public TokenAuthorizer(AuthorizerDef definition, LambdaFunction function, LongSupplier nanoTime) {
        this.definition = definition;
        this.function = function;
        this.nanoTime = nanoTime;
    }

    public AuthorizerDef definition() {
        return definition;
    }

    /** How many times the authorizer function has been called (cache misses). */
    public long invocations() {
        return invocations.get();
    }

    public Result authorize(String token, String methodArn) {
        if (token == null || token.isEmpty()) {
            LOG.debug("authorizer {}: no token", definition.name());
            return Result.UNAUTHORIZED;
        }
        CachedPolicy policy = cache.get(token);
        if (policy == null || policy.expiresAtNanos - nanoTime.getAsLong() <= 0) {
            // A cached token matched the expression when it was fetched: only one that is not is matched (again).
            if (definition.validationExpression().map(p -> !p.matcher(token).matches()).orElse(false)) {
                LOG.debug("authorizer {}: the token fails the validation expression", definition.name());
                return Result.UNAUTHORIZED;
            }
            Object fetched = fetch(token, methodArn);
            if (fetched instanceof Result failure) {
                return failure;
            }
            policy = (CachedPolicy) fetched;
            if (!definition.reauthorizeEvery().isZero()) {
                if (cache.size() >= MAX_CACHED) {
                    evictExpired();
                }
                cache.put(token, policy);
            }
        }
        return switch (PolicyEvaluator.evaluate(policy.document, methodArn)) {
            case ALLOW -> new Result(Outcome.ALLOW, policy.principalId, policy.context);
            case EXPLICIT_DENY -> Result.EXPLICIT_DENY;
            case NOT_ALLOWED -> Result.NOT_ALLOWED;
        };
    }

    private Object fetch(String token, String methodArn) {
        ObjectNode event = Json.mapper().createObjectNode()
                .put("type", "TOKEN")
                .put("authorizationToken", token)
                .put("methodArn", methodArn);
        invocations.incrementAndGet();
        byte[] output;
        try {
            output = function.invoke(Json.mapper().writeValueAsBytes(event));
        } catch (FunctionException e) {
            if ("Unauthorized".equals(e.errorMessage())) {
                LOG.debug("authorizer {} answered Unauthorized", definition.name());
                return Result.UNAUTHORIZED;
            }
            LOG.warn("authorizer {} failed: {}", definition.name(), e.getMessage(), e.getCause());
            return Result.CONFIGURATION_ERROR;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        try {
            JsonNode response = output == null ? null : Json.mapper().readTree(output);
            if (response == null || !response.path("principalId").isTextual() || !response.path("policyDocument").isObject()) {
                LOG.warn("authorizer {} returned no principalId or policyDocument", definition.name());
                return Result.CONFIGURATION_ERROR;
            }
            Map<String, Object> context = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> entry : response.path("context").properties()) {
                if (!entry.getValue().isValueNode()) {
                    // API Gateway accepts only strings, numbers and booleans in the context.
                    LOG.warn("authorizer {} put a non-scalar in context.{}", definition.name(), entry.getKey());
                    return Result.CONFIGURATION_ERROR;
                }
                context.put(entry.getKey(), Json.mapper().treeToValue(entry.getValue(), Object.class));
            }
            return new CachedPolicy(response.get("policyDocument"), response.get("principalId").asText(), Map.copyOf(context),
                    nanoTime.getAsLong() + definition.reauthorizeEvery().toNanos());
        } catch (IOException e) {
            LOG.warn("authorizer {} returned malformed JSON", definition.name(), e);
            return Result.CONFIGURATION_ERROR;
        }
    }

    private void evictExpired() {
        long now = nanoTime.getAsLong();
        cache.values().removeIf(p -> p.expiresAtNanos - now <= 0);
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
    }

    private record CachedPolicy(JsonNode document, String principalId, Map<String, Object> context, long expiresAtNanos) {
    }

    /** What API Gateway does with the request. */
    public enum Outcome { ALLOW, UNAUTHORIZED, EXPLICIT_DENY, NOT_ALLOWED, CONFIGURATION_ERROR }

    /** An authorization decision; principal and context only for ALLOW. */
    public record Result(Outcome outcome, String principalId, Map<String, Object> context) {
        static final Result UNAUTHORIZED = new Result(Outcome.UNAUTHORIZED, null, Map.of());
        static final Result EXPLICIT_DENY = new Result(Outcome.EXPLICIT_DENY, null, Map.of());
        static final Result NOT_ALLOWED = new Result(Outcome.NOT_ALLOWED, null, Map.of());
        static final Result CONFIGURATION_ERROR = new Result(Outcome.CONFIGURATION_ERROR, null, Map.of());
    }
}
