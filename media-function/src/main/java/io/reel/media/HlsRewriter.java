package io.reel.media;

import io.reel.core.port.UrlSigner.PrefixSigner;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Rewrites a stored HLS playlist (RFC 8216) for one viewer: every reference to another playlist (a variant, an
 * alternative rendition, an I-frame playlist) points back at the playlist route with the viewer's playback token,
 * and every other reference (media segments, {@code EXT-X-MAP} init segments, keys) becomes a signed URL.
 *
 * <p>Stored playlists are the transcoder's: all of a video's playlists sit in {@code videos/{id}/hls/} and refer to
 * each other by bare name ({@code 720p.m3u8}) and to segments by relative path ({@code 720p/segment_00001.m4s}).
 * Anything else (absolute URIs, {@code ..}, a query) is refused with {@link DamagedPlaylistException}, so a damaged
 * or planted playlist cannot make the function sign a key outside the video's folder or point a player elsewhere.
 *
 * <p>Playlist references stay relative ({@code 720p.m3u8?token=...}): a player resolves them against the URL it
 * fetched the playlist from, which is right behind any prefix (API Gateway's stage, CloudFront's {@code /api}, the
 * devserver's) without the function having to know its public address.
 */
final class HlsRewriter {
    /** A playlist name the route serves: one file name in the video's {@code hls/} folder. */
    static final Pattern PLAYLIST_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\\.m3u8");
    static final String TOKEN_PARAMETER = "token";

    /** A stored playlist the rewriter will not serve; a server-side fault, never the viewer's. */
    static final class DamagedPlaylistException extends RuntimeException {
        DamagedPlaylistException(String message) {
            super(message);
        }
    }

    private HlsRewriter() {
    }

    /**
     * @param playlist the stored playlist's text
     * @param folder   the key of the playlist's folder, {@code videos/{id}/hls/}
     * @param signer   signs keys under the video's prefix
     * @param token    the viewer's playback token (URL-safe characters only)
     */
    static String rewrite(String playlist, String folder, PrefixSigner signer, String token) {
        if (!playlist.startsWith("#EXTM3U")) {
            throw new DamagedPlaylistException("does not start with #EXTM3U");
        }
        StringBuilder out = new StringBuilder(playlist.length() * 4);
        int start = 0;
        int length = playlist.length();
        while (start < length) {
            int end = playlist.indexOf('\n', start);
            int next = end < 0 ? length : end + 1;
            int lineEnd = end < 0 ? length : end;
            if (lineEnd > start && playlist.charAt(lineEnd - 1) == '\r') {
                lineEnd--;
            }
            String line = playlist.substring(start, lineEnd);
            if (line.isBlank() || (line.startsWith("#") && !line.startsWith("#EXT"))) {
                out.append(line); // blank lines and comments stay as they are
            } else if (line.startsWith("#")) {
                rewriteTag(line, out, folder, signer, token);
            } else {
                rewriteUri(line.strip(), out, folder, signer, token);
            }
            out.append('\n');
            start = next;
        }
        return out.toString();
    }

    /** A tag line: only a {@code URI="..."} attribute changes. */
    private static void rewriteTag(String line, StringBuilder out, String folder, PrefixSigner signer, String token) {
        int at = uriAttribute(line);
        if (at < 0) {
            out.append(line);
            return;
        }
        int valueStart = at + 5; // past URI="
        int valueEnd = line.indexOf('"', valueStart);
        if (valueEnd < 0) {
            throw new DamagedPlaylistException("an unterminated URI attribute");
        }
        out.append(line, 0, valueStart);
        rewriteUri(line.substring(valueStart, valueEnd), out, folder, signer, token);
        out.append(line, valueEnd, line.length());
    }

    /** Where {@code URI="} starts as an attribute of its own (after {@code :} or {@code ,}), or -1. */
    static int uriAttribute(String line) {
        int from = 0;
        while (true) {
            int at = line.indexOf("URI=\"", from);
            if (at < 0) {
                return -1;
            }
            char before = at == 0 ? ' ' : line.charAt(at - 1);
            if (before == ':' || before == ',') {
                return at;
            }
            from = at + 1;
        }
    }

    private static void rewriteUri(String reference, StringBuilder out, String folder, PrefixSigner signer, String token) {
        if (reference.isEmpty() || reference.indexOf(':') >= 0 || reference.startsWith("/") || reference.indexOf('?') >= 0
                || reference.indexOf('#') >= 0 || reference.indexOf('\\') >= 0) {
            throw new DamagedPlaylistException("a reference that is not a plain relative path");
        }
        if (reference.endsWith(".m3u8")) {
            if (!PLAYLIST_NAME.matcher(reference).matches()) {
                throw new DamagedPlaylistException("a playlist reference outside the video's hls/ folder");
            }
            out.append(reference).append('?').append(TOKEN_PARAMETER).append('=').append(token);
            return;
        }
        String key = folder + percentDecode(reference);
        try {
            out.append(signer.url(key));
        } catch (IllegalArgumentException outside) {
            throw new DamagedPlaylistException("a reference outside the video's folder");
        }
    }

    /** A thumbnail cue's payload: an image in the video's folder and, usually, the tile's rectangle. */
    private static final Pattern THUMBNAIL = Pattern.compile("([A-Za-z0-9][A-Za-z0-9_./-]{0,200}\\.(?:jpg|jpeg|png|webp))(#xywh=\\d{1,5},\\d{1,5},\\d{1,5},\\d{1,5})?");

    /**
     * Rewrites a stored storyboard WebVTT file (thumbnail cues whose payload is {@code storyboard.jpg#xywh=x,y,w,h},
     * relative to the file's folder): each image reference becomes a signed URL, keeping the {@code #xywh} fragment.
     * Images are signed once each, however many cues name them. Other lines stay as they are.
     */
    static String rewriteStoryboard(String vtt, String folder, PrefixSigner signer) {
        if (!vtt.startsWith("WEBVTT")) {
            throw new DamagedPlaylistException("does not start with WEBVTT");
        }
        java.util.Map<String, String> signed = new java.util.HashMap<>();
        StringBuilder out = new StringBuilder(vtt.length() * 2);
        for (String line : vtt.split("\r?\n", -1)) {
            var thumbnail = THUMBNAIL.matcher(line.strip());
            if (!line.contains("-->") && thumbnail.matches()) {
                String image = thumbnail.group(1);
                String url = signed.computeIfAbsent(image, name -> {
                    try {
                        return signer.url(folder + name);
                    } catch (IllegalArgumentException outside) {
                        throw new DamagedPlaylistException("an image reference outside the video's folder");
                    }
                });
                out.append(url).append(thumbnail.group(2) == null ? "" : thumbnail.group(2));
            } else {
                out.append(line);
            }
            out.append('\n');
        }
        out.setLength(out.length() - 1);
        return out.toString();
    }

    /** RFC 3986 percent-decoding ({@code +} stays a plus); malformed escapes are damage. */
    static String percentDecode(String reference) {
        if (reference.indexOf('%') < 0) {
            return reference;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(reference.length());
        for (int i = 0; i < reference.length(); i++) {
            char c = reference.charAt(i);
            if (c == '%') {
                if (i + 2 >= reference.length()) {
                    throw new DamagedPlaylistException("a malformed percent escape");
                }
                int high = Character.digit(reference.charAt(i + 1), 16);
                int low = Character.digit(reference.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    throw new DamagedPlaylistException("a malformed percent escape");
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else {
                int codePoint = reference.codePointAt(i);
                byte[] encoded = Character.toString(codePoint).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
                i += Character.charCount(codePoint) - 1;
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
