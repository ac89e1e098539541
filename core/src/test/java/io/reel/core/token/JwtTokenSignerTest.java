package io.reel.core.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import io.reel.core.domain.Scope;
import io.reel.core.domain.TokenClaims;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtTokenSignerTest {
    private static final KeyPair KEYS = RsaKeys.generate();
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final JwtTokenSigner signer = JwtTokenSigner.withKeyPair("https://reel.local", "reel-api", KEYS);

    @Test
    void sign_writesEveryClaimAndTheKeyId() {
        String token = signer.sign(claims());

        var jwt = JWT.require(Algorithm.RSA256((RSAPublicKey) KEYS.getPublic(), null))
                .withIssuer("https://reel.local").withAudience("reel-api").build().verify(token);
        assertThat(jwt.getAlgorithm()).isEqualTo("RS256");
        assertThat(jwt.getKeyId()).isEqualTo(signer.keyId()).hasSize(16);
        assertThat(jwt.getSubject()).isEqualTo("u-1");
        assertThat(jwt.getIssuedAtAsInstant()).isEqualTo(NOW);
        assertThat(jwt.getExpiresAtAsInstant()).isEqualTo(NOW.plusSeconds(900));
        assertThat(jwt.getId()).isEqualTo("jti-1");
        assertThat(jwt.getClaim("scope").asString()).isEqualTo("admin videos:read");
        assertThat(jwt.getClaim("tv").asLong()).isEqualTo(7L);
        assertThat(jwt.getClaim("preferred_username").asString()).isEqualTo("ana");
    }

    @Test
    void signature_failsUnderAnotherKey() {
        String token = signer.sign(claims());
        RSAPublicKey other = (RSAPublicKey) RsaKeys.generate().getPublic();

        assertThatThrownBy(() -> JWT.require(Algorithm.RSA256(other, null)).build().verify(token))
                .isInstanceOf(SignatureVerificationException.class);
    }

    @Test
    void jwk_rebuildsThePublicKey() throws Exception {
        Jwk jwk = signer.jwk();

        RSAPublicKey rebuilt = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                new BigInteger(1, Base64.getUrlDecoder().decode(jwk.n())), new BigInteger(1, Base64.getUrlDecoder().decode(jwk.e()))));
        assertThat(jwk.kty()).isEqualTo("RSA");
        assertThat(jwk.alg()).isEqualTo("RS256");
        assertThat(jwk.use()).isEqualTo("sig");
        assertThat(jwk.kid()).isEqualTo(signer.keyId());
        assertThat(jwk.e()).isEqualTo("AQAB");
        assertThat(rebuilt).isEqualTo(KEYS.getPublic());
    }

    @Test
    void loadOrCreate_writesAPrivateFileOnceAndReadsItBack(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys/signing-key.pem");

        KeyPair first = RsaKeys.loadOrCreate(file);
        KeyPair again = RsaKeys.loadOrCreate(file);

        assertThat(again.getPublic()).isEqualTo(first.getPublic());
        assertThat(Files.readString(file)).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(RsaKeys.keyId((RSAPublicKey) first.getPublic())).isEqualTo(RsaKeys.keyId((RSAPublicKey) again.getPublic()));
    }

    @Test
    void read_whenNotAKey_saysSo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.pem");
        Files.writeString(file, "hello");

        assertThatThrownBy(() -> RsaKeys.read(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad.pem").hasMessageContaining("PEM");
    }

    private static TokenClaims claims() {
        return new TokenClaims("u-1", "ana", Set.of(Scope.VIDEOS_READ, Scope.ADMIN), 7, "jti-1", NOW, NOW.plusSeconds(900));
    }
}
