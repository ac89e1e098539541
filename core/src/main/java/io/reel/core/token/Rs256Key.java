package io.reel.core.token;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;

/**
 * Where RS256 signatures (RSASSA-PKCS1-v1_5 with SHA-256) come from: a private key in memory (the local platform's
 * key file) or KMS ({@link KmsRs256Algorithm}), whose private key never leaves it.
 */
public interface Rs256Key {
    /** The public half: published in JWKS, its thumbprint is the tokens' {@code kid}. */
    RSAPublicKey publicKey();

    /** The signature of a JWS signing input ({@code base64url(header) "." base64url(payload)}, ASCII). */
    byte[] sign(byte[] signingInput);

    static Rs256Key inMemory(KeyPair keys) {
        RSAPublicKey publicKey = (RSAPublicKey) keys.getPublic();
        RSAPrivateKey privateKey = (RSAPrivateKey) keys.getPrivate();
        return new Rs256Key() {
            @Override
            public RSAPublicKey publicKey() {
                return publicKey;
            }

            @Override
            public byte[] sign(byte[] signingInput) {
                try {
                    Signature signature = Signature.getInstance("SHA256withRSA"); // not thread-safe: one per token
                    signature.initSign(privateKey);
                    signature.update(signingInput);
                    return signature.sign();
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("Cannot sign with the in-memory RSA key", e);
                }
            }
        };
    }
}
