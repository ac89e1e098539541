package io.reel.bench.auth;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import io.reel.auth.AuthException;
import io.reel.auth.AuthHandler;
import io.reel.auth.AuthService;
import io.reel.auth.AuthSettings;
import io.reel.core.aws.DynamoDbSessionStore;
import io.reel.core.aws.DynamoDbUserStore;
import io.reel.core.domain.Role;
import io.reel.core.domain.User;
import io.reel.core.domain.UserStatus;
import io.reel.core.metrics.Metrics;
import io.reel.core.security.Argon2idPasswordHasher;
import io.reel.core.token.JwtTokenSigner;
import io.reel.core.token.RsaKeys;
import io.reel.localaws.LocalAws;
import io.reel.localaws.ProvisionedResources;
import io.reel.localaws.ResourceNamer;
import io.reel.localaws.template.TemplateResources;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * Whole-process measurements of the auth function. {@code parity N}: unknown-user and wrong-password logins
 * interleaved in one warm JVM (so JIT and GC state are shared), N pairs, medians compared. {@code cold}: in a fresh
 * JVM with the emulators already up, the time to build the handler and answer the first login.
 */
public final class AuthMeasurements {
    private static final char[] PASSWORD = "correct horse battery staple".toCharArray();

    private AuthMeasurements() {
    }

    public static void main(String[] args) throws Exception {
        try (LocalAws aws = LocalAws.builder().start()) {
            ProvisionedResources names = aws.provision(TemplateResources.locateTemplate(Path.of("")), ResourceNamer.plain());
            var users = new DynamoDbUserStore(aws.dynamoDb(), names.table("UsersTable"));
            var hasher = Argon2idPasswordHasher.create();
            users.create(new User("u-bench", "bench", hasher.hash(PASSWORD), Set.of(Role.VIEWER), UserStatus.ACTIVE, 0, 0, null,
                    null, Instant.now()));
            if (args.length > 0 && args[0].equals("cold")) {
                cold(aws, names);
            } else {
                parity(aws, names, users, hasher, args.length > 1 ? Integer.parseInt(args[1]) : 200);
            }
        }
    }

    private static void cold(LocalAws aws, ProvisionedResources names) throws Exception {
        long launchedMs = ManagementFactory.getRuntimeMXBean().getStartTime();
        Path keys = Files.createTempDirectory("reel-keys");
        long start = System.nanoTime();
        var handler = new AuthHandler(aws.env().with(Map.of("USERS_TABLE", names.table("UsersTable"),
                "SESSIONS_TABLE", names.table("SessionsTable"), "REEL_LOCAL_KEYS_DIR", keys.toString())));
        long built = System.nanoTime();
        var response = handler.handleRequest(new APIGatewayProxyRequestEvent().withHttpMethod("POST").withResource("/auth/login")
                .withBody("{\"username\":\"bench\",\"password\":\"correct horse battery staple\"}"), null);
        long answered = System.nanoTime();
        System.out.printf("cold: status %d; handler built in %d ms, first login answered %d ms later (%d ms in all); "
                        + "JVM launch to answer %d ms, of which local AWS start %d ms%n", response.getStatusCode(),
                (built - start) / 1_000_000, (answered - built) / 1_000_000, (answered - start) / 1_000_000,
                System.currentTimeMillis() - launchedMs, aws.startTime().toMillis());
    }

    private static void parity(LocalAws aws, ProvisionedResources names, DynamoDbUserStore users, Argon2idPasswordHasher hasher,
                               int pairs) {
        var settings = new AuthSettings(Duration.ofMinutes(15), Duration.ofDays(30), Duration.ofDays(90), Integer.MAX_VALUE,
                Duration.ofMinutes(15), Duration.ofMinutes(15), Duration.ofSeconds(15));
        var auth = new AuthService(users, new DynamoDbSessionStore(aws.dynamoDb(), names.table("SessionsTable")), hasher,
                JwtTokenSigner.withKeyPair("reel", "reel-api", RsaKeys.generate()), settings, Clock.systemUTC(),
                hasher.dummyHash(), Metrics.none());
        for (int i = 0; i < 40; i++) {
            time(auth, "nobody", "x x x x x x x x x x x x");
            time(auth, "bench", "x x x x x x x x x x x x");
        }
        long[] unknown = new long[pairs];
        long[] wrong = new long[pairs];
        for (int i = 0; i < pairs; i++) {
            // Alternate which goes first, so neither always follows the other's garbage.
            if (i % 2 == 0) {
                unknown[i] = time(auth, "nobody", "x x x x x x x x x x x x");
                wrong[i] = time(auth, "bench", "x x x x x x x x x x x x");
            } else {
                wrong[i] = time(auth, "bench", "x x x x x x x x x x x x");
                unknown[i] = time(auth, "nobody", "x x x x x x x x x x x x");
            }
        }
        double u = median(unknown) / 1e6;
        double w = median(wrong) / 1e6;
        System.out.printf("parity: %d interleaved pairs; median unknown user %.2f ms, wrong password %.2f ms; "
                + "difference %.1f %% of the wrong-password median%n", pairs, u, w, 100 * Math.abs(u - w) / w);
        long[] hashAlone = new long[pairs];
        long[] login = new long[pairs];
        for (int i = 0; i < pairs; i++) {
            long start = System.nanoTime();
            hasher.hash(PASSWORD);
            hashAlone[i] = System.nanoTime() - start;
            login[i] = time(auth, "bench", new String(PASSWORD));
        }
        double h = median(hashAlone) / 1e6;
        double l = median(login) / 1e6;
        System.out.printf("parity: %d interleaved pairs; median Argon2id hash alone %.2f ms, successful login %.2f ms; "
                + "ratio %.2f%n", pairs, h, l, l / h);
        breakdown(users, hasher, pairs);
    }

    /** What a login's steps cost one by one, on the same JVM, to see where the time over the hash goes. */
    private static void breakdown(DynamoDbUserStore users, Argon2idPasswordHasher hasher, int rounds) {
        var signer = JwtTokenSigner.withKeyPair("reel", "reel-api", RsaKeys.generate());
        String hash = users.findByUsername("bench").orElseThrow().passwordHash();
        long[] read = new long[rounds];
        long[] verify = new long[rounds];
        long[] sign = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            users.findByUsername("bench");
            read[i] = System.nanoTime() - start;
            start = System.nanoTime();
            hasher.verify(PASSWORD, hash);
            verify[i] = System.nanoTime() - start;
            start = System.nanoTime();
            Instant now = Instant.now();
            signer.sign(new io.reel.core.domain.TokenClaims("u-bench", "bench", Set.of(), 0, "j", now, now.plusSeconds(900)));
            sign[i] = System.nanoTime() - start;
        }
        System.out.printf("parity: breakdown over %d rounds; median user read %.2f ms, Argon2id verify %.2f ms, RS256 sign %.2f ms%n",
                rounds, median(read) / 1e6, median(verify) / 1e6, median(sign) / 1e6);
    }

    private static long time(AuthService auth, String username, String password) {
        long start = System.nanoTime();
        try {
            auth.login(username, password.toCharArray());
        } catch (AuthException expected) {
            // both paths end here
        }
        return System.nanoTime() - start;
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2.0;
    }
}
