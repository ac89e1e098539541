package io.reel.transcode.probe;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Tells from a file's first bytes, in Java and before FFmpeg sees the file, the one FFmpeg demuxer that may open it,
 * or what the file is instead.
 *
 * <p>Choosing the demuxer ({@code mov} for MP4/MOV, {@code matroska} for MKV/WebM) switches FFmpeg's format
 * auto-detection off, and auto-detection is how the local-file tricks get in: an HLS playlist, an ffconcat list, or
 * an AVI hiding a playlist in a GAB2 subtitle chunk each make FFmpeg open the files named inside them. What anything
 * else is ("a PNG image") goes into the uploader's message.
 */
final class ContainerSniffer {

    /** Enough for every signature below; byte 188 is the second MPEG-TS sync byte. */
    static final int BYTES_NEEDED = 189;

    /** HEIF/AVIF stills are ISO-BMFF too, and FFmpeg's mov demuxer would open them. */
    private static final Set<String> IMAGE_BRANDS = Set.of("heic", "heix", "heim", "heis", "mif1", "msf1", "avif", "avis");
    /** Top-level boxes an MP4/MOV can start with: {@code ftyp}, or one of these in old QuickTime files. */
    private static final Set<String> FIRST_BOXES = Set.of("ftyp", "moov", "mdat", "wide", "free", "skip", "pnot");

    /**
     * What the first bytes say.
     *
     * @param demuxer     the FFmpeg demuxer to force; null when Reel does not accept the format
     * @param description the container family when accepted ("MP4", "WebM"), else what the file is ("a PNG image")
     */
    record Sniff(String demuxer, String description) {
        boolean accepted() {
            return demuxer != null;
        }
    }

    private ContainerSniffer() {
    }

    /** @param head the file's first bytes, up to {@link #BYTES_NEEDED} (fewer for a shorter file) */
    static Sniff sniff(byte[] head) {
        if (head.length >= 12 && FIRST_BOXES.contains(ascii(head, 4, 4))) {
            if (!ascii(head, 4, 4).equals("ftyp")) {
                return new Sniff("mov", "QuickTime MOV"); // only QuickTime predates the ftyp box
            }
            String brand = ascii(head, 8, 4);
            if (IMAGE_BRANDS.contains(brand)) {
                return new Sniff(null, "an HEIC/AVIF still image");
            }
            return new Sniff("mov", brand.equals("qt  ") ? "QuickTime MOV" : "MP4");
        }
        if (head.length >= 4 && (head[0] & 0xff) == 0x1A && (head[1] & 0xff) == 0x45 && (head[2] & 0xff) == 0xDF
                && (head[3] & 0xff) == 0xA3) {
            // The EBML header's DocType ("webm" or "matroska") comes within the first few dozen bytes.
            return new Sniff("matroska", latin1(head).contains("webm") ? "WebM" : "Matroska");
        }
        return new Sniff(null, describeOther(head));
    }

    private static String describeOther(byte[] b) {
        String s = latin1(b);
        String riffType = b.length >= 12 && s.startsWith("RIFF") ? ascii(b, 8, 4) : "";
        if (s.startsWith("GIF8")) {
            return "a GIF image";
        }
        if (s.startsWith("\u0089PNG")) {
            return "a PNG image";
        }
        if (b.length >= 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8 && (b[2] & 0xff) == 0xFF) {
            return "a JPEG image";
        }
        String riff = switch (riffType) {
            case "AVI " -> "an AVI video";
            case "WAVE" -> "a WAV audio file";
            case "WEBP" -> "a WebP image";
            default -> null;
        };
        if (riff != null) {
            return riff;
        }
        if (s.startsWith("ID3") || (b.length >= 2 && (b[0] & 0xff) == 0xFF && (b[1] & 0xE0) == 0xE0)) {
            return "an MP3 audio file";
        }
        if (s.startsWith("OggS")) {
            return "an Ogg file";
        }
        if (s.startsWith("fLaC")) {
            return "a FLAC audio file";
        }
        if (s.startsWith("FLV")) {
            return "a Flash video (FLV)";
        }
        if (b.length >= BYTES_NEEDED && (b[0] & 0xff) == 0x47 && (b[188] & 0xff) == 0x47) {
            return "an MPEG transport stream";
        }
        if (s.startsWith("#EXTM3U")) {
            return "a text playlist (M3U/HLS), not a video";
        }
        if (s.startsWith("ffconcat")) {
            return "a text list of files, not a video";
        }
        if (looksLikeText(b)) {
            return "a text file";
        }
        return "not a recognised video file";
    }

    private static boolean looksLikeText(byte[] b) {
        if (b.length == 0) {
            return false;
        }
        for (byte value : b) {
            int c = value & 0xff;
            if (c < 0x09 || (c > 0x0d && c < 0x20 && c != 0x1b)) {
                return false;
            }
        }
        return true;
    }

    private static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static String ascii(byte[] b, int offset, int length) {
        return b.length < offset + length ? "" : new String(b, offset, length, StandardCharsets.ISO_8859_1);
    }
}
