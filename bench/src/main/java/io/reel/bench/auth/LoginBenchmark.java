package io.reel.bench.auth;

import io.reel.auth.AuthException;
import io.reel.auth.AuthService;
import io.reel.auth.AuthSettings;
import io.reel.core.aws.DynamoDbSessionStore;
import io.reel.core.aws.DynamoDbUserStore;
import io.reel.core.domain.Role;
import io.reel.core.domain.Scope;
import io.reel.core.domain.TokenClaims;
import io.reel.core.domain.User;
import io.reel.core.domain.UserStatus;
import io.reel.core.metrics.Metrics;
import io.reel.core.security.Argon2idPasswordHasher;
import io.reel.core.token.JwtTokenSigner;
import io.reel.core.token.RsaKeys;
import io.reel.localaws.LocalAws;
import io.reel.localaws.ResourceNamer;
import io.reel.localaws.template.TemplateResources;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Login cost against DynamoDB Local on this JVM, next to the Argon2id hash alone (the goal: login p50 at most
 * 1.15 × the hash), unknown user next to wrong password (goal: medians within 5 %), and RS256 signing with the
 * local key. SampleTime gives percentiles; the default JIT is used, as in Lambda.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 4, time = 4)
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
public class LoginBenchmark {
    private static final char[] PASSWORD = "correct horse battery staple".toCharArray();
    private static final char[] WRONG = "wrong horse battery staple".toCharArray();

    private LocalAws aws;
    private AuthService auth;
    private Argon2idPasswordHasher hasher;
    private JwtTokenSigner signer;
    private String username;
    private TokenClaims claims;

    @Setup(Level.Trial)
    public void setUp() {
        aws = LocalAws.builder().start();
        var names = aws.provision(TemplateResources.locateTemplate(Path.of("")), ResourceNamer.withSuffix("bench"));
        var users = new DynamoDbUserStore(aws.dynamoDb(), names.table("UsersTable"));
        var sessions = new DynamoDbSessionStore(aws.dynamoDb(), names.table("SessionsTable"));
        hasher = Argon2idPasswordHasher.create();
        signer = JwtTokenSigner.withKeyPair("reel", "reel-api", RsaKeys.generate());
        // No back-off, so the wrong-password loop measures verification, not 429s.
        var settings = new AuthSettings(Duration.ofMinutes(15), Duration.ofDays(30), Duration.ofDays(90), Integer.MAX_VALUE,
                Duration.ofMinutes(15), Duration.ofMinutes(15), Duration.ofSeconds(15));
        auth = new AuthService(users, sessions, hasher, signer, settings, Clock.systemUTC(), hasher.dummyHash(), Metrics.none());
        username = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        users.create(new User("u-bench", username, hasher.hash(PASSWORD), Set.of(Role.VIEWER), UserStatus.ACTIVE, 0, 0, null,
                null, Instant.now()));
        claims = new TokenClaims("u-bench", username, Set.of(Scope.VIDEOS_READ), 0, "jti", Instant.now(),
                Instant.now().plusSeconds(900));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        aws.close();
    }

    @Benchmark
    public String argon2idHashAlone() {
        return hasher.hash(PASSWORD);
    }

    @Benchmark
    public String login() {
        return auth.login(username, PASSWORD).accessToken();
    }

    @Benchmark
    public Object loginWrongPassword() {
        return attempt(username, WRONG);
    }

    @Benchmark
    public Object loginUnknownUser() {
        return attempt("nobody-here", PASSWORD);
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public String signAccessToken() {
        return signer.sign(claims);
    }

    private Object attempt(String name, char[] password) {
        try {
            return auth.login(name, password);
        } catch (AuthException e) {
            return e.kind();
        }
    }
}
