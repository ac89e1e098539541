package io.reel.core.security;

import io.reel.core.port.FieldCipher;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Field-level envelope encryption of personal data: each value is sealed with AES-256-GCM under a data key,
 * with the context (the username) as associated data, and stored with the data key wrapped by a master key
 * (KMS {@code GenerateDataKey}/{@code Decrypt} in AWS, a key file locally). Data keys are reused for a short
 * while and unwrapped keys are cached, so a warm container rarely calls KMS.
 *
 * <p>Envelope: {@code v1.<wrapped data key>.<nonce>.<ciphertext+tag>}, each part base64url.
 */
public final class EnvelopeFieldCipher implements FieldCipher {
    private static final String VERSION = "v1";
    private static final int NONCE_BYTES = 12;
    private static final int MAX_CACHED_UNWRAPPED = 256;

    private final DataKeySource keys;
    private final Duration reuseFor;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, byte[]> unwrapped = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
            return size() > MAX_CACHED_UNWRAPPED;
        }
    };
    private DataKey current;
    private Instant currentUntil = Instant.MIN;

    public EnvelopeFieldCipher(DataKeySource keys, Duration reuseFor, Clock clock) {
        this.keys = keys;
        this.reuseFor = reuseFor;
        this.clock = clock;
    }

    /** Where data keys come from and how they are unwrapped: KMS in AWS, a local master key otherwise. */
    public interface DataKeySource {
        DataKey newDataKey();

        byte[] unwrap(byte[] wrappedKey);
    }

    /** A fresh 256-bit data key and the same key wrapped by the master key. */
    public record DataKey(byte[] plaintext, byte[] wrapped) {
    }

    /** The value cannot be decrypted: wrong context, tampered, or its key is gone. Never says more. */
    public static final class FieldCipherException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FieldCipherException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @Override
    public String encrypt(String plaintext, String context) {
        DataKey key = dataKey();
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] sealed = gcm(Cipher.ENCRYPT_MODE, key.plaintext(), nonce, context, plaintext.getBytes(StandardCharsets.UTF_8));
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return VERSION + "." + b64.encodeToString(key.wrapped()) + "." + b64.encodeToString(nonce) + "." + b64.encodeToString(sealed);
    }

    @Override
    public String decrypt(String envelope, String context) {
        String[] parts = envelope == null ? new String[0] : envelope.split("\\.");
        if (parts.length != 4 || !VERSION.equals(parts[0])) {
            throw new FieldCipherException("Not an encrypted field", null);
        }
        try {
            Base64.Decoder b64 = Base64.getUrlDecoder();
            byte[] key = unwrap(parts[1]);
            byte[] plain = gcm(Cipher.DECRYPT_MODE, key, b64.decode(parts[2]), context, b64.decode(parts[3]));
            return new String(plain, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new FieldCipherException("The encrypted field is malformed", e);
        }
    }

    private synchronized DataKey dataKey() {
        Instant now = clock.instant();
        if (current == null || !now.isBefore(currentUntil)) {
            current = keys.newDataKey();
            currentUntil = now.plus(reuseFor);
        }
        return current;
    }

    private byte[] unwrap(String wrapped) {
        synchronized (unwrapped) {
            byte[] cached = unwrapped.get(wrapped);
            if (cached != null) {
                return cached;
            }
        }
        byte[] key;
        try {
            key = keys.unwrap(Base64.getUrlDecoder().decode(wrapped));
        } catch (RuntimeException e) {
            throw new FieldCipherException("The field's data key cannot be unwrapped", e);
        }
        synchronized (unwrapped) {
            unwrapped.put(wrapped, key);
        }
        return key;
    }

    private static byte[] gcm(int mode, byte[] key, byte[] nonce, String context, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new FieldCipherException("The encrypted field does not belong to this context or was altered", e);
        }
    }
}
