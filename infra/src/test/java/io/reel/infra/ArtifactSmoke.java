package io.reel.infra;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs one handler from its Lambda artifact alone (started by {@link SamBuildIT} as
 * {@code java -cp <artifact>:<artifact>/lib/*:<this class's folder> io.reel.infra.ArtifactSmoke <function>}), so only
 * the artifact's classes and libraries are there: builds the handler from an environment as the devserver gives it
 * (local key files; AWS endpoints that refuse connections) and sends it requests that go through its wiring, its
 * routing and, up to the refused connection, the SDK. Uses nothing but the JDK and reflection. Prints one line per
 * request; exits 1 when a class was missing (a {@link LinkageError} anywhere), else 0, whatever the requests answered.
 */
public final class ArtifactSmoke {
    private ArtifactSmoke() {
    }

    public static void main(String[] args) throws Exception {
        String function = args[0];
        Map<String, String> env = new HashMap<>(Map.of("AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "local",
                "AWS_SECRET_ACCESS_KEY", "local-secret", "AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:9",
                "AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9", "REEL_LOCAL_KEYS_DIR", args[1], "USERS_TABLE", "Users",
                "SESSIONS_TABLE", "Sessions", "VIDEOS_TABLE", "Videos", "PLAYBACK_POSITIONS_TABLE", "PlaybackPositions"));
        env.putAll(Map.of("MEDIA_BUCKET", "media", "UPLOADS_BUCKET", "uploads", "TOKEN_ISSUER", "urn:reel:smoke",
                "TOKEN_AUDIENCE", "reel-api", "REEL_AWS_CALL_TIMEOUT", "2s", "REEL_AWS_ATTEMPT_TIMEOUT", "1s"));
        Object environment = Class.forName("io.reel.core.Env").getMethod("of", Map.class).invoke(null, env);
        boolean missing = false;
        switch (function) {
            case "AuthFunction" -> {
                Object handler = construct("io.reel.auth.AuthHandler", environment);
                missing |= call(handler, proxy("GET", "/.well-known/jwks.json", null, Map.of()));
                missing |= call(handler, proxy("POST", "/auth/login", "{\"username\":\"ana\",\"password\":\"a long enough passphrase\"}", Map.of()));
                missing |= call(handler, proxy("GET", "/admin/users", null, Map.of("userId", "u-admin", "username", "root",
                        "scopes", "admin videos:read videos:upload")));
            }
            case "AuthorizerFunction" -> {
                Object handler = construct("io.reel.authorizer.AuthorizerHandler", environment);
                Class<?> type = Class.forName("com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent");
                Object event = type.getConstructor().newInstance();
                type.getMethod("setType", String.class).invoke(event, "TOKEN");
                type.getMethod("setMethodArn", String.class).invoke(event, "arn:aws:execute-api:us-east-1:123456789012:a1b2c3/prod/GET/videos");
                type.getMethod("setAuthorizationToken", String.class).invoke(event, "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln");
                missing |= call(handler, event);
                // A token the handler's own key signed: verified, then the user's standing read (refused connection).
                type.getMethod("setAuthorizationToken", String.class).invoke(event, "Bearer " + signedToken(java.nio.file.Path.of(args[1])));
                missing |= call(handler, event);
            }
            case "MediaFunction" -> {
                Object handler = construct("io.reel.media.MediaHandler", environment);
                Map<String, Object> uploader = Map.of("userId", "u-up", "username", "up", "scopes", "videos:read videos:upload");
                missing |= call(handler, proxy("GET", "/uploads/limits", null, uploader));
                missing |= call(handler, proxy("GET", "/videos", null, uploader));
                // A video row first (refused connection), then nothing; the presigner is built at start-up.
                missing |= call(handler, proxy("POST", "/uploads", "{\"title\":\"t\",\"fileName\":\"t.mp4\","
                        + "\"contentType\":\"video/mp4\",\"size\":1000}", uploader));
            }
            default -> throw new IllegalArgumentException("no smoke requests for " + function);
        }
        System.exit(missing ? 1 : 0);
    }

    /** An access token for a viewer, signed with the local signing key the authorizer verifies with (core's classes). */
    private static String signedToken(java.nio.file.Path keys) throws Exception {
        Object pair = Class.forName("io.reel.core.token.RsaKeys").getMethod("loadOrCreate", java.nio.file.Path.class)
                .invoke(null, keys.resolve("signing-key.pem"));
        Object signer = Class.forName("io.reel.core.token.JwtTokenSigner")
                .getMethod("withKeyPair", String.class, String.class, java.security.KeyPair.class)
                .invoke(null, "urn:reel:smoke", "reel-api", pair);
        Class<?> role = Class.forName("io.reel.core.domain.Role");
        Object scopes = role.getMethod("scopes").invoke(role.getField("VIEWER").get(null));
        Class<?> claimsType = Class.forName("io.reel.core.domain.TokenClaims");
        var components = claimsType.getRecordComponents();
        Class<?>[] types = java.util.Arrays.stream(components).map(java.lang.reflect.RecordComponent::getType).toArray(Class<?>[]::new);
        java.time.Instant now = java.time.Instant.now();
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            values[i] = switch (components[i].getName()) {
                case "subject" -> "u-viewer";
                case "username" -> "viewer";
                case "scopes" -> scopes;
                case "issuedAt" -> now;
                case "expiresAt" -> now.plusSeconds(900);
                default -> types[i] == long.class ? (Object) 0L : types[i] == int.class ? (Object) 0 : "t1";
            };
        }
        Object claims = claimsType.getDeclaredConstructor(types).newInstance(values);
        return (String) signer.getClass().getMethod("sign", claimsType).invoke(signer, claims);
    }

    private static Object construct(String handler, Object environment) throws Exception {
        Class<?> envType = Class.forName("io.reel.core.Env");
        return Class.forName(handler).getConstructor(envType).newInstance(environment);
    }

    private static Object proxy(String method, String resource, String body, Map<String, ?> authorizer) throws Exception {
        Class<?> type = Class.forName("com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent");
        Object event = type.getConstructor().newInstance();
        type.getMethod("setHttpMethod", String.class).invoke(event, method);
        type.getMethod("setResource", String.class).invoke(event, resource);
        type.getMethod("setPath", String.class).invoke(event, resource);
        type.getMethod("setBody", String.class).invoke(event, body);
        type.getMethod("setHeaders", Map.class).invoke(event, Map.of("Content-Type", "application/json"));
        Class<?> contextType = Class.forName("com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent$ProxyRequestContext");
        Object context = contextType.getConstructor().newInstance();
        contextType.getMethod("setAuthorizer", Map.class).invoke(context, new HashMap<>(authorizer));
        contextType.getMethod("setRequestId", String.class).invoke(context, "smoke");
        type.getMethod("setRequestContext", contextType).invoke(event, context);
        return event;
    }

    /** Sends one event; true when a class was missing. */
    private static boolean call(Object handler, Object event) {
        Method handle = null;
        for (Method m : handler.getClass().getMethods()) {
            if (m.getName().equals("handleRequest") && m.getParameterCount() == 2 && !m.isBridge()) {
                handle = m;
            }
        }
        try {
            Object answer = handle.invoke(handler, event, null);
            String status = answer == null ? "null" : answer.getClass().getSimpleName();
            try {
                status = String.valueOf(answer.getClass().getMethod("getStatusCode").invoke(answer));
            } catch (NoSuchMethodException notAProxyResponse) {
                // an authorizer answers a policy map
            }
            System.out.println("answered " + status);
            return false;
        } catch (InvocationTargetException e) {
            for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                if (t instanceof LinkageError || t instanceof ClassNotFoundException) {
                    System.out.println("MISSING " + t);
                    return true;
                }
            }
            System.out.println("refused " + e.getCause());
            return false;
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
