package io.reel.core.port;

/**
 * Field-level envelope encryption of personal data. The context (such as the username) is bound as associated
 * data, so a ciphertext copied to another row does not decrypt.
 */
public interface FieldCipher {
    /** An opaque, self-describing envelope (key id, wrapped data key, nonce, ciphertext). */
    String encrypt(String plaintext, String context);

    String decrypt(String envelope, String context);
}
