package io.reel.core.domain;

import java.security.SecureRandom;

/**
 * Video ids are made by the server, never chosen by a client: 16 random bytes (128 bits) from {@link SecureRandom},
 * written as lower-case RFC 4648 base32 without padding, so always 26 characters of {@code a-z} and {@code 2-7}.
 * Anything else ({@code ../}, {@code %2e%2e}, upper case, look-alike letters from other scripts) is not a video id, so an
 * id that passes {@link #isValid} is safe to put in an object key or a URL path as it is.
 */
public final class VideoIds {
    /** The length of every id: ceil(128 / 5). */
    public static final int LENGTH = 26;
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final int BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private VideoIds() {
    }

    /** A new random id. */
    public static String newId() {
        byte[] bytes = new byte[BYTES];
        RANDOM.nextBytes(bytes);
        return base32(bytes);
    }

    /** Whether this is exactly an id's shape: 26 characters, each in {@code a-z} or {@code 2-7}. Null is not. */
    public static boolean isValid(String id) {
        if (id == null || id.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = id.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '2' && c <= '7'))) {
                return false;
            }
        }
        return true;
    }

    /** The folder of the video's objects in the media bucket: {@code videos/{id}/}. */
    public static String mediaPrefix(String id) {
        if (!isValid(id)) {
            throw new IllegalArgumentException("Not a video id");
        }
        return "videos/" + id + "/";
    }

    static String base32(byte[] bytes) {
        StringBuilder out = new StringBuilder((bytes.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(ALPHABET[(buffer >>> (bits - 5)) & 0x1f]);
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(ALPHABET[(buffer << (5 - bits)) & 0x1f]);
        }
        return out.toString();
    }
}
