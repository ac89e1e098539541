package io.reel.bench.authorizer;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.interfaces.DecodedJWT;
import io.reel.authorizer.Authorizer;
import io.reel.core.aws.DynamoDbUserStore;
import io.reel.core.domain.Role;
import io.reel.core.domain.Scope;
import io.reel.core.domain.TokenClaims;
import io.reel.core.domain.User;
import io.reel.core.domain.UserStatus;
import io.reel.core.log.JsonLog;
import io.reel.core.token.JwtTokenSigner;
import io.reel.core.token.JwtTokenVerifier;
import io.reel.core.token.RsaKeys;
import io.reel.localaws.LocalAws;
import io.reel.localaws.ResourceNamer;
import io.reel.localaws.template.TemplateResources;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
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
 * The authorizer's warm decision against DynamoDB Local on this JVM, with the real {@link JwtTokenVerifier} (RS256,
 * a local 2048-bit key) and {@link DynamoDbUserStore}. The issue's targets: p50 at most 150 µs for a token the
 * container has not verified yet ({@link #freshToken}, {@link #freshTokenFromPool}), at most 5 µs for a token it has
 * ({@link #repeatedToken}). {@link #freshTokenUncachedStanding} reads {@code Users} on every call, for context only;
 * {@link #verifyOnly} and {@link #signatureOnly} break the fresh-token cost down. SampleTime gives percentiles; the
 * default JIT is used, as in Lambda.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
public class AuthorizerBenchmark {
    static final String ISSUER = "reel";
    static final String AUDIENCE = "reel-api";
    static final String METHOD_ARN = "arn:aws:execute-api:us-east-1:123456789012:abcdef1234/prod/GET/videos";
    static final String USER_ID = "u-bench";
    /** Distinct tokens signed at setup for {@link #freshTokenFromPool}; the verified-token cache holds half of them. */
    static final int POOL_SIZE = 2_000;
    static final int POOL_CACHE_SIZE = POOL_SIZE / 2;

    private LocalAws aws;
    private JwtTokenSigner signer;
    private JwtTokenVerifier verifier;
    private String username;
    private String header;
    private String token;
    private DecodedJWT decoded;
    private Algorithm rs256;

    /** Both caches on (standing kept 30 s, the most allowed): the repeated token is served from them. */
    private Authorizer cached;
    /** No verified-token cache: every call parses and verifies. Standing kept 30 s. */
    private Authorizer noTokenCache;
    /** A normal (LRU) verified-token cache smaller than the pool the calls cycle through. */
    private Authorizer poolSizedCache;
    /** No caches at all: every call also reads {@code Users} from DynamoDB Local. */
    private Authorizer uncached;

    private String[] pool;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        aws = LocalAws.builder().start();
        var names = aws.provision(TemplateResources.locateTemplate(Path.of("")), ResourceNamer.withSuffix("bench"));
        var users = new DynamoDbUserStore(aws.dynamoDb(), names.table("UsersTable"));
        username = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        users.create(new User(USER_ID, username, "$argon2id$not-used-here", Set.of(Role.VIEWER, Role.UPLOADER),
                UserStatus.ACTIVE, 0, 0, null, null, Instant.now()));

        KeyPair keys = RsaKeys.generate();
        signer = JwtTokenSigner.withKeyPair(ISSUER, AUDIENCE, keys);
        Clock clock = Clock.systemUTC();
        verifier = JwtTokenVerifier.rs256(ISSUER, AUDIENCE, Map.of(signer.keyId(), (RSAPublicKey) keys.getPublic()),
                JwtTokenVerifier.MAX_LEEWAY, clock);
        JsonLog log = JsonLog.create(Authorizer.class); // only refusals log, and none happen here

        cached = new Authorizer(verifier, users, new Authorizer.Settings(Authorizer.MAX_STANDING_TTL, 10_000, 10_000), clock, log);
        // tokenCacheSize 0: BoundedCache evicts the eldest entry whenever its size exceeds 0, so each put is dropped
        // at once and every get misses. Each call therefore does exactly what the first call with a never-seen token
        // does (length and prefix checks, cache miss, parse, RS256 verification, claim checks, cache put, standing
        // lookup, policy and context): for the authorizer the token is fresh every time.
        noTokenCache = new Authorizer(verifier, users, new Authorizer.Settings(Authorizer.MAX_STANDING_TTL, 0, 10_000), clock, log);
        // The same with really distinct tokens and a working cache: calls cycle through POOL_SIZE tokens in order and
        // the LRU keeps POOL_CACHE_SIZE, so a token has always been evicted (POOL_SIZE - POOL_CACHE_SIZE calls ago)
        // by the time it comes round again: every call misses, and pays for the eviction as a full cache would.
        poolSizedCache = new Authorizer(verifier, users,
                new Authorizer.Settings(Authorizer.MAX_STANDING_TTL, POOL_CACHE_SIZE, 10_000), clock, log);
        uncached = new Authorizer(verifier, users, new Authorizer.Settings(Duration.ZERO, 0, 10_000), clock, log);

        token = sign("jti-repeated");
        header = "Bearer " + token;
        decoded = JWT.decode(token);
        rs256 = Algorithm.RSA256((RSAPublicKey) keys.getPublic(), null);

        long started = System.nanoTime();
        pool = new String[POOL_SIZE];
        for (int i = 0; i < POOL_SIZE; i++) {
            pool[i] = "Bearer " + sign("jti-pool-" + i);
        }
        System.out.printf("%nSigned %d pool tokens in %d ms%n", POOL_SIZE, (System.nanoTime() - started) / 1_000_000);

        for (Authorizer authorizer : new Authorizer[] {cached, noTokenCache, poolSizedCache, uncached}) {
            Object principal = authorizer.authorize(header, METHOD_ARN).get("principalId");
            if (!USER_ID.equals(principal)) {
                throw new IllegalStateException("Expected principal " + USER_ID + ", got " + principal);
            }
        }
    }

    private String sign(String tokenId) {
        Instant now = Instant.now();
        // Valid for far longer than a run, so no token expires mid-measurement.
        return signer.sign(new TokenClaims(USER_ID, username, Set.of(Scope.VIDEOS_READ, Scope.VIDEOS_UPLOAD), 0, tokenId, now,
                now.plus(Duration.ofHours(6))));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        aws.close();
    }

    /** The same valid token every call: verified-token cache hit and standing cache hit. */
    @Benchmark
    public Map<String, Object> repeatedToken() {
        return cached.authorize(header, METHOD_ARN);
    }

    /** A token the authorizer has not verified (its cache never holds one); standing cached. */
    @Benchmark
    public Map<String, Object> freshToken() {
        return noTokenCache.authorize(header, METHOD_ARN);
    }

    /** A different token every call, through a normal cache that has always evicted it; standing cached. */
    @Benchmark
    public Map<String, Object> freshTokenFromPool() {
        String pooled = pool[next];
        next = next + 1 == POOL_SIZE ? 0 : next + 1;
        return poolSizedCache.authorize(pooled, METHOD_ARN);
    }

    /** Fresh token and no standing cache: every decision reads {@code Users} from DynamoDB Local. Context only. */
    @Benchmark
    public Map<String, Object> freshTokenUncachedStanding() {
        return uncached.authorize(header, METHOD_ARN);
    }

    /** {@link JwtTokenVerifier#verify} alone: shape check, decode, RS256 signature, claim checks, claims built. */
    @Benchmark
    public TokenClaims verifyOnly() {
        return verifier.verify(token);
    }

    /** The RS256 signature check alone (SHA-256 and the RSA public-key operation) on an already decoded token. */
    @Benchmark
    public DecodedJWT signatureOnly() {
        rs256.verify(decoded);
        return decoded;
    }
}
