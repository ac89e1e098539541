package io.reel.core.port;

/** Hashes and verifies passwords as PHC strings. */
public interface PasswordHasher {
    String hash(char[] password);

    boolean verify(char[] password, String encodedHash);

    /** True when the hash uses another algorithm or weaker parameters than this hasher's, so login should re-hash it. */
    boolean needsRehash(String encodedHash);
}
