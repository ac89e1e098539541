package io.reel.auth;

import io.reel.core.AwsClients;
import io.reel.core.Env;
import io.reel.core.Lazy;
import io.reel.core.aws.DynamoDbSessionStore;
import io.reel.core.aws.DynamoDbUserStore;
import io.reel.core.http.HttpResponses;
import io.reel.core.metrics.EmfMetrics;
import io.reel.core.security.Argon2idPasswordHasher;
import io.reel.core.security.EnvelopeFieldCipher;
import io.reel.core.security.KmsDataKeys;
import io.reel.core.security.LocalDataKeys;
import io.reel.core.security.PasswordPolicy;
import io.reel.core.token.JwtTokenSigner;
import io.reel.core.token.KmsRs256Algorithm;
import io.reel.core.token.RsaKeys;
import io.reel.core.users.UserAdmin;
import io.reel.core.token.Jwk;
import io.reel.core.token.VerificationKeys;
import java.util.Map;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.services.kms.KmsClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Builds the auth function's collaborators from its environment, once per container. Keys: with
 * {@code REEL_LOCAL_KEYS_DIR} (set by the devserver) a local key file stands in for each KMS key; otherwise
 * {@code SIGNING_KEY_ID} (RSA signing key) and {@code PII_KEY_ID} (symmetric key) name KMS keys.
 */
final class AuthWiring {
    private AuthWiring() {
    }

    static AuthHandler.Collaborators from(Env env) {
        AwsClients clients = AwsClients.create(env);
        // One KMS client for the signer, the PII keys and any retired keys, built only if AWS keys are in use.
        Supplier<KmsClient> kms = Lazy.of(clients::kms);
        var dynamoDb = clients.dynamoDb();
        var users = new DynamoDbUserStore(dynamoDb, env.string("USERS_TABLE"));
        var sessions = new DynamoDbSessionStore(dynamoDb, env.string("SESSIONS_TABLE"));
        String issuer = env.string("TOKEN_ISSUER", "reel");
        String audience = env.string("TOKEN_AUDIENCE", "reel-api");
        Optional<Path> localKeys = env.optional("REEL_LOCAL_KEYS_DIR").map(Path::of);
        JwtTokenSigner signer = localKeys
                .map(dir -> JwtTokenSigner.withKeyPair(issuer, audience, RsaKeys.loadOrCreate(dir.resolve("signing-key.pem"))))
                .orElseGet(() -> JwtTokenSigner.withKms(issuer, audience, new KmsRs256Algorithm(kms.get(), env.string("SIGNING_KEY_ID"))));
        EnvelopeFieldCipher.DataKeySource dataKeys = localKeys
                .<EnvelopeFieldCipher.DataKeySource>map(dir -> LocalDataKeys.fromFile(dir.resolve("pii.key")))
                .orElseGet(() -> new KmsDataKeys(kms.get(), env.string("PII_KEY_ID")));
        var cipher = new EnvelopeFieldCipher(dataKeys, Duration.ofMinutes(5), Clock.systemUTC());
        var hasher = Argon2idPasswordHasher.create();
        var metrics = new EmfMetrics("auth", System.out, Clock.systemUTC());
        var service = new AuthService(users, sessions, hasher, signer, AuthSettings.from(env), Clock.systemUTC(), hasher.dummyHash(),
                metrics);
        var admin = new UserAdmin(users, sessions, hasher, PasswordPolicy.create(), cipher, Clock.systemUTC());
        List<Jwk> published = new ArrayList<>(List.of(signer.jwk()));
        // Keys retired from signing stay published until every token they signed has expired, so rotation never
        // rejects a valid token.
        Map<String, RSAPublicKey> retired = localKeys.map(VerificationKeys::localRetired)
                .orElseGet(() -> VerificationKeys.kms(id -> kms.get().getPublicKey(r -> r.keyId(id)).publicKey().asByteArray(),
                        env.string("RETIRED_SIGNING_KEY_IDS", "")));
        retired.forEach((kid, key) -> published.add(Jwk.rs256(kid, key)));
        return new AuthHandler.Collaborators(service, admin, List.copyOf(published), HttpResponses.create(env),
                env.bool("REFRESH_COOKIE_SECURE", true));
    }
}
