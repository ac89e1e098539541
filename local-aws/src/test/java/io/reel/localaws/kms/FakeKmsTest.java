package io.reel.localaws.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import io.reel.core.domain.Scope;
import io.reel.core.domain.TokenClaims;
import io.reel.core.token.JwtTokenSigner;
import io.reel.core.token.KmsRs256Algorithm;
import io.reel.core.token.RsaKeys;
import java.security.Signature;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.model.DisabledException;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.InvalidKeyUsageException;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/** The fake does real cryptography, and core's KMS signer produces tokens anyone can verify with the public key. */
class FakeKmsTest {
    private final FakeKms kms = new FakeKms();

    @Test
    void sign_producesASha256WithRsaSignatureOfTheMessage() throws Exception {
        String key = kms.createSigningKey();
        byte[] message = "header.payload".getBytes();

        byte[] signature = kms.sign(r -> r.keyId(key).message(SdkBytes.fromByteArray(message)).messageType(MessageType.RAW)
                .signingAlgorithm(SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256)).signature().asByteArray();

        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(RsaKeys.publicKeyFromDer(kms.getPublicKey(r -> r.keyId(key)).publicKey().asByteArray()));
        verifier.update(message);
        assertThat(verifier.verify(signature)).isTrue();
    }

    @Test
    void kmsSigner_tokensVerifyWithThePublishedKey() {
        String key = kms.createSigningKey();
        var algorithm = new KmsRs256Algorithm(kms, key);
        JwtTokenSigner signer = JwtTokenSigner.withKms("https://reel", "reel-api", algorithm);
        Instant now = Instant.now();

        String token = signer.sign(new TokenClaims("u-1", "ana", Set.of(Scope.VIDEOS_READ), 0, "j", now, now.plusSeconds(60)));

        var jwt = JWT.require(Algorithm.RSA256(algorithm.publicKey(), null)).withAudience("reel-api").build().verify(token);
        assertThat(jwt.getKeyId()).isEqualTo(signer.keyId()).isEqualTo(signer.jwk().kid());
        assertThat(jwt.getSubject()).isEqualTo("u-1");
    }

    @Test
    void dataKeys_decryptOnlyWithTheSameContext() {
        String key = kms.createSymmetricKey();
        var dataKey = kms.generateDataKey(r -> r.keyId(key).numberOfBytes(32).encryptionContext(Map.of("user", "ana")));

        var plain = kms.decrypt(r -> r.ciphertextBlob(dataKey.ciphertextBlob()).encryptionContext(Map.of("user", "ana")));
        assertThat(plain.plaintext()).isEqualTo(dataKey.plaintext());
        assertThat(dataKey.plaintext().asByteArray()).hasSize(32);

        assertThatThrownBy(() -> kms.decrypt(r -> r.ciphertextBlob(dataKey.ciphertextBlob()).encryptionContext(Map.of("user", "bo"))))
                .isInstanceOf(InvalidCiphertextException.class);
        byte[] tampered = dataKey.ciphertextBlob().asByteArray();
        tampered[tampered.length - 1] ^= 1;
        assertThatThrownBy(() -> kms.decrypt(r -> r.ciphertextBlob(SdkBytes.fromByteArray(tampered)).encryptionContext(Map.of("user", "ana"))))
                .isInstanceOf(InvalidCiphertextException.class);
        assertThatThrownBy(() -> kms.decrypt(r -> r.ciphertextBlob(SdkBytes.fromByteArray(new byte[] {9, 9}))))
                .isInstanceOf(InvalidCiphertextException.class);
    }

    @Test
    void misuse_failsAsKmsDoes() {
        String signing = kms.createSigningKey();
        String symmetric = kms.createSymmetricKey();

        assertThatThrownBy(() -> kms.getPublicKey(r -> r.keyId("no-such-key"))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> kms.generateDataKey(r -> r.keyId(signing).numberOfBytes(32))).isInstanceOf(InvalidKeyUsageException.class);
        assertThatThrownBy(() -> new KmsRs256Algorithm(kms, symmetric)).isInstanceOf(InvalidKeyUsageException.class);
        assertThatThrownBy(() -> kms.sign(r -> r.keyId(signing).message(SdkBytes.fromByteArray(new byte[5000]))
                .messageType(MessageType.RAW).signingAlgorithm(SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256)))
                .isInstanceOf(KmsException.class)
                .satisfies(e -> assertThat(((KmsException) e).awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
        kms.disableKey(r -> r.keyId(signing));
        assertThatThrownBy(() -> kms.getPublicKey(r -> r.keyId(signing))).isInstanceOf(DisabledException.class);
    }
}
