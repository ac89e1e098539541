package io.reel.media;

import io.reel.core.domain.DisplayText;
import io.reel.core.http.Problem;
import java.math.BigInteger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a client may ask of the upload routes, checked before anything is stored or signed: the first thing wrong with
 * a request as a 400 (413 for a file over the limit) whose detail names the field. Pure, no I/O.
 */
final class UploadRules {
    /** The video types accepted, with the file name extensions each may have. */
    static final Map<String, List<String>> TYPES = types();
    static final int MAX_FILE_NAME = 255;
    /** S3's limit on the parts of one multipart upload. */
    static final int MAX_PARTS = 10_000;
    static final int MAX_ETAG = 128;
    static final int MAX_UPLOAD_ID = 1_024;

    /** Whether {@code id} can be an S3 multipart upload id: printable ASCII, no spaces, at most {@link #MAX_UPLOAD_ID}. */
    static boolean wellFormedUploadId(String id) {
        return !id.isEmpty() && id.length() <= MAX_UPLOAD_ID && id.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }

    private UploadRules() {
    }

    /**
     * The body of {@code POST /uploads}; {@code size} is kept as the JSON value it was (io.reel.core.JsonBodies) so 1.5
     * or "12" are refused, not rounded.
     */
    record NewUpload(String title, String description, String fileName, String contentType, Object size) {
    }

    /** The body of {@code POST /uploads/{id}/complete}. */
    record CompleteUpload(String uploadId, List<UploadedPart> parts) {
    }

    /** One part as the client uploaded it, with the ETag S3 answered its PUT with. */
    record UploadedPart(Object partNumber, String etag) {
    }

    private static Map<String, List<String>> types() {
        Map<String, List<String>> types = new LinkedHashMap<>();
        types.put("video/mp4", List.of("mp4", "m4v"));
        types.put("video/quicktime", List.of("mov"));
        types.put("video/x-matroska", List.of("mkv"));
        types.put("video/webm", List.of("webm"));
        return Collections.unmodifiableMap(types);
    }

    /** The first thing wrong with a new upload, or empty when it may go ahead. */
    static Optional<Problem> checkNew(NewUpload upload, long maxBytes) {
        String title = upload.title() == null ? null : upload.title().strip();
        if (title == null || title.isEmpty() || title.codePointCount(0, title.length()) > MediaRoutes.MAX_TITLE) {
            return bad("title must be 1 to " + MediaRoutes.MAX_TITLE + " characters (leading and trailing spaces are ignored).");
        }
        Optional<String> unreadableTitle = DisplayText.problem(title, false);
        if (unreadableTitle.isPresent()) {
            return bad("title " + unreadableTitle.get());
        }
        String description = upload.description();
        if (description != null && description.codePointCount(0, description.length()) > MediaRoutes.MAX_DESCRIPTION) {
            return bad("description must be at most " + MediaRoutes.MAX_DESCRIPTION + " characters.");
        }
        Optional<String> unreadableDescription = description == null ? Optional.empty() : DisplayText.problem(description, true);
        if (unreadableDescription.isPresent()) {
            return bad("description " + unreadableDescription.get());
        }
        Optional<Problem> fileName = checkFileName(upload.fileName());
        if (fileName.isPresent()) {
            return fileName;
        }
        String contentType = upload.contentType() == null ? null : upload.contentType().toLowerCase(Locale.ROOT);
        if (contentType == null || !TYPES.containsKey(contentType)) {
            return bad("contentType must be one of " + String.join(", ", TYPES.keySet()) + ".");
        }
        String extension = extension(upload.fileName());
        if (!TYPES.get(contentType).contains(extension)) {
            return bad("fileName ends in ." + extension + ", which does not match contentType " + contentType + " (expected "
                    + String.join(" or ", TYPES.get(contentType).stream().map(e -> "." + e).toList()) + ").");
        }
        return checkSize(upload.size(), maxBytes);
    }

