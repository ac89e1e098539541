package io.reel.core.aws;

import java.nio.charset.StandardCharsets;

/**
 * Media-bucket object keys as the URL signers take them: the check that refuses anything that is not a plain relative
 * key, and the percent-encoding that puts a key into a URL path. S3 and CloudFront share both, so a key either signer
 * accepts names the same object through either.
 */
final class ObjectKeys {
    /** S3's limit on a key's length, in bytes of UTF-8. */
    static final int MAX_KEY_BYTES = 1024;
    private static final byte[] HEX_UPPER = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private ObjectKeys() {
    }

    /**
     * Refuses a key that is blank, starts with {@code /}, has {@code .} or {@code ..} segments (an HTTP client would
     * normalise them away, so the URL would name another path), control characters or unpaired surrogates, or is
     * longer than 1,024 bytes of UTF-8.
     */
    static void requireSafeKey(String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("key is blank");
        }
        if (key.charAt(0) == '/') {
            throw new IllegalArgumentException("key must not start with '/'");
        }
        int bytes = 0;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isISOControl(c)) {
                throw new IllegalArgumentException("key contains a control character at index " + i);
            }
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < key.length() && Character.isLowSurrogate(key.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("key contains an unpaired surrogate at index " + i);
            } else {
                bytes += 3;
            }
        }
        if (bytes > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("key is " + bytes + " bytes of UTF-8; S3 allows " + MAX_KEY_BYTES);
        }
        int start = 0;
        while (start <= key.length()) {
            int end = key.indexOf('/', start);
            if (end < 0) {
                end = key.length();
            }
            int length = end - start;
            if ((length == 1 || length == 2) && key.startsWith("..".substring(0, length), start)) {
                throw new IllegalArgumentException("key must not contain '.' or '..' segments");
            }
            start = end + 1;
        }
    }

    /**
     * Appends {@code key} as a URL path: every UTF-8 byte but RFC 3986's unreserved characters and {@code /} as
     * {@code %XX} (upper-case hex), exactly as the SDK's S3 marshaller encodes a key (so {@code +} is {@code %2B},
     * space {@code %20}, {@code ~} stays). Encoding is per character, so a prefix's encoding is a prefix of the
     * encoding of every key under it. The result is plain ASCII.
     */
    static void appendEncodedPath(StringBuilder out, String key) {
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x80) {
                appendAscii(out, c);
            } else {
                int end = Character.isHighSurrogate(c) && i + 1 < key.length() ? i + 2 : i + 1;
                for (byte b : key.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                    appendEscaped(out, b & 0xff);
                }
                i = end - 1;
            }
        }
    }

    static String encodePath(String key) {
        StringBuilder out = new StringBuilder(key.length() + 16);
        appendEncodedPath(out, key);
        return out.toString();
    }

    private static void appendAscii(StringBuilder out, char c) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '_' || c == '.' || c == '~' || c == '/') {
            out.append(c);
        } else {
            appendEscaped(out, c);
        }
    }

    private static void appendEscaped(StringBuilder out, int b) {
        out.append('%').append((char) HEX_UPPER[b >> 4]).append((char) HEX_UPPER[b & 0xf]);
    }
}
