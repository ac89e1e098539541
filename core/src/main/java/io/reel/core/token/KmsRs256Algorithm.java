package io.reel.core.token;

import java.security.interfaces.RSAPublicKey;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/**
 * RS256 whose private key stays in KMS: the JWS signing input is sent to KMS {@code Sign} (RSASSA-PKCS1-v1_5 with
 * SHA-256, the algorithm JWS calls RS256). The public key is fetched once, at construction, to publish in JWKS.
 * Verifying is not this class's job (the authorizer verifies with the public key, without calling KMS). A failed
 * {@code Sign} call is the SDK's exception, which the sign-in handler answers as a throttled or failed dependency.
 */
public final class KmsRs256Algorithm implements Rs256Key {
    private final KmsClient kms;
    private final String kmsKeyId;
    private final RSAPublicKey publicKey;

    public KmsRs256Algorithm(KmsClient kms, String kmsKeyId) {
        this.kms = kms;
        this.kmsKeyId = kmsKeyId;
        var response = kms.getPublicKey(r -> r.keyId(kmsKeyId));
        if (!response.signingAlgorithms().contains(SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256)) {
            throw new IllegalArgumentException("KMS key " + kmsKeyId + " cannot sign with RSASSA_PKCS1_V1_5_SHA_256; "
                    + "create it with KeySpec RSA_2048 (or larger) and KeyUsage SIGN_VERIFY");
        }
        this.publicKey = RsaKeys.publicKeyFromDer(response.publicKey().asByteArray());
    }

    /** The {@code kid} of tokens signed with this key: the public key's thumbprint, as for local keys. */
    public String keyId() {
        return RsaKeys.keyId(publicKey);
    }

    @Override
    public RSAPublicKey publicKey() {
        return publicKey;
    }

    @Override
    public byte[] sign(byte[] signingInput) {
        return kms.sign(r -> r.keyId(kmsKeyId)
                .message(SdkBytes.fromByteArray(signingInput))
                .messageType(MessageType.RAW)
                .signingAlgorithm(SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256)).signature().asByteArray();
    }
}