    static Optional<Problem> checkFileName(String fileName) {
        if (fileName == null || fileName.isEmpty() || fileName.codePointCount(0, fileName.length()) > MAX_FILE_NAME) {
            return bad("fileName must be 1 to " + MAX_FILE_NAME + " characters, such as holiday.mp4.");
        }
        if (!isPrintable(fileName)) {
            return bad("fileName must not contain control or invisible formatting characters.");
        }
        if (fileName.indexOf('/') >= 0 || fileName.indexOf('\\') >= 0) {
            return bad("fileName must be a plain file name, without '/' or '\\'.");
        }
        String extension = extension(fileName);
        if (extension == null || TYPES.values().stream().noneMatch(list -> list.contains(extension))) {
            return bad("fileName must end in " + String.join(", ", TYPES.values().stream().flatMap(List::stream)
                    .map(e -> "." + e).toList()) + ".");
        }
        return Optional.empty();
    }

    /** The file's size: a whole number of bytes from 1 to {@code maxBytes}; over it is a 413. */
    static Optional<Problem> checkSize(Object size, long maxBytes) {
        if (size == null) {
            return bad("size is required: the file's size in bytes.");
        }
        BigInteger bytes = wholeNumber(size);
        if (bytes == null) {
            return bad("size must be a whole number of bytes.");
        }
        if (bytes.signum() <= 0) {
            return bad("size must be at least 1 byte.");
        }
        if (bytes.compareTo(BigInteger.valueOf(maxBytes)) > 0) {
            return Optional.of(Problem.payloadTooLarge("size is " + bytes + " bytes; the largest upload accepted is " + maxBytes
                    + " bytes (" + readable(maxBytes) + ")."));
        }
        return Optional.empty();
    }

    /** The first thing wrong with a completion request, or empty when it may be sent to S3. */
    static Optional<Problem> checkCompletion(CompleteUpload completion) {
        String uploadId = completion.uploadId();
        if (uploadId == null || uploadId.isBlank()) {
            return bad("uploadId is required: the one POST /uploads answered with.");
        }
        if (!wellFormedUploadId(uploadId)) {
            return bad("uploadId is not an upload id: use the one POST /uploads answered with.");
        }
        List<UploadedPart> parts = completion.parts();
        if (parts == null || parts.isEmpty() || parts.size() > MAX_PARTS) {
            return bad("parts must list 1 to " + MAX_PARTS + " parts, each with its partNumber and etag.");
        }
        for (int i = 0; i < parts.size(); i++) {
            UploadedPart part = parts.get(i);
            if (part == null) {
                return bad("parts[" + i + "] is missing.");
            }
            BigInteger number = wholeNumber(part.partNumber());
            if (number == null || !number.equals(BigInteger.valueOf(i + 1))) {
                return bad("parts[" + i + "].partNumber must be " + (i + 1)
                        + ": list every part in order, numbered from 1 without gaps.");
            }
            String etag = part.etag();
            if (etag == null || etag.isBlank() || etag.length() > MAX_ETAG || !isPrintable(etag)) {
                return bad("parts[" + i + "].etag must be the ETag S3 answered the part's PUT with (1 to " + MAX_ETAG
                        + " characters).");
            }
        }
        return Optional.empty();
    }

    /** A JSON whole number (as JsonBodies reads one: a Long, or a BigInteger beyond it), or null for anything else. */
    private static BigInteger wholeNumber(Object json) {
        if (json instanceof Long number) {
            return BigInteger.valueOf(number);
        }
        return json instanceof BigInteger big ? big : null;
    }

    /** The lower-case extension after the last dot, or null when there is none or nothing before it. */
    static String extension(String fileName) {
        int dot = fileName == null ? -1 : fileName.lastIndexOf('.');
        return dot <= 0 || dot == fileName.length() - 1 ? null : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** No control characters, no invisible formatting (such as right-to-left overrides), no unpaired surrogates. */
    private static boolean isPrintable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                if (Character.getType(text.codePointAt(i)) == Character.FORMAT) {
                    return false;
                }
                i++;
            } else if (Character.isSurrogate(c) || Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                return false;
            }
        }
        return true;
    }

    static String readable(long bytes) {
        long gib = 1024L * 1024 * 1024;
        long mib = 1024L * 1024;
        if (bytes % gib == 0) {
            return bytes / gib + " GiB";
        }
        if (bytes % mib == 0) {
            return bytes / mib + " MiB";
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) mib);
    }

    private static Optional<Problem> bad(String detail) {
        return Optional.of(Problem.badRequest(detail));
    }
}
