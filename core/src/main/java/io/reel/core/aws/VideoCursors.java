package io.reel.core.aws;

import io.reel.core.domain.InvalidCursorException;
import io.reel.core.domain.VideoIds;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/**
 * The listing cursors of {@link DynamoDbVideoStore} and the sortable {@code createdAt} they carry: base64url text of
 * the last item's {@code createdAt} and {@code videoId} only, never DynamoDB keys, checked strictly on the way in.
 */
final class VideoCursors {
    static final int MAX_CURSOR_LENGTH = 256;
    private static final char CURSOR_SEPARATOR = '|';
    private static final DateTimeFormatter SORTABLE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private VideoCursors() {
    }

    /** Where a listing stopped: the last item's sort key (in its stored, sortable form) and id. */
    record Position(String createdAt, String videoId) {
    }

    static String encode(Position position) {
        String text = position.createdAt() + CURSOR_SEPARATOR + position.videoId();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** The position in a cursor we issued; {@link InvalidCursorException} for anything else. */
    static Position decode(String cursor) {
        if (cursor.isEmpty() || cursor.length() > MAX_CURSOR_LENGTH) {
            throw new InvalidCursorException();
        }
        for (int i = 0; i < cursor.length(); i++) {
            char c = cursor.charAt(i);
            boolean base64url = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!base64url) {
                throw new InvalidCursorException(); // includes '=' padding, '+' and '/', which we never issue
            }
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(cursor);
        } catch (IllegalArgumentException e) {
            throw new InvalidCursorException(e);
        }
        // Only the one canonical spelling of the bytes (the decoder ignores stray low bits of the last character).
        if (!Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(cursor)) {
            throw new InvalidCursorException();
        }
        for (byte b : bytes) {
            if (b < 0x21 || b > 0x7e) {
                throw new InvalidCursorException(); // printable ASCII only, so no decoding ambiguity
            }
        }
        String text = new String(bytes, StandardCharsets.US_ASCII);
        int separator = text.indexOf(CURSOR_SEPARATOR);
        if (separator < 0 || separator != text.lastIndexOf(CURSOR_SEPARATOR)) {
            throw new InvalidCursorException();
        }
        String createdAt = text.substring(0, separator);
        String videoId = text.substring(separator + 1);
        if (!VideoIds.isValid(videoId)) {
            throw new InvalidCursorException();
        }
        try {
            if (!sortable(Instant.parse(createdAt)).equals(createdAt)) {
                throw new InvalidCursorException();
            }
        } catch (DateTimeException e) {
            throw new InvalidCursorException(e);
        }
        return new Position(createdAt, videoId);
    }

    /** {@code createdAt} as stored: fixed width, so text order is time order (years 0000 to 9999). */
    static String sortable(Instant instant) {
        return SORTABLE.format(instant);
    }
}
