package io.reel.core.security;

import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;

/** Data keys from KMS {@code GenerateDataKey}, unwrapped with {@code Decrypt}; the purpose is bound as encryption context. */
public final class KmsDataKeys implements EnvelopeFieldCipher.DataKeySource {
    private static final Map<String, String> CONTEXT = Map.of("purpose", "reel-pii");

    private final KmsClient kms;
    private final String keyId;

    public KmsDataKeys(KmsClient kms, String keyId) {
        this.kms = kms;
        this.keyId = keyId;
    }

    @Override
    public EnvelopeFieldCipher.DataKey newDataKey() {
        var response = kms.generateDataKey(r -> r.keyId(keyId).keySpec(DataKeySpec.AES_256).encryptionContext(CONTEXT));
        return new EnvelopeFieldCipher.DataKey(response.plaintext().asByteArray(), response.ciphertextBlob().asByteArray());
    }

    @Override
    public byte[] unwrap(byte[] wrappedKey) {
        return kms.decrypt(r -> r.ciphertextBlob(SdkBytes.fromByteArray(wrappedKey)).encryptionContext(CONTEXT)).plaintext().asByteArray();
    }
}
