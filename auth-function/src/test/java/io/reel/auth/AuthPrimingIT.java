package io.reel.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import io.reel.core.aws.DynamoDbUserStore;
import io.reel.core.domain.Role;
import io.reel.core.domain.User;
import io.reel.core.domain.UserStatus;
import io.reel.core.security.Argon2idPasswordHasher;
import io.reel.localaws.junit.AwsTestResources;
import io.reel.localaws.junit.FunctionOutput;
import io.reel.localaws.junit.LocalAwsExtension;
import io.reel.localaws.junit.StoredState;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * SnapStart priming runs a sign-in's reads, password check and signing with nothing written (a real failed sign-in
 * would write and delete a session row and count a metric), nothing logged, and sign-in working after it.
 */
@ExtendWith(LocalAwsExtension.class)
class AuthPrimingIT {
    private static final String PASSWORD = "correct horse battery staple";

    @TempDir
    Path keys;

    @Test
    void priming_writesNothing_countsNothing_logsNothing_andSignInStillWorks(AwsTestResources aws) {
        new DynamoDbUserStore(aws.dynamoDb(), aws.table("UsersTable")).create(new User("u-bianca", "bianca",
                Argon2idPasswordHasher.create().hash(PASSWORD.toCharArray()), Set.of(Role.VIEWER), UserStatus.ACTIVE, 0, 0, null,
                null, Instant.now()));
        StoredState before = StoredState.of(aws);
        var primed = FunctionOutput.during(() -> new AuthHandler(aws.env(Map.of("REEL_LOCAL_KEYS_DIR", keys.toString()))),
                made -> made.priming().primeAndRestore());
        AuthHandler handler = primed.value();

        assertThat(primed.jsonLines()).as("metrics and logs while priming").isEmpty();
        assertThat(StoredState.of(aws)).isEqualTo(before);
        var login = handler.handleRequest(new APIGatewayProxyRequestEvent().withHttpMethod("POST").withResource("/auth/login")
                .withHeaders(Map.of("Content-Type", "application/json"))
                .withBody("{\"username\":\"bianca\",\"password\":\"" + PASSWORD + "\"}"), null);
        assertThat(login.getStatusCode()).as(login.getBody()).isEqualTo(200);
        assertThat(StoredState.of(aws)).as("a real sign-in writes its session").isNotEqualTo(before);
    }
}
