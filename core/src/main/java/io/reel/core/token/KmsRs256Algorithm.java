package io.reel.core.token;

import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.SignatureGenerationException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;
import java.security.interfaces.RSAPublicKey;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/**
 * RS256 whose private key stays in KMS: the JWS signing input is sent to KMS {@code Sign} (RSASSA-PKCS1-v1_5 with
 * SHA-256, the algorithm JWS calls RS256). The public key is fetched once, at construction, to publish in JWKS.
 * Verifying is not this class's job (the authorizer verifies with the public key, without calling KMS).
 */
public final class KmsRs256Algorithm extends Algorithm {
    private final KmsClient kms;
    private final String kmsKeyId;
    private final RSAPublicKey publicKey;

    public KmsRs256Algorithm(KmsClient kms, String kmsKeyId) {
        super("RS256", "SHA256withRSA");
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

    public RSAPublicKey publicKey() {
        return publicKey;
    }

    /** java-jwt hands over the header and payload already base64url-encoded; the JWS signing input joins them. */
    @Override
    public byte[] sign(byte[] headerBytes, byte[] payloadBytes) throws SignatureGenerationException {
        byte[] signingInput = new byte[headerBytes.length + 1 + payloadBytes.length];
        System.arraycopy(headerBytes, 0, signingInput, 0, headerBytes.length);
        signingInput[headerBytes.length] = '.';
        System.arraycopy(payloadBytes, 0, signingInput, headerBytes.length + 1, payloadBytes.length);
        return sign(signingInput);
    }

    @Override
    @SuppressWarnings("deprecation")
    public byte[] sign(byte[] contentBytes) throws SignatureGenerationException {
        try {
            return kms.sign(r -> r.keyId(kmsKeyId)
                    .message(SdkBytes.fromByteArray(contentBytes))
                    .messageType(MessageType.RAW)
                    .signingAlgorithm(SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256)).signature().asByteArray();
        } catch (SdkException e) {
            throw new SignatureGenerationException(this, e);
        }
    }

    @Override
    public void verify(DecodedJWT jwt) throws SignatureVerificationException {
        throw new UnsupportedOperationException("Verify tokens with the public key (JWKS), not through KMS");
    }
}
