package io.reel.localaws.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reel.core.domain.Scope;
import io.reel.core.domain.TokenClaims;
import io.reel.core.port.TokenVerifier.InvalidTokenException;
import io.reel.core.token.JwtTokenSigner;
import io.reel.core.token.JwtTokenVerifier;
import io.reel.core.token.KmsRs256Algorithm;
import io.reel.core.token.RsaKeys;
import io.reel.core.token.VerificationKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The authorizer's keys: from KMS {@code GetPublicKey} (against the fake KMS, which signs with real RSA keys, so a
 * token signed through the production KMS signer is verified with the key the authorizer loads) and from the
 * devserver's key folder, current and retired.
 */
class VerificationKeysTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private final FakeKms kms = new FakeKms();

    @Test
    void kmsKeys_verifyTokensSignedThroughKms_andARetiredKeyStaysUsableUntilDropped() {
        String current = kms.createSigningKey();
        String retired = kms.createSigningKey();
        String oldToken = JwtTokenSigner.withKms("iss", "aud", new KmsRs256Algorithm(kms, retired)).sign(claims());
        String newToken = JwtTokenSigner.withKms("iss", "aud", new KmsRs256Algorithm(kms, current)).sign(claims());

        Map<String, RSAPublicKey> both = VerificationKeys.kms(id -> kms.getPublicKey(r -> r.keyId(id)).publicKey().asByteArray(), current + ", " + retired + ",");
        assertThat(both).hasSize(2);
        var verifier = JwtTokenVerifier.rs256("iss", "aud", both, Duration.ofSeconds(30), Clock.fixed(NOW, java.time.ZoneOffset.UTC));
        assertThat(verifier.verify(newToken).subject()).isEqualTo("u-1");
        assertThat(verifier.verify(oldToken).subject()).as("in its grace period").isEqualTo("u-1");

        var afterGrace = JwtTokenVerifier.rs256("iss", "aud", VerificationKeys.kms(id -> kms.getPublicKey(r -> r.keyId(id)).publicKey().asByteArray(), current),
                Duration.ZERO, Clock.fixed(NOW, java.time.ZoneOffset.UTC));
        assertThat(afterGrace.verify(newToken).username()).isEqualTo("ana");
        assertThatThrownBy(() -> afterGrace.verify(oldToken)).as("rotated out").isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void localKeys_areTheSigningKeyAndTheRetiredFiles(@TempDir Path dir) throws Exception {
        KeyPair retired = RsaKeys.generate();
        KeyPair current = RsaKeys.loadOrCreate(dir.resolve("signing-key.pem"));
        RsaKeys.loadOrCreate(dir.resolve("retired-1.pem"));

        Map<String, RSAPublicKey> keys = VerificationKeys.local(dir);

        assertThat(keys).containsKey(RsaKeys.keyId((RSAPublicKey) current.getPublic()))
                .containsKey(RsaKeys.keyId((RSAPublicKey) RsaKeys.read(dir.resolve("retired-1.pem")).getPublic()))
                .doesNotContainKey(RsaKeys.keyId((RSAPublicKey) retired.getPublic()))
                .hasSize(2);
        assertThat(VerificationKeys.localRetired(dir)).hasSize(1);
    }

    private static TokenClaims claims() {
        return new TokenClaims("u-1", "ana", Set.of(Scope.VIDEOS_READ), 0, "j", NOW, NOW.plus(Duration.ofMinutes(15)));
    }
}
