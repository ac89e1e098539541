package io.reel.infra;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Runs one handler from its Lambda artifact alone, as Lambda's Java runtime runs it (started by {@link SamBuildIT} as
 * {@code java -cp <artifact>:<artifact>/lib/*:<this class's folder> io.reel.infra.ArtifactSmoke <function> <keys>},
 * with the function's environment: local key files, AWS endpoints that refuse connections): the handler made by its
 * public no-arg constructor, SnapStart's priming run (its org.crac hooks), then events sent as JSON
 * bytes to the entry point Lambda picks (of the methods named {@code handleRequest}, the one with the most parameters,
 * which must take the event as a stream: the runtime's own serializer would need joda-time, aws-lambda-java-libs#72).
 * Uses nothing but the JDK, reflection and the artifact. Prints one line per request; exits 1 when a class was missing
 * (a {@link LinkageError} anywhere), else 0, whatever the requests answered.
 */
public final class ArtifactSmoke {
    private ArtifactSmoke() {
    }

    public static void main(String[] args) throws Exception {
        String function = args[0];
        java.nio.file.Path keys = java.nio.file.Path.of(args[1]);
        boolean missing;
        try {
            Object handler = switch (function) {
                case "AuthFunction" -> Class.forName("io.reel.auth.AuthHandler").getConstructor().newInstance();
                case "AuthorizerFunction" -> Class.forName("io.reel.authorizer.AuthorizerHandler").getConstructor().newInstance();
                case "MediaFunction" -> Class.forName("io.reel.media.MediaHandler").getConstructor().newInstance();
                default -> throw new IllegalArgumentException("no smoke requests for " + function);
            };
            missing = prime();
            missing |= switch (function) {
                case "AuthFunction" -> call(handler, proxy("GET", "/.well-known/jwks.json", null, null))
                        | call(handler, proxy("POST", "/auth/login", "{\\\"username\\\":\\\"ana\\\",\\\"password\\\":\\\"a long enough passphrase\\\"}", null))
                        | call(handler, proxy("GET", "/admin/users", null, "{\"userId\":\"u-admin\",\"username\":\"root\","
                                + "\"scopes\":\"admin videos:read videos:upload\"}"));
                case "AuthorizerFunction" -> call(handler, authorizer("Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln"))
                        // A token the handler's own key signed: verified, then the user's standing read (refused connection).
                        | call(handler, authorizer("Bearer " + (args.length > 2 ? args[2] : signedToken(keys))));
                default -> {
                    String uploader = "{\"userId\":\"u-up\",\"username\":\"up\",\"scopes\":\"videos:read videos:upload\"}";
                    // A video row first (refused connection), then nothing; S3 and the presigner are made on first use.
                    yield call(handler, proxy("GET", "/uploads/limits", null, uploader))
                            | call(handler, proxy("GET", "/videos", null, uploader))
                            | call(handler, proxy("POST", "/uploads", "{\\\"title\\\":\\\"t\\\",\\\"fileName\\\":\\\"t.mp4\\\","
                                    + "\\\"contentType\\\":\\\"video/mp4\\\",\\\"size\\\":1000}", uploader));
                }
            };
        } catch (ReflectiveOperationException | LinkageError e) {
            missing = isMissing(e);
            if (!missing) {
                throw e;
            }
        }
        System.exit(missing ? 1 : 0);
    }

    /** SnapStart's hooks as Lambda runs them around a snapshot; true when a class was missing. */
    private static boolean prime() throws Exception {
        try {
            // Registered with org.crac by the no-arg constructor; outside a CRaC JVM org.crac cannot run its hooks, so
            // through the registry core keeps.
            Object ran = Class.forName("io.reel.core.snapstart.Priming").getMethod("primeAndRestoreRegistered").invoke(null);
            System.out.println("primed " + ran);
            return false;
        } catch (ReflectiveOperationException | LinkageError e) {
            if (isMissing(e)) {
                return true;
            }
            throw e;
        }
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

    private static String proxy(String method, String resource, String body, String authorizer) {
        return "{\"resource\":\"" + resource + "\",\"path\":\"" + resource + "\",\"httpMethod\":\"" + method + "\","
                + "\"headers\":{\"Content-Type\":\"application/json\"},\"requestContext\":{\"requestId\":\"smoke\""
                + (authorizer == null ? "" : ",\"authorizer\":" + authorizer) + "},\"body\":"
                + (body == null ? "null" : "\"" + body + "\"") + "}";
    }

    private static String authorizer(String token) {
        return "{\"type\":\"TOKEN\",\"authorizationToken\":\"" + token + "\","
                + "\"methodArn\":\"arn:aws:execute-api:us-east-1:123456789012:a1b2c3/prod/GET/videos\"}";
    }

    /** Sends one event as Lambda does; true when a class was missing. */
    private static boolean call(Object handler, String event) throws Exception {
        Method handle = null;
        for (Method m : handler.getClass().getMethods()) {
            if (m.getName().equals("handleRequest") && !m.isBridge() && (handle == null || m.getParameterCount() > handle.getParameterCount())) {
                handle = m;
            }
        }
        if (handle == null || handle.getParameterCount() != 3 || handle.getParameterTypes()[0] != java.io.InputStream.class) {
            throw new IllegalStateException(handler.getClass().getName() + ": the handleRequest Lambda would pick does not "
                    + "take the event as a stream, so the runtime's serializer (and joda-time) would read it");
        }
        var out = new java.io.ByteArrayOutputStream();
        try {
            handle.invoke(handler, new java.io.ByteArrayInputStream(event.getBytes(java.nio.charset.StandardCharsets.UTF_8)), out, null);
            String answer = out.toString(java.nio.charset.StandardCharsets.UTF_8);
            var status = java.util.regex.Pattern.compile("\"statusCode\":(\\d+)").matcher(answer);
            System.out.println("answered " + (status.find() ? status.group(1) : answer.contains("\"principalId\"") ? "policy" : answer));
            return false;
        } catch (InvocationTargetException e) {
            if (isMissing(e)) {
                return true;
            }
            System.out.println("refused " + e.getCause());
            return false;
        }
    }

    private static boolean isMissing(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof LinkageError || t instanceof ClassNotFoundException) {
                System.out.println("MISSING " + t);
                return true;
            }
        }
        return false;
    }
}
