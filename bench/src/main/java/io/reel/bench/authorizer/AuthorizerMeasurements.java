package io.reel.bench.authorizer;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import io.reel.authorizer.AuthorizerHandler;
import io.reel.core.aws.DynamoDbUserStore;
import io.reel.core.domain.Role;
import io.reel.core.domain.User;
import io.reel.core.domain.UserStatus;
import io.reel.core.token.RsaKeys;
import io.reel.localaws.LocalAws;
import io.reel.localaws.ProvisionedResources;
import io.reel.localaws.ResourceNamer;
import io.reel.localaws.template.TemplateResources;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * Whole-process measurements of the authorizer function. {@code cold}: in a fresh JVM with the emulators already up
 * (their start is reported, not counted), the time to build {@link AuthorizerHandler} from its environment and
 * answer the first TOKEN event, then a second decision on the same token (verified-token cache hit) and one on a
 * token it has not seen (full verification, warm-ish JVM).
 *
 * <p>The test tokens are signed with the JDK's {@code SHA256withRSA} and hand-written JSON rather than with
 * {@code JwtTokenSigner}, so that loading and first use of java-jwt happen inside the timed region, as they do in a
 * Lambda container, which receives tokens and never signs one. The in-process emulators (DynamoDB Local, S3Proxy)
 * and the user-table set-up do load the AWS SDK and Jackson before the clock starts, which a real container would
 * pay for: the figures are a lower bound on a Lambda cold start's JVM work (there is no Lambda init or network).
 */
public final class AuthorizerMeasurements {
    private static final String ISSUER = "reel";
    private static final String AUDIENCE = "reel-api";
    private static final String USER_ID = "u-bench";
    private static final String USERNAME = "bench";
    private static final String METHOD_ARN = "arn:aws:execute-api:us-east-1:123456789012:abcdef1234/prod/GET/videos";

    private AuthorizerMeasurements() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !args[0].equals("cold")) {
            System.err.println("usage: AuthorizerMeasurements cold");
            System.exit(2);
        }
        try (LocalAws aws = LocalAws.builder().start()) {
            ProvisionedResources names = aws.provision(TemplateResources.locateTemplate(Path.of("")), ResourceNamer.plain());
            var users = new DynamoDbUserStore(aws.dynamoDb(), names.table("UsersTable"));
            users.create(new User(USER_ID, USERNAME, "$argon2id$not-used-here", Set.of(Role.VIEWER, Role.UPLOADER),
                    UserStatus.ACTIVE, 0, 0, null, null, Instant.now()));
            cold(aws, names);
        }
    }

    private static void cold(LocalAws aws, ProvisionedResources names) throws Exception {
        long launchedMs = ManagementFactory.getRuntimeMXBean().getStartTime();
        Path keys = Files.createTempDirectory("reel-keys");
        // The key the handler will load from REEL_LOCAL_KEYS_DIR/signing-key.pem.
        KeyPair keyPair = RsaKeys.loadOrCreate(keys.resolve("signing-key.pem"));
        String token = sign(keyPair, "jti-cold-1");
        String otherToken = sign(keyPair, "jti-cold-2");
        var env = aws.env().with(Map.of("USERS_TABLE", names.table("UsersTable"), "REEL_LOCAL_KEYS_DIR", keys.toString(),
                "TOKEN_ISSUER", ISSUER, "TOKEN_AUDIENCE", AUDIENCE));

        long start = System.nanoTime();
        var handler = new AuthorizerHandler(env);
        long built = System.nanoTime();
        Map<String, Object> first = handler.handleRequest(event(token), null);
        long decided = System.nanoTime();
        long launchToDecision = System.currentTimeMillis() - launchedMs;

        long secondStart = System.nanoTime();
        Map<String, Object> second = handler.handleRequest(event(token), null);
        long secondEnd = System.nanoTime();
        Map<String, Object> third = handler.handleRequest(event(otherToken), null);
        long thirdEnd = System.nanoTime();

        System.out.printf("cold: handler built in %d ms, first decision %d ms later (%d ms in all); JVM launch to decision %d ms"
                        + " (of which local AWS start %d ms); second decision %d µs (same token), then %d µs (a new token)%n",
                (built - start) / 1_000_000, (decided - built) / 1_000_000, (decided - start) / 1_000_000, launchToDecision,
                aws.startTime().toMillis(), (secondEnd - secondStart) / 1_000, (thirdEnd - secondEnd) / 1_000);
        for (Map<String, Object> answer : java.util.List.of(first, second, third)) {
            if (!USER_ID.equals(answer.get("principalId"))) {
                throw new IllegalStateException("cold: expected principalId " + USER_ID + ", got " + answer.get("principalId"));
            }
        }
    }

    private static APIGatewayCustomAuthorizerEvent event(String token) {
        var event = new APIGatewayCustomAuthorizerEvent();
        event.setType("TOKEN");
        event.setAuthorizationToken("Bearer " + token);
        event.setMethodArn(METHOD_ARN);
        return event;
    }

    /** An RS256 access token with the claims JwtTokenSigner writes, signed with the JDK alone. */
    private static String sign(KeyPair keys, String tokenId) throws GeneralSecurityException {
        long now = Instant.now().getEpochSecond();
        String header = "{\"kid\":\"" + RsaKeys.keyId((RSAPublicKey) keys.getPublic()) + "\",\"typ\":\"JWT\",\"alg\":\"RS256\"}";
        String payload = "{\"sub\":\"" + USER_ID + "\",\"aud\":\"" + AUDIENCE + "\",\"scope\":\"videos:read videos:upload\","
                + "\"iss\":\"" + ISSUER + "\",\"tv\":0,\"exp\":" + (now + 900) + ",\"iat\":" + now + ",\"jti\":\"" + tokenId
                + "\",\"preferred_username\":\"" + USERNAME + "\"}";
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        String signingInput = base64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + base64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(keys.getPrivate());
        rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + base64.encodeToString(rsa.sign());
    }
}
