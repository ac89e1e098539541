package io.reel.core.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** The local platform's stand-in for KMS: data keys wrapped with AES-256-GCM under a master key kept in a file. */
public final class LocalDataKeys implements EnvelopeFieldCipher.DataKeySource {
    private static final int NONCE_BYTES = 12;

    private final SecretKeySpec master;
    private final SecureRandom random = new SecureRandom();

    private LocalDataKeys(byte[] master) {
        this.master = new SecretKeySpec(master, "AES");
    }

    /** The master key in {@code file} (32 raw bytes, owner-readable only), created on first use. */
    public static LocalDataKeys fromFile(Path file) {
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        SecretFiles.createIfAbsent(file, fresh);
        try {
            byte[] key = Files.readAllBytes(file);
            if (key.length != 32) {
                throw new IllegalArgumentException("The key file " + file + " must hold 32 bytes, not " + key.length);
            }
            return new LocalDataKeys(key);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the key file " + file, e);
        }
    }

    @Override
    public EnvelopeFieldCipher.DataKey newDataKey() {
        byte[] key = new byte[32];
        random.nextBytes(key);
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] sealed = crypt(Cipher.ENCRYPT_MODE, nonce, key);
        byte[] wrapped = new byte[NONCE_BYTES + sealed.length];
        System.arraycopy(nonce, 0, wrapped, 0, NONCE_BYTES);
        System.arraycopy(sealed, 0, wrapped, NONCE_BYTES, sealed.length);
        return new EnvelopeFieldCipher.DataKey(key, wrapped);
    }

    @Override
    public byte[] unwrap(byte[] wrappedKey) {
        if (wrappedKey.length <= NONCE_BYTES) {
            throw new IllegalArgumentException("wrapped key too short");
        }
        byte[] nonce = java.util.Arrays.copyOfRange(wrappedKey, 0, NONCE_BYTES);
        return crypt(Cipher.DECRYPT_MODE, nonce, java.util.Arrays.copyOfRange(wrappedKey, NONCE_BYTES, wrappedKey.length));
    }

    private byte[] crypt(int mode, byte[] nonce, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, master, new GCMParameterSpec(128, nonce));
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("The data key does not unwrap under this master key", e);
        }
    }
}
