package io.reel.authorizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import io.reel.core.aws.DynamoDbUserStore;
import io.reel.core.domain.Role;
import io.reel.core.domain.TokenClaims;
import io.reel.core.domain.User;
import io.reel.core.domain.UserStatus;
import io.reel.core.token.JwtTokenSigner;
import io.reel.core.token.RsaKeys;
import io.reel.localaws.junit.AwsTestResources;
import io.reel.localaws.junit.FunctionOutput;
import io.reel.localaws.junit.LocalAwsExtension;
import io.reel.localaws.junit.StoredState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * SnapStart priming verifies a token and reads a user without effects: no write, no metric, no log line, and its
 * throwaway key grants nothing afterwards (a token signed the way priming signs one is refused).
 */
@ExtendWith(LocalAwsExtension.class)
class AuthorizerPrimingIT {
    private static final String ARN = "arn:aws:execute-api:us-east-1:123456789012:a1b2c3/prod/GET/videos";

    @TempDir
    Path keys;

    @Test
    void priming_leavesNoTrace_andAcceptsNothingNew(AwsTestResources aws) {
        new DynamoDbUserStore(aws.dynamoDb(), aws.table("UsersTable")).create(new User("u-ana", "ana", "$argon2id$unused",
                Set.of(Role.VIEWER), UserStatus.ACTIVE, 0, 0, null, null, Instant.now()));
        StoredState before = StoredState.of(aws);
        var primed = FunctionOutput.during(() -> new AuthorizerHandler(aws.env(Map.of("REEL_LOCAL_KEYS_DIR", keys.toString(),
                    "TOKEN_ISSUER", "urn:reel:test", "TOKEN_AUDIENCE", "reel-api"))),
                made -> made.priming().primeAndRestore());
        AuthorizerHandler handler = primed.value();

        assertThat(primed.jsonLines()).as("metrics and logs while priming").isEmpty();
        assertThat(StoredState.of(aws)).isEqualTo(before);
        Instant now = Instant.now();
        var claims = new TokenClaims("u-ana", "ana", Role.VIEWER.scopes(), 0, "t1", now, now.plus(Duration.ofMinutes(5)));
        String ours = JwtTokenSigner.withKeyPair("urn:reel:test", "reel-api", RsaKeys.loadOrCreate(keys.resolve("signing-key.pem")))
                .sign(claims);
        assertThat(handler.handleRequest(event(ours), null)).containsEntry("principalId", "u-ana");
        String throwaway = JwtTokenSigner.withKeyPair("urn:reel:snapstart-priming", "snapstart-priming", RsaKeys.generate())
                .sign(claims);
        assertThatThrownBy(() -> handler.handleRequest(event(throwaway), null)).isInstanceOf(Unauthorized.class);
    }

    private static APIGatewayCustomAuthorizerEvent event(String token) {
        var event = new APIGatewayCustomAuthorizerEvent();
        event.setType("TOKEN");
        event.setAuthorizationToken("Bearer " + token);
        event.setMethodArn(ARN);
        return event;
    }
}
