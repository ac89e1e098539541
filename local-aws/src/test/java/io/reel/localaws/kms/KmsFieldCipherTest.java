package io.reel.localaws.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reel.core.security.EnvelopeFieldCipher;
import io.reel.core.security.EnvelopeFieldCipher.FieldCipherException;
import io.reel.core.security.KmsDataKeys;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** core's KMS data-key adapter against the FakeKms: real GenerateDataKey/Decrypt with an encryption context. */
class KmsFieldCipherTest {
    private final FakeKms kms = new FakeKms();

    @Test
    void envelope_madeWithKms_decryptsInAnotherContainer() {
        String key = kms.createSymmetricKey();
        String envelope = new EnvelopeFieldCipher(new KmsDataKeys(kms, key), Duration.ofMinutes(5), Clock.systemUTC())
                .encrypt("ana@example.com", "ana");

        var coldContainer = new EnvelopeFieldCipher(new KmsDataKeys(kms, key), Duration.ofMinutes(5), Clock.systemUTC());

        assertThat(coldContainer.decrypt(envelope, "ana")).isEqualTo("ana@example.com");
    }

    @Test
    void disabledKey_makesFieldsUnreadable_withoutLeakingThem() {
        String key = kms.createSymmetricKey();
        String envelope = new EnvelopeFieldCipher(new KmsDataKeys(kms, key), Duration.ofMinutes(5), Clock.systemUTC())
                .encrypt("ana@example.com", "ana");
        kms.disableKey(r -> r.keyId(key));

        var coldContainer = new EnvelopeFieldCipher(new KmsDataKeys(kms, key), Duration.ofMinutes(5), Clock.systemUTC());

        assertThatThrownBy(() -> coldContainer.decrypt(envelope, "ana")).isInstanceOf(FieldCipherException.class)
                .message().doesNotContain("ana@example.com");
    }
}
